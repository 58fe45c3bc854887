/**
 * Issue 18's juror figures, on the app process of `npm run bench` (PostgreSQL): a signed-in juror's
 * sheet page under 50 connections (not cacheable), and 30 jurors submitting score sheets at the same
 * moment, 10 times over (each POST a real form submission with the juror's session).
 */
import { eq } from "drizzle-orm";

import { saveCouncilMember } from "../../app/models/council/council.server";
import { autoAssign } from "../../app/models/scoring/assignment.server";
import { db } from "../../app/utils/db.server";
import { assignments } from "../../db/schema";
import { createTestUser, type TestUser } from "../factories/index";
import { createEligibleEntry, createOrganizer, createTestRound, pointsForTotal, setRoundStatus } from "../factories/scoring";
import { JURY_ROUTE_DATA } from "../faults/lib";
import type { Row } from "./announce";
import { load, type RunningServer, settle, WARMUP_SECONDS } from "./lib";

const JURORS = 30;
const WAVES = 10;
const ENTRIES = 40;

export async function benchJurors(server: RunningServer): Promise<Row[]> {
  const baseUrl = server.baseUrl;
  const organizer = await createOrganizer();
  const round = await createTestRound({ actorId: organizer.id, slug: `bench-jury-${Date.now().toString(36)}` });
  const jurors: TestUser[] = [];
  for (let i = 0; i < JURORS; i++) {
    const juror = await createTestUser({ roles: ["juror"], fullName: `Giám khảo đo ${i + 1}` });
    await saveCouncilMember({ roundId: round.id, actorId: organizer.id, email: juror.email, role: i === 0 ? "chair" : "member", groupNos: [] });
    jurors.push(juror);
  }
  const entryIds: number[] = [];
  for (let i = 0; i < ENTRIES; i++) entryIds.push((await createEligibleEntry({ roundId: round.id, groupNo: (i % 4) + 1 })).id);
  await setRoundStatus(round.id, "screening");
  await autoAssign({ roundId: round.id, actorId: organizer.id });
  await setRoundStatus(round.id, "scoring");
  const points = await pointsForTotal(round.id, 82);
  const mine = new Map<string, number[]>();
  for (const a of await db().select({ jurorId: assignments.jurorId, entryId: assignments.entryId }).from(assignments).where(eq(assignments.roundId, round.id))) {
    mine.set(a.jurorId, [...(mine.get(a.jurorId) ?? []), a.entryId]);
  }
  const firstEntry = mine.get(jurors[0].id)![0];
  await settle(server);

  // The sheet page of one juror, 50 connections, after the same load not counted (WARMUP_SECONDS):
  // the figure is a running server's, not the first seconds of a route whose code was never compiled.
  const page = await load("juror's sheet page", `${baseUrl}/jury/entries/${firstEntry}`, {
    headers: { Cookie: jurors[0].cookie, "Accept-Encoding": "gzip" },
    warmup: WARMUP_SECONDS,
  });
  console.log(`\n## juror's sheet page (signed in, not cacheable): ${page.rps.toFixed(0)} req/s, p50 ${page.p50} ms, p99 ${page.p99} ms, errors ${page.errors}, non-2xx ${page.non2xx}`);

  // 30 jurors submit at the same moment (confirmed, as the dialog sends it), each on the next of
  // their assigned entries, as many waves as every juror has entries (at most WAVES).
  await settle(server);
  const waves = Math.min(WAVES, ...jurors.map((j) => mine.get(j.id)?.length ?? 0));
  const times: number[] = [];
  let errors = 0;
  for (let wave = 0; wave < waves; wave++) {
    await Promise.all(
      jurors.map(async (juror, index) => {
        const entryId = mine.get(juror.id)![wave];
        const body = new URLSearchParams({ intent: "submit", confirm: "1", comment: `Phiếu đo hiệu năng của giám khảo ${index + 1}.` });
        for (const [k, v] of Object.entries(points)) body.set(`p.${k}`, v);
        const started = performance.now();
        try {
          const res = await fetch(`${baseUrl}/jury/entries/${entryId}?_data=${encodeURIComponent(JURY_ROUTE_DATA)}`, {
            method: "POST",
            headers: { Cookie: juror.cookie, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
            body,
          });
          await res.text();
          // Success is the redirect after the POST (204 + X-Remix-Redirect for a data request).
          if (!(res.status === 204 && res.headers.get("x-remix-redirect"))) errors++;
        } catch {
          errors++;
        }
        times.push(performance.now() - started);
      }),
    );
  }
  times.sort((a, b) => a - b);
  const p99 = times[Math.min(times.length - 1, Math.ceil(0.99 * times.length) - 1)];
  const p50 = times[Math.floor(times.length / 2)];
  console.log(`## ${JURORS} jurors submitting at once × ${waves}: ${times.length} submissions, p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, errors ${errors}`);
  return [
    { figure: "juror sheet page: req/s", value: page.rps.toFixed(0), target: "≥ 400 req/s", met: page.rps >= 400 },
    // No answer within the run (every request slower than BENCH_SECONDS) is no p99, and not a met target.
    {
      figure: "juror sheet page: p99",
      value: page.total ? `${page.p99} ms` : `— (no answer within ${page.seconds.toFixed(0)} s)`,
      target: "≤ 150 ms",
      met: page.total > 0 && page.p99 <= 150,
    },
    { figure: "30 jurors submitting at once: p99", value: `${p99.toFixed(0)} ms`, target: "≤ 100 ms", met: p99 <= 100 },
    { figure: "30 jurors submitting at once: errors", value: String(errors), target: "0", met: errors === 0 },
  ];
}
