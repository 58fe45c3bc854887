/**
 * Issue 19's vote figures, on the app process of `npm run bench` (PostgreSQL): 50 voters, each with a
 * proven address (the link read from the outbox) and solved ALTCHA challenges fetched from the server
 * beforehand (solving is the browser's work, not the server's), first all voting for the same product
 * at once (the count must equal the rows), then casting ballots as fast as the server accepts them.
 */
import { solveChallenge } from "altcha-lib";
import { eq, sql } from "drizzle-orm";

import { savePoll } from "../../app/models/vote/poll.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { outbox } from "../../db/schema";
import { createEligibleEntry, createOrganizer, createTestRound, setRoundStatus } from "../factories/scoring";
import type { Row } from "./announce";
import { type RunningServer, settle } from "./lib";

const VOTERS = 50;
const ENTRIES = 20;
const PER_VOTER = Number(process.env.BENCH_VOTES_PER_VOTER ?? 40);

export async function benchVotes(server: RunningServer): Promise<Row[]> {
  const baseUrl = server.baseUrl;
  const organizer = await createOrganizer();
  const round = await createTestRound({ actorId: organizer.id, slug: `bench-vote-${Date.now().toString(36)}` });
  const entryIds: number[] = [];
  for (let i = 0; i < ENTRIES; i++) entryIds.push((await createEligibleEntry({ roundId: round.id, groupNo: (i % 4) + 1 })).id);
  await setRoundStatus(round.id, "scoring");
  await savePoll({
    actorId: organizer.id,
    round: { id: round.id, status: "scoring" },
    settings: {
      opensAt: new Date(Date.now() - 60_000),
      closesAt: new Date(Date.now() + 3_600_000),
      maxTotal: PER_VOTER,
      maxPerEntry: 10,
      maxPerDay: null,
      showLive: true,
    },
  });
  const page = `/rounds/${round.slug}/binh-chon`;
  const cookies: string[] = [];
  const post = (path: string, form: Record<string, string>, cookie = "") =>
    fetch(`${baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
      body: new URLSearchParams(form),
    });

  // Voters prove their addresses through the real routes.
  for (let i = 0; i < VOTERS; i++) {
    const email = `bench-voter-${i}-${round.id}@example.vn`;
    await post(page, { intent: "link", email });
    const [mail] = await db().select().from(outbox).where(eq(outbox.recipient, email));
    const token = /xac-nhan\/([A-Za-z0-9_-]+)/.exec(mail.bodyText)![1];
    const res = await post(`/binh-chon/xac-nhan/${token}`, {});
    cookies.push(
      res.headers
        .getSetCookie()
        .find((c) => c.startsWith("cnnt_voter="))!
        .split(";")[0],
    );
  }
  const solved = async () => {
    const c = (await (await fetch(`${baseUrl}/binh-chon/thu-thach`)).json()) as {
      algorithm: string;
      challenge: string;
      salt: string;
      signature: string;
      maxnumber: number;
    };
    const s = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
    return Buffer.from(JSON.stringify({ ...c, number: s!.number })).toString("base64");
  };
  const payloads: string[][] = [];
  for (let i = 0; i < VOTERS; i++) {
    const mine: string[] = [];
    for (let k = 0; k < PER_VOTER; k++) mine.push(await solved());
    payloads.push(mine);
  }

  await settle(server);
  // 50 voters for the same product at once.
  const same = await Promise.all(
    cookies.map((cookie, i) =>
      post(page, { intent: "vote", entryId: String(entryIds[0]), altcha: payloads[i][0] }, cookie).then((r) => r.status),
    ),
  );
  const sameAccepted = same.filter((s) => s === 302).length;
  const rows = Number(
    rowsOf<{ n: string }>(
      await db().execute(
        sql`select count(*) as n from votes where round_id = ${round.id} and entry_id = ${entryIds[0]} and withdrawn_at is null`,
      ),
    )[0].n,
  );
  const api = (await (await fetch(`${baseUrl}/api/v1/rounds/${round.slug}/votes`)).json()) as { totals: { votes: number }[] };
  const counted = Math.max(...api.totals.map((t) => t.votes));

  // Then every voter casts one ballot after another (one vote each, cycling over the products).
  const times: number[] = [];
  let accepted = 0;
  let refused = 0;
  await settle(server);
  const started = performance.now();
  await Promise.all(
    cookies.map(async (cookie, i) => {
      for (let k = 1; k < PER_VOTER; k++) {
        const t0 = performance.now();
        const res = await post(
          page,
          { intent: "vote", entryId: String(entryIds[(i + k) % ENTRIES]), altcha: payloads[i][k] },
          cookie,
        );
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status === 302) accepted++;
        else refused++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const p99 = times[Math.min(times.length - 1, Math.ceil(0.99 * times.length) - 1)];
  const p50 = times[Math.floor(times.length / 2)];
  const rate = accepted / seconds;
  const [stored] = rowsOf<{ n: string }>(await db().execute(sql`select count(*) as n from votes where round_id = ${round.id}`));
  console.log(
    `\n## ${VOTERS} voters: same product at once ${sameAccepted}/${VOTERS} accepted, ${rows} rows, counted ${counted}; then ${accepted} votes accepted in ${seconds.toFixed(1)} s (${rate.toFixed(0)} votes/s), p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, refused ${refused}, rows ${stored.n}`,
  );
  return [
    {
      figure: "50 voters, one product at once: accepted = rows = count",
      value: `${sameAccepted} / ${rows} / ${counted}`,
      target: "50 / 50 / 50",
      met: sameAccepted === VOTERS && rows === VOTERS && counted === VOTERS,
    },
    { figure: "50 concurrent voters: votes/s accepted", value: rate.toFixed(0), target: "≥ 500 votes/s", met: rate >= 500 },
    { figure: "50 concurrent voters: p99", value: `${p99.toFixed(0)} ms`, target: "≤ 100 ms", met: p99 <= 100 },
    {
      figure: "50 concurrent voters: refused / lost",
      value: `${refused} / ${Number(stored.n) - VOTERS - accepted}`,
      target: "0 / 0",
      met: refused === 0 && Number(stored.n) === VOTERS + accepted,
    },
  ];
}
