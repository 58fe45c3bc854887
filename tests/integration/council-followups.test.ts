/**
 * Issue 14, what an accepted complaint sets in motion and what the database keeps still: a
 * re-screening must be recorded (and an ineligible outcome sends the list back through the council),
 * a "new session" follow-up needs a session opened after it, votes and closed sessions cannot be
 * changed by direct SQL, and the signer's name has one home (rounds).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { listBodies, saveBodyDecision } from "../../app/models/council/bodies.server";
import { recordCouncilDecision } from "../../app/models/council/decision.server";
import { councilMinutesData, councilMinutesPdf } from "../../app/models/council/minutes.server";
import { openFollowUps } from "../../app/models/council/session-rules";
import { closeSession, openSession, recordVote } from "../../app/models/council/session.server";
import { fileComplaint, listComplaints, provisionalList, publishProvisional, recordRescreening, resolveComplaint } from "../../app/models/results/complaint.server";
import { publicComplaints, publicRoundInfo } from "../../app/models/round/public.server";
import * as processPage from "../../app/routes/organizer.rounds.$slug.hoi-dong";
import * as bodyFiles from "../../app/routes/organizer.rounds.$slug.hoi-dong_.$file";
import { db, rowsOf } from "../../app/utils/db.server";
import { councilSessions, councilVotes, entries, rounds } from "../../db/schema";
import { scoredRound } from "../factories/council";
import { call, createTestUser, jsonOf, requestAs, toastOf } from "../factories/index";

const DAY = 86_400_000;
type Ctx = Awaited<ReturnType<typeof scoredRound>>;

async function session(ctx: Ctx, approve: number[]) {
  const s = await openSession({ roundId: ctx.round.id, actorId: ctx.secretary.id, heldOn: "2026-09-10", place: "Phòng họp số 2, Cục Công Thương địa phương", presentUserIds: ctx.seats.map((x) => x.id) });
  const n = ctx.seats.length;
  for (const [i, e] of ctx.entries.entries())
    if (approve.includes(i)) await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: e.id, yes: n, no: 0 });
    else await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: e.id, yes: 0, no: n, reason: "Hội đồng không đề nghị: hồ sơ chưa thuyết phục." });
  await closeSession({ sessionId: s.id, actorId: ctx.secretary.id });
  return s;
}

/** Scored round, one session that recommends every entry, provisional list public since t0, one complaint about entry 0. */
async function withComplaint() {
  const ctx = await scoredRound({ means: [85, 80], members: 3 });
  const s1 = await session(ctx, [0, 1]);
  const t0 = new Date();
  await publishProvisional({ roundId: ctx.round.id, actorId: ctx.organizer.id, now: t0 });
  const u = await createTestUser();
  const c = await fileComplaint({ roundId: ctx.round.id, userId: u.id, entryCode: ctx.entries[0].code, body: "Sản phẩm dùng nguyên liệu nhập khẩu, không phải sản phẩm của cơ sở.", client: `10.9.${ctx.round.id}.9` });
  const decision = { roundId: ctx.round.id, actorId: ctx.organizer.id, decisionNo: `${950 + ctx.round.id}/QĐ-CNĐP`, decisionDate: "2026-10-01", signerTitle: "Cục trưởng", signerName: "Nguyễn Văn Bình" };
  const after = (t: Date) => new Date(t.getTime() + 11 * DAY);
  return { ctx, s1, t0, c, decision, after };
}

describe("follow-ups of accepted complaints", () => {
  it("pure: a re-screening not recorded, and a new-session follow-up without a later session, are open", () => {
    const base = { code: "KN26-1-001", entryCode: "BAC26-001", status: "accepted" as const, resolvedAt: new Date(2026, 8, 20) };
    expect(openFollowUps({ complaints: [{ ...base, followUp: "rescreen", rescreen: null }], latestSessionOpenedAt: new Date(2026, 8, 25) }).join(" ")).toMatch(/chờ thẩm định lại/);
    const ineligible = { ...base, followUp: "rescreen" as const, rescreen: { outcome: "ineligible" as const, decidedAt: new Date(2026, 8, 21) } };
    expect(openFollowUps({ complaints: [ineligible], latestSessionOpenedAt: new Date(2026, 8, 10) }).join(" ")).toMatch(/hội đồng cần họp lại/);
    expect(openFollowUps({ complaints: [ineligible], latestSessionOpenedAt: new Date(2026, 8, 22) })).toEqual([]);
    expect(openFollowUps({ complaints: [{ ...ineligible, rescreen: { outcome: "eligible", decidedAt: new Date(2026, 8, 21) } }], latestSessionOpenedAt: new Date(2026, 8, 10) })).toEqual([]);
    expect(openFollowUps({ complaints: [{ ...base, followUp: "new_session", rescreen: null }], latestSessionOpenedAt: new Date(2026, 8, 20) }).join(" ")).toMatch(/họp lại/);
    expect(openFollowUps({ complaints: [{ ...base, status: "rejected", followUp: "none", rescreen: null }], latestSessionOpenedAt: null })).toEqual([]);
  });

  it("re-screening: the decision waits for it; ineligible takes the entry off and the council meets again", async () => {
    const { ctx, c, decision, after } = await withComplaint();
    await resolveComplaint({ complaintId: c.id, actorId: ctx.organizer.id, status: "accepted", resolution: "Cần thẩm định lại nguồn gốc nguyên liệu.", followUp: "rescreen" });
    const t0 = (await publicRoundInfo(ctx.round.slug))!.provisional!.publishedAt;
    await expect(recordCouncilDecision({ ...decision, now: after(t0) })).rejects.toThrow(new RegExp(`${ctx.entries[0].code} chờ thẩm định lại`));
    // bad input writes nothing
    await expect(recordRescreening({ complaintId: c.id, actorId: ctx.organizer.id, outcome: "ineligible", note: "ngắn" })).rejects.toThrow(/chưa hợp lệ/);
    expect((await listComplaints(ctx.round.id))[0].rescreen).toBeNull();

    await recordRescreening({ complaintId: c.id, actorId: ctx.organizer.id, outcome: "ineligible", note: "Nguyên liệu chính nhập khẩu 100%, không đáp ứng Điều 4." });
    await expect(recordRescreening({ complaintId: c.id, actorId: ctx.organizer.id, outcome: "eligible", note: "Thẩm định lại lần hai." })).rejects.toThrow(/đã được thẩm định lại/);
    const [e0] = await db().select().from(entries).where(eq(entries.id, ctx.entries[0].id));
    expect(e0.status).toBe("ineligible");
    // the public complaint list says what the re-screening found; the provisional list no longer shows the entry
    const [pub] = await publicComplaints(ctx.round.id);
    expect(pub.resolution).toMatchObject({ followUp: "rescreen", rescreen: { outcome: "ineligible", note: expect.stringMatching(/Điều 4/) } });
    expect(JSON.stringify(pub)).not.toContain("@");
    expect((await provisionalList(ctx.round.id))!.entries.map((e) => e.entryCode)).toEqual([ctx.entries[1].code]);
    // the old session's list still holds the entry: the council must meet again
    await expect(recordCouncilDecision({ ...decision, now: after(t0) })).rejects.toThrow(/hội đồng cần họp lại/);
    const s2 = await openSession({ roundId: ctx.round.id, actorId: ctx.secretary.id, heldOn: "2026-09-28", place: "Phòng họp số 2, Cục Công Thương địa phương", presentUserIds: ctx.seats.map((x) => x.id) });
    await expect(recordVote({ sessionId: s2.id, actorId: ctx.secretary.id, entryId: ctx.entries[0].id, yes: 3, no: 0 })).rejects.toThrow(/không thuộc danh sách xét/);
    await recordVote({ sessionId: s2.id, actorId: ctx.secretary.id, entryId: ctx.entries[1].id, yes: 3, no: 0 });
    await closeSession({ sessionId: s2.id, actorId: ctx.secretary.id });
    await expect(recordCouncilDecision({ ...decision, now: after(t0) })).rejects.toThrow(/Công khai danh sách dự kiến/);
    const t1 = new Date();
    await publishProvisional({ roundId: ctx.round.id, actorId: ctx.organizer.id, now: t1 });
    const done = await recordCouncilDecision({ ...decision, now: after(t1) });
    expect(done.selected).toBe(1);
    const states = await db().select({ id: entries.id, status: entries.status }).from(entries).where(eq(entries.roundId, ctx.round.id)).orderBy(entries.id);
    expect(states.map((e) => e.status)).toEqual(["ineligible", "selected"]);
    // the minutes carry both sessions, the complaint, its re-screening and the decision
    const file = path.join(os.tmpdir(), `cnnt-minutes-rescreen-${ctx.round.id}.pdf`);
    fs.writeFileSync(file, await councilMinutesPdf(await councilMinutesData(ctx.round.id)));
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf-8").normalize("NFC").replace(/\s+/g, " ");
    expect(text).toContain("Phiên họp 2");
    expect(text).toContain(`${ctx.entries[0].code} | Sản phẩm thử 1 (nay không đủ điều kiện) |`);
    expect(text).toMatch(new RegExp(`${c.code} \\(về ${ctx.entries[0].code}.*Chấp nhận.*Thẩm định lại .*: Không đủ điều kiện – Nguyên liệu chính nhập khẩu 100%`));
    expect(text).toMatch(/công nhận 1 sản phẩm/);
  });

  it("re-screening that keeps the entry eligible leaves the list: the decision follows without a new session (through the organiser's page)", async () => {
    const { ctx, c, decision, after } = await withComplaint();
    const org = `/organizer/rounds/${ctx.round.slug}/hoi-dong`;
    const p = { slug: ctx.round.slug };
    await toastOf(await call(processPage.action, requestAs(ctx.organizer, org, { form: { intent: "resolve", complaintId: String(c.id), status: "accepted", followUp: "rescreen", resolution: "Cần thẩm định lại nguồn gốc nguyên liệu." } }), p));
    const page = await jsonOf(await call(processPage.loader, requestAs(ctx.organizer, org), p));
    expect(page.followUpsOpen.join(" ")).toMatch(/chờ thẩm định lại/);
    const bad = await call(processPage.action, requestAs(ctx.organizer, org, { form: { intent: "rescreen", complaintId: String(c.id), outcome: "eligible", note: "" } }), p);
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).fields.note).toMatch(/10–2000 ký tự/);
    const ok = await toastOf(await call(processPage.action, requestAs(ctx.organizer, org, { form: { intent: "rescreen", complaintId: String(c.id), outcome: "eligible", note: "Nguyên liệu mua trong nước, có hóa đơn; hồ sơ vẫn đủ điều kiện." } }), p));
    expect(ok.message).toMatch(/Vẫn đủ điều kiện/);
    expect((await jsonOf(await call(processPage.loader, requestAs(ctx.organizer, org), p))).followUpsOpen).toEqual([]);
    const t0 = (await publicRoundInfo(ctx.round.slug))!.provisional!.publishedAt;
    expect((await recordCouncilDecision({ ...decision, now: after(t0) })).selected).toBe(2);
  });

  it("a process complaint cannot ask for a re-screening; a rejected one cannot be re-screened", async () => {
    const { ctx, c } = await withComplaint();
    const u = await createTestUser();
    const p = await fileComplaint({ roundId: ctx.round.id, userId: u.id, body: "Hội đồng không công bố danh sách thành viên trước phiên họp.", client: `10.8.${ctx.round.id}.8` });
    await expect(resolveComplaint({ complaintId: p.id, actorId: ctx.organizer.id, status: "accepted", resolution: "Chấp nhận, cần bổ sung công bố.", followUp: "rescreen" })).rejects.toThrow(/Thẩm định lại chỉ áp dụng/);
    await resolveComplaint({ complaintId: c.id, actorId: ctx.organizer.id, status: "rejected", resolution: "Hồ sơ có hóa đơn mua nguyên liệu trong nước.", followUp: "none" });
    await expect(recordRescreening({ complaintId: c.id, actorId: ctx.organizer.id, outcome: "ineligible", note: "Thử thẩm định lại khiếu nại đã bác." })).rejects.toThrow(/không yêu cầu thẩm định lại/);
  });

  it("a new-session follow-up needs a session opened after the complaint was accepted", async () => {
    const { ctx, c, decision, after } = await withComplaint();
    // a session opened before the acceptance (and closed after it) does not count
    const s2 = await openSession({ roundId: ctx.round.id, actorId: ctx.secretary.id, heldOn: "2026-09-28", place: "Phòng họp số 2, Cục Công Thương địa phương", presentUserIds: ctx.seats.map((x) => x.id) });
    await resolveComplaint({ complaintId: c.id, actorId: ctx.organizer.id, status: "accepted", resolution: "Hội đồng cần xem xét lại toàn bộ danh sách.", followUp: "new_session" });
    for (const e of ctx.entries) await recordVote({ sessionId: s2.id, actorId: ctx.secretary.id, entryId: e.id, yes: 3, no: 0 });
    await closeSession({ sessionId: s2.id, actorId: ctx.secretary.id });
    const t1 = new Date();
    await publishProvisional({ roundId: ctx.round.id, actorId: ctx.organizer.id, now: t1 });
    await expect(recordCouncilDecision({ ...decision, now: after(t1) })).rejects.toThrow(/hội đồng cần họp lại/);
    await session(ctx, [0, 1]);
    const t2 = new Date();
    await publishProvisional({ roundId: ctx.round.id, actorId: ctx.organizer.id, now: t2 });
    expect((await recordCouncilDecision({ ...decision, now: after(t2) })).selected).toBe(2);
  });
});

describe("bad input around the council writes nothing", () => {
  it("a founding decision whose PDF is not a PDF, or with a malformed number; a refused decision leaves the round as it was", async () => {
    const { ctx, decision, after, t0 } = await withComplaint();
    const body = { roundId: ctx.round.id, actorId: ctx.organizer.id, kind: "council" as const, decisionNo: "125/QĐ-CNĐP", decisionDate: "2026-06-01", decisionSigner: "Cục trưởng Nguyễn Văn A" };
    await expect(saveBodyDecision({ ...body, pdf: { bytes: Buffer.from("<html>không phải PDF</html>"), name: "qd.pdf" } })).rejects.toMatchObject({ status: 400, fields: { pdf: expect.stringMatching(/không phải là PDF/) } });
    await expect(saveBodyDecision({ ...body, decisionNo: "một hai ba" })).rejects.toMatchObject({ status: 400, fields: { decisionNo: expect.stringMatching(/125\/QĐ-CNĐP/) } });
    expect(await listBodies(ctx.round.id)).toEqual([]);
    // a real PDF is stored and served back to the round's organiser, byte for byte
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    await saveBodyDecision({ ...body, pdf: { bytes: pdf, name: "qd-1011.pdf" } });
    const file = "quyet-dinh-council.pdf";
    const served = await call(bodyFiles.loader, requestAs(ctx.organizer, `/organizer/rounds/${ctx.round.slug}/hoi-dong/${file}`), { slug: ctx.round.slug, file });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(pdf)).toBe(true);
    // with a complaint open, the decision is refused and nothing of it is written
    await expect(recordCouncilDecision({ ...decision, now: after(t0) })).rejects.toThrow(/Còn 1 khiếu nại chưa giải quyết/);
    const [round] = await db().select().from(rounds).where(eq(rounds.id, ctx.round.id));
    expect(round).toMatchObject({ decisionNo: null, decisionSignerName: null, finalisedAt: null, status: "deliberation" });
    expect((await db().select().from(entries).where(eq(entries.roundId, ctx.round.id))).every((e) => e.status === "eligible")).toBe(true);
  });
});

describe("the database keeps the council's record", () => {
  it("refuses a direct SQL change of the votes or the row of a closed session, and any change after the decision", async () => {
    const { ctx, s1, c, decision, after } = await withComplaint();
    const sid = s1.id;
    await expect(db().execute(sql`update council_votes set yes = 0, no = 3, approved = false where session_id = ${sid}`)).rejects.toThrow();
    await expect(db().execute(sql`delete from council_votes where session_id = ${sid}`)).rejects.toThrow();
    await expect(db().execute(sql`insert into council_votes (session_id, entry_id, mode, yes, no, approved) values (${sid}, ${ctx.entries[0].id}, 'counts', 0, 3, false)`)).rejects.toThrow();
    await expect(db().execute(sql`update council_sessions set present_user_ids = '{}' where id = ${sid}`)).rejects.toThrow();
    await expect(db().execute(sql`update council_sessions set closed_at = null where id = ${sid}`)).rejects.toThrow();
    await expect(db().execute(sql`delete from council_sessions where id = ${sid}`)).rejects.toThrow();
    const votes = await db().select().from(councilVotes).where(eq(councilVotes.sessionId, sid));
    expect(votes.map((v) => v.approved)).toEqual([true, true]);

    // an open session's votes may still change (the secretary corrects a vote before closing)
    const s2 = await openSession({ roundId: ctx.round.id, actorId: ctx.secretary.id, heldOn: "2026-09-28", place: "Phòng họp số 2, Cục Công Thương địa phương", presentUserIds: ctx.seats.map((x) => x.id) });
    await recordVote({ sessionId: s2.id, actorId: ctx.secretary.id, entryId: ctx.entries[0].id, yes: 3, no: 0 });
    await db().execute(sql`update council_votes set reason = 'Sửa lỗi ghi chép trước khi kết thúc phiên.' where session_id = ${s2.id}`);
    await recordVote({ sessionId: s2.id, actorId: ctx.secretary.id, entryId: ctx.entries[1].id, yes: 3, no: 0 });
    await closeSession({ sessionId: s2.id, actorId: ctx.secretary.id });
    const t1 = new Date();
    await publishProvisional({ roundId: ctx.round.id, actorId: ctx.organizer.id, now: t1 });
    await resolveComplaint({ complaintId: c.id, actorId: ctx.organizer.id, status: "rejected", resolution: "Hồ sơ có hóa đơn mua nguyên liệu trong nước.", followUp: "none" });
    await recordCouncilDecision({ ...decision, now: after(t1) });
    // after the decision: no new session, no vote
    await expect(
      db().execute(sql`insert into council_sessions (round_id, seq, held_on, place, present_user_ids, members_total) values (${ctx.round.id}, 9, '2026-10-02', 'Phòng họp', '{}', 3)`),
    ).rejects.toThrow();
    const [{ n }] = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from council_sessions where round_id = ${ctx.round.id}`));
    expect(n).toBe(2);
    const closed = await db().select().from(councilSessions).where(eq(councilSessions.roundId, ctx.round.id));
    expect(closed.every((s) => s.closedAt)).toBe(true);
  });

  it("the signer's name lives on the round (certificates, the public API and the minutes read it there)", async () => {
    const { ctx, c, decision, after, t0 } = await withComplaint();
    await resolveComplaint({ complaintId: c.id, actorId: ctx.organizer.id, status: "rejected", resolution: "Hồ sơ có hóa đơn mua nguyên liệu trong nước.", followUp: "none" });
    await recordCouncilDecision({ ...decision, now: after(t0) });
    const [round] = await db().select().from(rounds).where(eq(rounds.id, ctx.round.id));
    expect(round.decisionSignerName).toBe("Nguyễn Văn Bình");
    const cols = rowsOf<{ column_name: string }>(await db().execute(sql`select column_name from information_schema.columns where table_name = 'round_process'`)).map((r) => r.column_name);
    expect(cols).not.toContain("decision_signer_name");
  });
});
