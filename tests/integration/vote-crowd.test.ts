/**
 * A scripted crowd on loopback through the real express app (issue 19): each visitor speaks from its
 * own address via X-Forwarded-For (TRUST_PROXY=loopback), proves an e-mail by the link in its mail,
 * fetches and solves the ALTCHA challenge like the widget does and votes. Ten voters from one /24 for
 * one product are flagged as one burst; voters from other networks are not; a bot that fills the
 * honeypot is answered like a voter and writes nothing; one client past the per-minute limit gets 429.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { solveChallenge } from "altcha-lib";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { flagBursts, listFlags, savePoll } from "../../app/models/vote/poll.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { resetEnv } from "../../app/utils/env.server";
import { outbox } from "../../db/schema";
import { createApp, loadBuild } from "../../server";
import { scoringRound } from "../factories/scoring";

let server: Server;
let base: string;
let ctx: Awaited<ReturnType<typeof scoringRound>>;

beforeAll(async () => {
  process.env.TRUST_PROXY = "loopback";
  process.env.VOTE_POW_MAX = "2000";
  resetEnv();
  const app = await createApp(await loadBuild());
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx = await scoringRound({ entryCount: 3, jurorCount: 1 });
  await savePoll({
    actorId: ctx.organizer.id,
    round: ctx.round,
    settings: {
      opensAt: new Date(Date.now() - 3600_000),
      closesAt: new Date(Date.now() + 86_400_000),
      maxTotal: 5,
      maxPerEntry: 1,
      maxPerDay: null,
      showLive: true,
    },
  });
}, 120_000);

afterAll(() => {
  server?.close();
});

const page = () => `/rounds/${ctx.round.slug}/binh-chon`;

async function post(path: string, ip: string, form: Record<string, string | string[]>, cookie = "") {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      Origin: base,
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Forwarded-For": ip,
      "User-Agent": "crowd-script",
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body,
  });
}

/** A visitor at `ip`: asks for a link, follows it from the mail, keeps the voter cookie. */
async function visitor(ip: string, email: string) {
  expect((await post(page(), ip, { intent: "link", email })).status).toBe(302);
  const [mail] = await db().select().from(outbox).where(eq(outbox.recipient, email));
  const token = /xac-nhan\/([A-Za-z0-9_-]+)/.exec(mail.bodyText)![1];
  const res = await post(`/binh-chon/xac-nhan/${token}`, ip, {});
  expect(res.status).toBe(302);
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith("cnnt_voter="))!
    .split(";")[0];
}

/** What the widget does: fetch a challenge, solve it, send the payload with the form. */
async function solvedPayload(ip: string) {
  const res = await fetch(`${base}/binh-chon/thu-thach`, { headers: { "X-Forwarded-For": ip } });
  expect(res.headers.get("cache-control")).toBe("no-store");
  const c = (await res.json()) as { algorithm: string; challenge: string; salt: string; signature: string; maxnumber: number };
  const s = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  return Buffer.from(JSON.stringify({ ...c, number: s!.number })).toString("base64");
}

const standing = async (entryId: number) =>
  Number(
    rowsOf<{ n: string }>(
      await db().execute(
        sql`select count(*) as n from votes where round_id = ${ctx.round.id} and entry_id = ${entryId} and withdrawn_at is null`,
      ),
    )[0].n,
  );

describe("a scripted crowd on loopback", () => {
  it("flags ten voters of one /24 for one product as one burst, not voters of other networks; the honeypot writes nothing", async () => {
    const [a, b] = ctx.entries;
    for (let i = 0; i < 10; i++) {
      const ip = `203.0.113.${20 + i}`;
      const cookie = await visitor(ip, `dam-dong-${i}@example.vn`);
      const res = await post(page(), ip, { intent: "vote", entryId: String(a.id), altcha: await solvedPayload(ip) }, cookie);
      expect(res.status).toBe(302);
    }
    for (let i = 0; i < 3; i++) {
      const ip = `192.0.${i + 10}.5`;
      const cookie = await visitor(ip, `binh-thuong-${i}@example.vn`);
      expect(
        (await post(page(), ip, { intent: "vote", entryId: String(b.id), altcha: await solvedPayload(ip) }, cookie)).status,
      ).toBe(302);
    }
    expect(await standing(a.id)).toBe(10);
    expect(await standing(b.id)).toBe(3);

    // a bot fills the hidden field: the same answer as a voter, no row
    const botIp = "198.51.100.9";
    const botCookie = await visitor(botIp, "bot@example.vn");
    const bot = await post(
      page(),
      botIp,
      { intent: "vote", entryId: String(b.id), altcha: await solvedPayload(botIp), website: "http://quang-cao.example" },
      botCookie,
    );
    expect(bot.status).toBe(302);
    expect(await standing(b.id)).toBe(3);

    expect(await flagBursts({ roundId: ctx.round.id })).toBe(1);
    const flags = await listFlags(ctx.round.id);
    expect(flags).toEqual([expect.objectContaining({ kind: "prefix", entryCode: a.code, votes: 10, status: "pending" })]);
  }, 120_000);

  it("one client past the per-minute limit gets 429 with a Vietnamese message, and its votes stop", async () => {
    const ip = "192.0.2.200";
    const cookie = await visitor(ip, "voi-va@example.vn");
    let last: Response | null = null;
    for (let i = 0; i < 31; i++) last = await post(page(), ip, { intent: "vote", entryId: String(ctx.entries[2].id) }, cookie);
    expect(last!.status).toBe(429);
    expect(await last!.text()).toMatch(/quá nhiều lượt bình chọn/);
    expect(await standing(ctx.entries[2].id)).toBe(0);
  }, 60_000);
});
