/**
 * The people's-choice vote (issue 19) through its routes and models on a real database: the organiser
 * opens it, a voter proves an address by a one-time link and votes with a solved ALTCHA challenge,
 * withdraws; every bad input gets its Vietnamese message and writes nothing (outside the window,
 * over a limit, a product not in the vote, a reused or expired link, no solved challenge, a
 * disposable address, two tabs at once); fifty voters at once lose and double nothing; bursts are
 * flagged, excluded with a reason (audited) and reported; the frozen counts cannot move, not even by
 * direct SQL as the app's role; the API and the open data carry no personal data.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { solveChallenge } from "altcha-lib";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { vnLocalInput } from "../../app/components/RoundForm";
import {
  castBallot,
  requestVoterLink,
  voteChallenge,
  type VoterSession,
} from "../../app/models/vote/ballot.server";
import { bulkInsertVotes } from "../../app/models/vote/bulk.server";
import { pollOf, savePoll } from "../../app/models/vote/poll.server";
import * as api from "../../app/routes/api.v1.rounds.$slug.votes";
import * as link from "../../app/routes/binh-chon.xac-nhan.$token";
import * as organizerPage from "../../app/routes/organizer.rounds.$slug.binh-chon";
import * as exportCsv from "../../app/routes/organizer.rounds.$slug.binh-chon_.phieu[.csv]";
import * as votePage from "../../app/routes/rounds.$slug_.binh-chon";
import * as openData from "../../app/routes/rounds.$slug_.binh-chon[.csv]";
import { db, rowsOf } from "../../app/utils/db.server";
import { auditEvents, outbox, voterTokens, voters, votes, votePolls } from "../../db/schema";
import { createApp, loadBuild } from "../../server";
import { call as callFrom127, createTestUser, jsonOf, requestAs, toastOf } from "../factories/index";
import { scoringRound } from "../factories/scoring";

process.env.VOTE_POW_MAX = "2000";

let clients = 0;
/** Like the factories' call, each request from its own client address (the link and vote limits count per client). */
async function call(handler: unknown, request: Request, params: Record<string, string> = {}): Promise<Response> {
  const ip = `10.${Math.floor(++clients / 250)}.${clients % 250}.1`;
  const wrapped = (args: { request: Request; params: Record<string, string>; context: unknown }) =>
    (handler as (a: unknown) => unknown)({ ...args, context: { clientIp: ip } });
  return callFrom127(wrapped as never, request, params);
}

type Ctx = Awaited<ReturnType<typeof scoringRound>>;


async function solved(): Promise<string> {
  const c = await voteChallenge();
  const s = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  return Buffer.from(
    JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: s!.number, salt: c.salt, signature: c.signature }),
  ).toString("base64");
}

async function openPoll(ctx: Ctx, form: Record<string, string> = {}) {
  const now = Date.now();
  return call(
    organizerPage.action,
    requestAs(ctx.organizer, `/organizer/rounds/${ctx.round.slug}/binh-chon`, {
      form: {
        intent: "save",
        opensAt: vnLocalInput(new Date(now - 3600_000)),
        closesAt: vnLocalInput(new Date(now + 86_400_000)),
        maxTotal: "5",
        maxPerEntry: "1",
        maxPerDay: "",
        showLive: "1",
        ...form,
      },
    }),
    { slug: ctx.round.slug },
  );
}

/** The link of the latest message to `to`, as a voter reads it. */
async function linkFor(to: string) {
  const [m] = await db()
    .select()
    .from(outbox)
    .where(eq(outbox.recipient, to))
    .orderBy(sql`${outbox.id} desc`)
    .limit(1);
  return /\/binh-chon\/xac-nhan\/([A-Za-z0-9_-]+)/.exec(m.bodyText)![1];
}

/** A voter proven through the routes: the link requested on the page, confirmed on the link's page. */
async function proveVoter(ctx: Ctx, email: string) {
  await toastOf(
    await call(votePage.action, requestAs(null, `/rounds/${ctx.round.slug}/binh-chon`, { form: { intent: "link", email } }), {
      slug: ctx.round.slug,
    }),
  );
  const token = await linkFor(email);
  const res = await call(link.action, requestAs(null, `/binh-chon/xac-nhan/${token}`, { form: {} }), { token });
  const t = await toastOf(res);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith("cnnt_voter="))!
    .split(";")[0];
  return { cookie: `${cookie}; ${t.cookie.split(";")[0]}`, token };
}

const vote = (ctx: Ctx, cookie: string, form: Record<string, string | string[]>) =>
  call(votePage.action, requestAs({ cookie }, `/rounds/${ctx.round.slug}/binh-chon`, { form: { intent: "vote", ...form } }), {
    slug: ctx.round.slug,
  });

const countVotes = async (roundId: number) =>
  Number(
    rowsOf<{ n: string }>(
      await db().execute(sql`select count(*) as n from votes where round_id = ${roundId} and withdrawn_at is null`),
    )[0].n,
  );

let ctx: Ctx;
let ids: string[];

beforeAll(async () => {
  ctx = await scoringRound({ entryCount: 7, jurorCount: 1 });
  ids = ctx.entries.map((e) => String(e.id));
  await toastOf(await openPoll(ctx));
}, 120_000);

describe("people's-choice vote", () => {
  it("opens over the eligible entries, audited; bad settings are refused with the field", async () => {
    const poll = await pollOf(ctx.round.id);
    expect(poll).toMatchObject({ basis: "eligible", maxTotal: 5, maxPerEntry: 1 });
    const bad = await openPoll(ctx, { closesAt: vnLocalInput(new Date(Date.now() - 7200_000)) });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).fields.closesAt).toMatch(/sau thời điểm mở/);
    expect((await pollOf(ctx.round.id))!.closesAt.getTime()).toBe(poll!.closesAt.getTime());
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "vote.open"), eq(auditEvents.roundId, ctx.round.id)));
    expect(audit).toBeTruthy();
  });

  it("a voter proves an address, votes for three products with a solved challenge and withdraws one", async () => {
    const { cookie } = await proveVoter(ctx, "nguoi.xem@example.vn");
    const t = await toastOf(await vote(ctx, cookie, { entryId: ids.slice(0, 3), altcha: await solved() }));
    expect(t.message).toBe("Đã ghi nhận 3 phiếu bình chọn.");
    const page = await jsonOf(
      await call(votePage.loader, requestAs({ cookie }, `/rounds/${ctx.round.slug}/binh-chon`), { slug: ctx.round.slug }),
    );
    expect(page.mine).toHaveLength(3);
    expect(page.vote.totals.filter((x: { votes: number }) => x.votes === 1)).toHaveLength(3);
    await toastOf(
      await call(
        votePage.action,
        requestAs({ cookie }, `/rounds/${ctx.round.slug}/binh-chon`, {
          form: { intent: "withdraw", voteId: String(page.mine[0].id) },
        }),
        { slug: ctx.round.slug },
      ),
    );
    const after = await jsonOf(
      await call(votePage.loader, requestAs({ cookie }, `/rounds/${ctx.round.slug}/binh-chon`), { slug: ctx.round.slug }),
    );
    expect(after.mine).toHaveLength(2);
    // the stored row keeps hashes, never the address
    const [row] = await db().select().from(votes).where(eq(votes.roundId, ctx.round.id)).limit(1);
    expect(row.clientHash).not.toContain("127.0.0.1");
    expect(row.prefixHash).toHaveLength(32);
  });

  it("refuses a reused and an expired link, each with its message", async () => {
    const { token } = await proveVoter(ctx, "lan.hai@example.vn");
    const again = await call(link.action, requestAs(null, `/binh-chon/xac-nhan/${token}`, { form: {} }), { token });
    expect(again.status).toBe(410);
    expect((await jsonOf(again)).formError).toMatch(/đã được dùng/);
    await toastOf(
      await call(
        votePage.action,
        requestAs(null, `/rounds/${ctx.round.slug}/binh-chon`, { form: { intent: "link", email: "het.han@example.vn" } }),
        { slug: ctx.round.slug },
      ),
    );
    const old = await linkFor("het.han@example.vn");
    await db()
      .update(voterTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(sql`${voterTokens.voterId} = (select id from voters where email = 'het.han@example.vn')`);
    const expired = await call(link.action, requestAs(null, `/binh-chon/xac-nhan/${old}`, { form: {} }), { token: old });
    expect(expired.status).toBe(410);
    expect((await jsonOf(expired)).formError).toMatch(/hết hạn/);
    const [v] = await db().select().from(voters).where(eq(voters.email, "het.han@example.vn"));
    expect(v.verifiedAt).toBeNull();
    // showing the link's page never uses it (mail scanners open links)
    const shown = await jsonOf(await call(link.loader, requestAs(null, `/binh-chon/xac-nhan/${old}`), { token: old }));
    expect(shown.error).toMatch(/hết hạn/);
  });

  it("refuses a disposable address and a malformed one; nothing is written", async () => {
    const before = (await db().select().from(outbox)).length;
    for (const email of ["ai.do@mailinator.com", "khong-phai-email"]) {
      const res = await call(
        votePage.action,
        requestAs(null, `/rounds/${ctx.round.slug}/binh-chon`, { form: { intent: "link", email } }),
        { slug: ctx.round.slug },
      );
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).formError).toMatch(email.includes("@") ? /dùng một lần/ : /không hợp lệ/);
    }
    expect((await db().select().from(outbox)).length).toBe(before);
    expect(await db().select().from(voters).where(eq(voters.email, "ai.do@mailinator.com"))).toHaveLength(0);
  });

  it("refuses a vote without a solved challenge, a replayed solution, a product not in the vote, and over the limits", async () => {
    const { cookie } = await proveVoter(ctx, "gioi.han@example.vn");
    const n = await countVotes(ctx.round.id);
    const cases: [Record<string, string | string[]>, RegExp, number][] = [
      [{ entryId: ids[0] }, /kiểm tra chống bình chọn tự động/, 400],
      [
        {
          entryId: ids[0],
          altcha: Buffer.from(
            JSON.stringify({ algorithm: "SHA-256", challenge: "x", number: 1, salt: "y", signature: "z" }),
          ).toString("base64"),
        },
        /kiểm tra chống bình chọn tự động/,
        400,
      ],
      [{ entryId: "999999", altcha: await solved() }, /không nằm trong danh sách bình chọn/, 400],
      [{ entryId: ids.slice(0, 6), altcha: await solved() }, /tối đa 5 phiếu/, 409],
    ];
    for (const [form, message, status] of cases) {
      const res = await vote(ctx, cookie, form);
      expect(res.status, JSON.stringify(form)).toBe(status);
      expect((await jsonOf(res)).formError).toMatch(message);
    }
    expect(await countVotes(ctx.round.id)).toBe(n);
    const payload = await solved();
    await toastOf(await vote(ctx, cookie, { entryId: ids[0], altcha: payload }));
    const replay = await vote(ctx, cookie, { entryId: ids[1], altcha: payload });
    expect((await jsonOf(replay)).formError).toMatch(/kiểm tra chống bình chọn tự động/);
    const twice = await vote(ctx, cookie, { entryId: ids[0], altcha: await solved() });
    expect(twice.status).toBe(409);
    expect((await jsonOf(twice)).formError).toMatch(/một phiếu cho một sản phẩm/);
    expect(await countVotes(ctx.round.id)).toBe(n + 1);
  });

  it("a per-day limit counts the Vietnam day", async () => {
    const other = await scoringRound({ entryCount: 3, jurorCount: 1 });
    await toastOf(await openPoll(other, { maxPerDay: "2" }));
    const { cookie } = await proveVoter(other, "moi.ngay@example.vn");
    const res = await vote(other, cookie, { entryId: other.entries.map((e) => String(e.id)), altcha: await solved() });
    expect(res.status).toBe(409);
    expect((await jsonOf(res)).formError).toMatch(/Mỗi ngày mỗi người được tối đa 2 phiếu/);
    expect(await countVotes(other.round.id)).toBe(0);
  });

  it("two tabs voting at once make one row; fifty voters at once lose and double nothing", async () => {
    const { cookie } = await proveVoter(ctx, "hai.the@example.vn");
    const n = await countVotes(ctx.round.id);
    const [a, b] = await Promise.all([
      vote(ctx, cookie, { entryId: ids[4], altcha: await solved() }),
      vote(ctx, cookie, { entryId: ids[4], altcha: await solved() }),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const refused = a.status === 409 ? a : b;
    expect((await jsonOf(refused)).formError).toMatch(/một phiếu cho một sản phẩm|thẻ hoặc cửa sổ khác/);
    expect(await countVotes(ctx.round.id)).toBe(n + 1);

    // fifty voters for the same product at once (through the model, each from its own address)
    const crowd: VoterSession[] = [];
    for (let i = 0; i < 50; i++) {
      const [v] = await db()
        .insert(voters)
        .values({ email: `dam.dong.${i}@example.vn`, verifiedAt: new Date(Date.now() - 86_400_000) })
        .returning();
      crowd.push({ voterId: v.id, email: v.email });
    }
    const payloads = await Promise.all(crowd.map(() => solved()));
    const results = await Promise.allSettled(
      crowd.map((voter, i) =>
        castBallot({
          roundId: ctx.round.id,
          slug: ctx.round.slug,
          voter,
          entryIds: [ctx.entries[5].id],
          client: { ip: `198.51.${i}.7`, userAgent: "crowd" },
          altcha: payloads[i],
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(50);
    const [{ n: rows }] = rowsOf<{ n: string }>(
      await db().execute(
        sql`select count(*) as n from votes where round_id = ${ctx.round.id} and entry_id = ${ctx.entries[5].id}`,
      ),
    );
    expect(Number(rows)).toBe(50);
    const totals = (
      await jsonOf(await call(api.loader, requestAs(null, `/api/v1/rounds/${ctx.round.slug}/votes`), { slug: ctx.round.slug }))
    ).totals;
    expect(totals.find((t: { entryCode: string }) => t.entryCode === ctx.entries[5].code).votes).toBe(50);
  });

  it("a filled honeypot writes nothing and answers like a success", async () => {
    const { cookie } = await proveVoter(ctx, "mat.ong@example.vn");
    const n = await countVotes(ctx.round.id);
    await toastOf(await vote(ctx, cookie, { entryId: ids[6], altcha: await solved(), website: "http://spam.example" }));
    expect(await countVotes(ctx.round.id)).toBe(n);
    const before = (await db().select().from(outbox)).length;
    await toastOf(
      await call(
        votePage.action,
        requestAs(null, `/rounds/${ctx.round.slug}/binh-chon`, {
          form: { intent: "link", email: "bot@example.vn", website: "x" },
        }),
        { slug: ctx.round.slug },
      ),
    );
    expect((await db().select().from(outbox)).length).toBe(before);
  });

  it("hides the totals while open when the round says so (API totals null), shows them after the close", async () => {
    const other = await scoringRound({ entryCount: 2, jurorCount: 1 });
    await toastOf(await openPoll(other, { showLive: "" }));
    const p = { slug: other.round.slug };
    const body = await jsonOf(await call(api.loader, requestAs(null, `/api/v1/rounds/${other.round.slug}/votes`), p));
    expect(body).toMatchObject({ open: true, totals: null, excluded: { count: 0, reasons: [] } });
    expect((await call(openData.loader, requestAs(null, `/rounds/${other.round.slug}/binh-chon.csv`), p)).status).toBe(409);
    await toastOf(
      await call(
        organizerPage.action,
        requestAs(other.organizer, `/organizer/rounds/${other.round.slug}/binh-chon`, { form: { intent: "close" } }),
        p,
      ),
    );
    const closed = await jsonOf(await call(api.loader, requestAs(null, `/api/v1/rounds/${other.round.slug}/votes`), p));
    expect(closed.open).toBe(false);
    expect(closed.totals).toHaveLength(2);
  });

  it("outside the window a vote and a withdrawal are refused with the closing time", async () => {
    const other = await scoringRound({ entryCount: 2, jurorCount: 1 });
    await toastOf(await openPoll(other));
    const { cookie } = await proveVoter(other, "dong.cua@example.vn");
    await toastOf(await vote(other, cookie, { entryId: String(other.entries[0].id), altcha: await solved() }));
    const [mine] = await db().select().from(votes).where(eq(votes.roundId, other.round.id));
    await db()
      .update(votePolls)
      .set({ closesAt: new Date(Date.now() - 1000), opensAt: new Date(Date.now() - 7200_000) })
      .where(eq(votePolls.roundId, other.round.id));
    const late = await vote(other, cookie, { entryId: String(other.entries[1].id), altcha: await solved() });
    expect(late.status).toBe(409);
    expect((await jsonOf(late)).formError).toMatch(/đã đóng lúc/);
    const withdraw = await call(
      votePage.action,
      requestAs({ cookie }, `/rounds/${other.round.slug}/binh-chon`, { form: { intent: "withdraw", voteId: String(mine.id) } }),
      { slug: other.round.slug },
    );
    expect(withdraw.status).toBe(409);
    expect(await countVotes(other.round.id)).toBe(1);
  });

  it("flags a burst, the organiser excludes it with a reason, the counts are frozen with a hash and cannot move", async () => {
    const other = await scoringRound({ entryCount: 3, jurorCount: 1 });
    await toastOf(await openPoll(other));
    const p = { slug: other.round.slug };
    const org = `/organizer/rounds/${other.round.slug}/binh-chon`;
    const t0 = Date.now() - 30 * 60_000;
    await bulkInsertVotes({
      roundId: other.round.id,
      votes: [
        ...Array.from({ length: 12 }, (_, i) => ({
          email: `burst${i}@example.vn`,
          entryId: other.entries[0].id,
          castAt: new Date(t0 + i * 20_000),
          ip: `203.0.113.${i + 1}`,
          verifiedAt: new Date(t0 - 86_400_000),
        })),
        ...Array.from({ length: 5 }, (_, i) => ({
          email: `normal${i}@example.vn`,
          entryId: other.entries[1].id,
          castAt: new Date(t0 + i * 600_000),
          ip: `192.0.${i}.9`,
          verifiedAt: new Date(t0 - 86_400_000),
        })),
      ],
    });
    const scanned = await toastOf(
      await call(organizerPage.action, requestAs(other.organizer, org, { form: { intent: "scan" } }), p),
    );
    expect(scanned.message).toBe("Đã đánh dấu 1 nhóm phiếu mới.");
    const page = await jsonOf(await call(organizerPage.loader, requestAs(other.organizer, org), p));
    expect(page.flags).toHaveLength(1);
    expect(page.flags[0]).toMatchObject({ kind: "prefix", votes: 12, status: "pending" });
    // another organiser's account, or a visitor: 404 / refused, nothing decided
    const stranger = await createTestUser();
    const flagForm = {
      intent: "flag",
      flagId: String(page.flags[0].id),
      decision: "excluded",
      reason: "12 phiếu trong 4 phút từ cùng một dải mạng",
    };
    expect((await call(organizerPage.action, requestAs(stranger, org, { form: flagForm }), p)).status).toBeGreaterThanOrEqual(
      403,
    );
    // freezing is refused while open
    const early = await call(organizerPage.action, requestAs(other.organizer, org, { form: { intent: "freeze" } }), p);
    expect((await jsonOf(early)).formError).toMatch(/sau khi cuộc bình chọn đóng/);
    // a reason is required
    const noReason = await call(organizerPage.action, requestAs(other.organizer, org, { form: { ...flagForm, reason: "" } }), p);
    expect(noReason.status).toBe(400);
    await toastOf(await call(organizerPage.action, requestAs(other.organizer, org, { form: flagForm }), p));
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "vote.flag"), eq(auditEvents.roundId, other.round.id)));
    expect(audit.after).toMatchObject({ status: "excluded" });

    await toastOf(await call(organizerPage.action, requestAs(other.organizer, org, { form: { intent: "close" } }), p));
    const frozen = await toastOf(
      await call(organizerPage.action, requestAs(other.organizer, org, { form: { intent: "freeze" } }), p),
    );
    expect(frozen.message).toMatch(/Đã chốt kết quả/);
    const body = await jsonOf(await call(api.loader, requestAs(null, `/api/v1/rounds/${other.round.slug}/votes`), p));
    expect(body.open).toBe(false);
    expect(body.finalHash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.excluded).toEqual({ count: 12, reasons: ["12 phiếu: 12 phiếu trong 4 phút từ cùng một dải mạng"] });
    expect(body.totals.map((t: { votes: number }) => t.votes)).toEqual([5, 0, 0]);
    expect(body.award).toEqual([other.entries[1].code]);
    expect(JSON.stringify(body)).not.toMatch(/@example\.vn|203\.0\.113/);

    // the open data has counts only; the organiser's export hashed addresses only
    const csv = await (await call(openData.loader, requestAs(null, `/rounds/${other.round.slug}/binh-chon.csv`), p)).text();
    expect(csv).toContain(`${other.entries[1].code},`);
    expect(csv).not.toMatch(/@|203\.0/);
    const exported = await (await call(exportCsv.loader, requestAs(other.organizer, `${org}/phieu.csv`), p)).text();
    expect(exported.split("\r\n").filter((l) => l.includes("bị loại"))).toHaveLength(12);
    expect(exported).not.toMatch(/@example|203\.0\.113/);
    expect((await call(exportCsv.loader, requestAs(stranger, `${org}/phieu.csv`), p)).status).toBeGreaterThanOrEqual(403);

    // frozen: a decision and direct SQL as the app's role are refused
    const late = await call(
      organizerPage.action,
      requestAs(other.organizer, org, { form: { ...flagForm, decision: "kept" } }),
      p,
    );
    expect((await jsonOf(late)).formError).toMatch(/đã được chốt/);
    await expect(
      db().execute(
        sql`insert into votes (round_id, entry_id, voter_id, client_hash, prefix_hash) select ${other.round.id}, ${other.entries[2].id}, id, 'x', 'y' from voters limit 1`,
      ),
    ).rejects.toThrow();
    await expect(db().execute(sql`update votes set withdrawn_at = now() where round_id = ${other.round.id}`)).rejects.toThrow();
  });

  it("a poll is refused for a round still taking entries", async () => {
    const other = await scoringRound({ entryCount: 1, jurorCount: 1 });
    await db().execute(sql`update rounds set status = 'registration' where id = ${other.round.id}`);
    await expect(
      savePoll({
        actorId: other.organizer.id,
        round: { id: other.round.id, status: "registration" },
        settings: {
          opensAt: new Date(),
          closesAt: new Date(Date.now() + 1000),
          maxTotal: 5,
          maxPerEntry: 1,
          maxPerDay: null,
          showLive: true,
        },
      }),
    ).rejects.toThrow(/hồ sơ hợp lệ/);
  });

  it("without JavaScript the ballot is confirmed by an e-mail link, which casts it once", async () => {
    const { cookie } = await proveVoter(ctx, "khong.js@example.vn");
    const n = await countVotes(ctx.round.id);
    const t = await toastOf(
      await call(
        votePage.action,
        requestAs({ cookie }, `/rounds/${ctx.round.slug}/binh-chon`, { form: { intent: "vote-by-mail", entryId: ids[6] } }),
        { slug: ctx.round.slug },
      ),
    );
    expect(t.message).toMatch(/thư xác nhận/);
    expect(await countVotes(ctx.round.id)).toBe(n);
    const token = await linkFor("khong.js@example.vn");
    const cast = await toastOf(await call(link.action, requestAs(null, `/binh-chon/xac-nhan/${token}`, { form: {} }), { token }));
    expect(cast.message).toMatch(/ghi nhận 1 phiếu/);
    expect(await countVotes(ctx.round.id)).toBe(n + 1);
    expect((await call(link.action, requestAs(null, `/binh-chon/xac-nhan/${token}`, { form: {} }), { token })).status).toBe(410);
    expect(await countVotes(ctx.round.id)).toBe(n + 1);
  });

  it("requests for links are rate-limited per client", async () => {
    await requestVoterLink({ roundId: ctx.round.id, slug: ctx.round.slug, email: "rl0@example.vn", ip: "192.0.2.50" }).catch(
      () => undefined,
    );
    let refused = null as Error | null;
    for (let i = 1; i < 15 && !refused; i++)
      await requestVoterLink({ roundId: ctx.round.id, slug: ctx.round.slug, email: `rl${i}@example.vn`, ip: "192.0.2.50" }).catch(
        (e: Error) => (refused = e),
      );
    expect(refused?.message).toMatch(/nhiều đường dẫn/);
  });
});

describe("people's-choice vote in English (/en)", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = (await createApp(await loadBuild())).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(() => void server?.close());

  const html = async (path: string) => {
    const res = await fetch(base + path, { redirect: "manual" });
    return { status: res.status, html: (await res.text()).replace(/&#x27;|&#39;/g, "'") };
  };
  const enPage = `/en/rounds/${"SLUG"}/binh-chon`;
  const en = (path: string) => path.replace("SLUG", ctx.round.slug);

  it("the /en vote page answers in English with lang, the switch and English dates; the Vietnamese page is unchanged", async () => {
    const page = await html(en(enPage));
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<html lang="en"/);
    for (const text of ["People's choice", "Voting period (Vietnam time)", "Confirm your e-mail to vote", "one vote per product"])
      expect(page.html, text).toContain(text);
    expect(page.html).not.toContain("Xác nhận email để bình chọn");
    expect(page.html).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}/); // en-GB dates: "2 Dec 2026"
    expect(page.html).toMatch(new RegExp(`data-testid="lang-switch"[^>]*href="/rounds/${ctx.round.slug}/binh-chon"|href="/rounds/${ctx.round.slug}/binh-chon"[^>]*data-testid="lang-switch"`));
    const vi = await html(`/rounds/${ctx.round.slug}/binh-chon`);
    expect(vi.html).toMatch(/<html lang="vi"/);
    expect(vi.html).toContain("Xác nhận email để bình chọn");
    expect(vi.html).toContain(`href="/en/rounds/${ctx.round.slug}/binh-chon"`);
    // the link's page, unknown link: English on /en
    const unknown = await html("/en/binh-chon/xac-nhan/khong-co-duong-dan-nay");
    expect(unknown.status).toBe(404);
    expect(unknown.html).toMatch(/<html lang="en"/);
    expect(unknown.html).toContain("This link is not valid");
    expect((await html(en("/en/rounds/khong-co-dot-nay/binh-chon"))).html).toContain("This round has no people's-choice vote.");
  });

  it("refusals on /en answer in English and write nothing; a vote on /en stays on /en with an English message", async () => {
    const p = { slug: ctx.round.slug };
    const post = (cookie: string | null, form: Record<string, string | string[]>) =>
      call(votePage.action, requestAs(cookie ? { cookie } : null, en(enPage), { form }), p);
    const before = (await db().select().from(outbox)).length;
    const disposable = await post(null, { intent: "link", email: "ai.do@mailinator.com" });
    expect(disposable.status).toBe(400);
    const d = await jsonOf(disposable);
    expect(d.formError).toMatch(/^Disposable \(temporary\) e-mail addresses are not accepted/);
    expect(d.fields.email).toBe("Disposable e-mail addresses are not accepted.");
    expect((await jsonOf(await post(null, { intent: "link", email: "khong-phai-email" }))).formError).toBe(
      "The e-mail address is not valid.",
    );
    expect((await db().select().from(outbox)).length).toBe(before);

    // a voter proven through the /en pages
    const email = "english.voter@example.com";
    const sent = await toastOf(await post(null, { intent: "link", email }));
    expect(sent.message).toMatch(/^A link has been sent/);
    expect(sent.location).toBe(en(enPage));
    const token = await linkFor(email);
    const confirmed = await call(link.action, requestAs(null, `/en/binh-chon/xac-nhan/${token}`, { form: {} }), { token });
    const shown = await toastOf(confirmed);
    expect(shown.location).toBe(en(enPage));
    expect(shown.message).toBe("Your e-mail address is confirmed. Choose the products you like.");
    const reused = await call(link.action, requestAs(null, `/en/binh-chon/xac-nhan/${token}`, { form: {} }), { token });
    expect(reused.status).toBe(410);
    expect((await jsonOf(reused)).formError).toMatch(/^This link has already been used/);
    const cookie = `${confirmed.headers.getSetCookie().find((c) => c.startsWith("cnnt_voter="))!.split(";")[0]}; ${shown.cookie}`;

    const n = await countVotes(ctx.round.id);
    const cases: [Record<string, string | string[]>, RegExp, number][] = [
      [{ intent: "vote", entryId: ids[0] }, /^The check against automated voting is not complete/, 400],
      [{ intent: "vote", entryId: "999999", altcha: await solved() }, /^A product you chose is not in this round's vote/, 400],
      [{ intent: "vote", entryId: ids.slice(0, 6), altcha: await solved() }, /^Each person may cast at most 5 votes/, 409],
      [{ intent: "withdraw", voteId: "999999" }, /^This vote is not among your votes/, 404],
    ];
    for (const [form, message, status] of cases) {
      const res = await post(cookie, form);
      expect(res.status, JSON.stringify(form)).toBe(status);
      expect((await jsonOf(res)).formError).toMatch(message);
    }
    expect((await jsonOf(await post(null, { intent: "vote", entryId: ids[0] }))).formError).toMatch(/^Confirm your e-mail address/);
    expect(await countVotes(ctx.round.id)).toBe(n);
    const ok = await toastOf(await post(cookie, { intent: "vote", entryId: ids[0], altcha: await solved() }));
    expect(ok).toMatchObject({ message: "Votes recorded: 1.", location: en(enPage) });
    const twice = await post(cookie, { intent: "vote", entryId: ids[0], altcha: await solved() });
    expect((await jsonOf(twice)).formError).toBe("You have already voted for this product: each person has one vote per product.");
    expect(await countVotes(ctx.round.id)).toBe(n + 1);
    // The same refusal on the Vietnamese page is Vietnamese.
    const viTwice = await call(
      votePage.action,
      requestAs({ cookie }, `/rounds/${ctx.round.slug}/binh-chon`, { form: { intent: "vote", entryId: ids[0], altcha: await solved() } }),
      p,
    );
    expect((await jsonOf(viTwice)).formError).toMatch(/một phiếu cho một sản phẩm/);
  });

  it("outside the window the refusal on /en gives the closing time in English", async () => {
    const other = await scoringRound({ entryCount: 2, jurorCount: 1 });
    await toastOf(await openPoll(other));
    const { cookie } = await proveVoter(other, "late.english@example.com");
    await db()
      .update(votePolls)
      .set({ closesAt: new Date("2026-06-30T10:00:00Z"), opensAt: new Date("2026-06-01T10:00:00Z") })
      .where(eq(votePolls.roundId, other.round.id));
    const late = await call(
      votePage.action,
      requestAs({ cookie }, `/en/rounds/${other.round.slug}/binh-chon`, {
        form: { intent: "vote", entryId: String(other.entries[0].id), altcha: await solved() },
      }),
      { slug: other.round.slug },
    );
    expect(late.status).toBe(409);
    expect((await jsonOf(late)).formError).toBe(
      "The vote closed at 17:00, 30 Jun 2026 (Vietnam time): no more votes can be cast or withdrawn.",
    );
    expect(await countVotes(other.round.id)).toBe(0);
  });
});
