import fs from "node:fs";

import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";

import { listBodies, saveBodyDecision } from "../../app/models/council/bodies.server";
import { recordCouncilDecision } from "../../app/models/council/decision.server";
import { councilMinutesData, councilMinutesPdf, councilMinutesXlsx } from "../../app/models/council/minutes.server";
import { saveProcessSettings } from "../../app/models/council/process.server";
import { checkRecommendedList, hasQuorum, quorumNeeded, stageOf, votesNeeded } from "../../app/models/council/session-rules";
import { closeSession, openSession, recordVote, votesOf } from "../../app/models/council/session.server";
import { sweepStrayUploads } from "../../app/models/entry/media.server";
import { fileComplaint, listComplaints, provisionalList, publishProvisional, resolveComplaint } from "../../app/models/results/complaint.server";
import { finaliseRound, publishRound } from "../../app/models/results/results.server";
import { db } from "../../app/utils/db.server";
import { certificates, complaints, councilSessions, councilVotes, entries, rounds } from "../../db/schema";
import { scoredRound } from "../factories/council";
import { createTestUser } from "../factories/index";

const DAY = 86_400_000;
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const agreeAll = (ids: string[], yes = ids.length) => Object.fromEntries(ids.map((id, i) => [id, i < yes]));

async function openedSession(ctx: Awaited<ReturnType<typeof scoredRound>>, present = ctx.seats) {
  return openSession({ roundId: ctx.round.id, actorId: ctx.secretary.id, heldOn: "2026-09-10", place: "Phòng họp tầng 3, Cục Công Thương địa phương", presentUserIds: present.map((s) => s.id) });
}

describe("council rules (pure)", () => {
  it("quorum and vote rule default to more than half", () => {
    expect(quorumNeeded(7)).toBe(4);
    expect(quorumNeeded(6)).toBe(4);
    expect(hasQuorum(3, 6)).toBe(false);
    expect(votesNeeded(4)).toBe(3);
    expect(votesNeeded(5)).toBe(3);
    expect(votesNeeded(6, 66)).toBe(4);
  });
  it("a left-out entry scoring at least as high as one voted in needs a reason (the boundary tie)", () => {
    const candidates = [
      { entryId: 1, code: "A", mean: 80, passed: true },
      { entryId: 2, code: "B", mean: 75, passed: true },
      { entryId: 3, code: "C", mean: 75, passed: true },
    ];
    const votes: { entryId: number; approved: boolean; reason: string | null }[] = [
      { entryId: 1, approved: true, reason: null },
      { entryId: 2, approved: true, reason: null },
      { entryId: 3, approved: false, reason: null },
    ];
    expect(checkRecommendedList({ candidates, votes, quota: 2 }).join(" ")).toMatch(/C \(75\.00 điểm\).*ghi lý do/);
    votes[2].reason = "Hội đồng chọn B vì thị trường xuất khẩu ổn định hơn.";
    expect(checkRecommendedList({ candidates, votes, quota: 2 })).toEqual([]);
    expect(checkRecommendedList({ candidates, votes: votes.map((v) => ({ ...v, approved: true })), quota: 2 }).join(" ")).toMatch(/vượt chỉ tiêu 2/);
  });
  it("stage follows status, provisional publication and decision", () => {
    expect(stageOf({ status: "deliberation", decisionNo: null, provisionalPublishedAt: null })).toBe("council");
    expect(stageOf({ status: "deliberation", decisionNo: null, provisionalPublishedAt: new Date() })).toBe("provisional");
    expect(stageOf({ status: "deliberation", decisionNo: "1/QĐ-X", provisionalPublishedAt: new Date() })).toBe("decided");
    expect(stageOf({ status: "published", decisionNo: "1/QĐ-X", provisionalPublishedAt: null })).toBe("published");
  });
});

describe("council process", () => {
  it("runs from the session to certificates: votes, provisional list, complaint, decision after the window", async () => {
    const ctx = await scoredRound({ means: [85, 72, 60], members: 5 });
    await saveBodyDecision({ roundId: ctx.round.id, actorId: ctx.organizer.id, kind: "council", decisionNo: "125/QĐ-CNĐP", decisionDate: "2026-06-01", decisionSigner: "Cục trưởng Nguyễn Văn A", pdf: { bytes: PDF, name: "qd-thanh-lap.pdf" } });
    await saveBodyDecision({ roundId: ctx.round.id, actorId: ctx.organizer.id, kind: "jury", decisionNo: "126/QĐ-CNĐP", decisionDate: "2026-06-01", decisionSigner: "Cục trưởng Nguyễn Văn A" });
    expect((await listBodies(ctx.round.id)).map((b) => [b.kind, !!b.pdfSha256])).toEqual([["council", true], ["jury", false]]);
    // the start-up sweep keeps a stored decision PDF (it has no media row)
    const [body] = await listBodies(ctx.round.id);
    expect(await sweepStrayUploads({ olderThanMs: -1000 })).not.toContain(body.pdfId);
    // finalising by the old mechanical path is refused once the round has a council
    await expect(finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id })).rejects.toThrow(/Hội đồng bình chọn/);

    const present = ctx.seats.slice(0, 4);
    const s = await openedSession(ctx, present);
    const ids = present.map((p) => p.id);
    await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: ctx.entries[0].id, memberVotes: agreeAll(ids) });
    const second = await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: ctx.entries[1].id, yes: 3, no: 1 });
    expect(second.approved).toBe(true);
    await closeSession({ sessionId: s.id, actorId: ctx.secretary.id });

    const t0 = new Date();
    const { closesAt } = await publishProvisional({ roundId: ctx.round.id, actorId: ctx.organizer.id, now: t0 });
    expect(closesAt.getTime() - t0.getTime()).toBe(10 * DAY);
    const prov = await provisionalList(ctx.round.id);
    expect(prov!.entries.map((e) => [e.entryCode, e.votes])).toEqual([
      [ctx.entries[0].code, { agree: 4, disagree: 0 }],
      [ctx.entries[1].code, { agree: 3, disagree: 1 }],
    ]);

    const producer = await createTestUser();
    const c = await fileComplaint({ roundId: ctx.round.id, userId: producer.id, entryCode: ctx.entries[1].code, body: "Sản phẩm này chưa có giấy chứng nhận an toàn thực phẩm còn hiệu lực.", pdf: { bytes: PDF, name: "bang-chung.pdf" }, client: "10.0.0.1" });
    expect(c.code).toMatch(/^KN26-\d+-001$/);
    const decision = { roundId: ctx.round.id, actorId: ctx.organizer.id, decisionNo: "900/QĐ-CNĐP", decisionDate: "2026-10-01", signerTitle: "Cục trưởng", signerName: "Nguyễn Văn A" };
    await expect(recordCouncilDecision({ ...decision, now: new Date(t0.getTime() + DAY) })).rejects.toThrow(/Thời hạn khiếu nại chưa hết/);
    await expect(recordCouncilDecision({ ...decision, now: new Date(t0.getTime() + 11 * DAY) })).rejects.toThrow(/Còn 1 khiếu nại chưa giải quyết/);
    await expect(fileComplaint({ roundId: ctx.round.id, userId: producer.id, body: "Quy trình họp hội đồng không công khai danh sách thành viên.", now: new Date(t0.getTime() + 11 * DAY) })).rejects.toThrow(/hết thời hạn khiếu nại/);
    await resolveComplaint({ complaintId: c.id, actorId: ctx.organizer.id, status: "rejected", resolution: "Hồ sơ có giấy chứng nhận còn hiệu lực đến 2027 (trang 4).", followUp: "none" });
    const publicList = await listComplaints(ctx.round.id);
    expect(publicList[0]).not.toHaveProperty("email");
    expect(publicList[0]).toMatchObject({ status: "rejected", subject: ctx.entries[1].code });

    // a different list needs a reason
    await expect(recordCouncilDecision({ ...decision, entryIds: [ctx.entries[0].id], now: new Date(t0.getTime() + 11 * DAY) })).rejects.toThrow(/ghi lý do/);
    const done = await recordCouncilDecision({ ...decision, now: new Date(t0.getTime() + 11 * DAY) });
    expect(done).toMatchObject({ selected: 2, sameAsCouncil: true });
    const states = await db().select({ id: entries.id, status: entries.status }).from(entries).where(eq(entries.roundId, ctx.round.id));
    expect(states.filter((e) => e.status === "selected").map((e) => e.id).sort()).toEqual([ctx.entries[0].id, ctx.entries[1].id].sort());
    const pub = await publishRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    expect(pub.certificates).toBe(2);
    // the minutes carry attendance, votes, the complaint and the decision (PDF A4 and XLSX)
    const minutes = await councilMinutesData(ctx.round.id);
    const pdf = await councilMinutesPdf(minutes);
    fs.mkdirSync("/tmp/b14", { recursive: true });
    fs.writeFileSync("/tmp/b14/minutes.pdf", pdf);
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe("%PDF-");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await councilMinutesXlsx(minutes)) as unknown as ArrayBuffer);
    expect(wb.getWorksheet("Phiên họp")!.getRow(2).getCell(4).value).toBe(4);
    expect(wb.getWorksheet("Biểu quyết")!.rowCount).toBe(3);
    expect(wb.getWorksheet("Khiếu nại")!.getRow(2).getCell(4).value).toBe("Không chấp nhận");
    expect(await db().select().from(certificates).where(eq(certificates.roundId, ctx.round.id))).toHaveLength(2);
  });

  it("refuses a vote without quorum and writes nothing", async () => {
    const ctx = await scoredRound({ means: [85], members: 5 });
    const s = await openedSession(ctx, ctx.seats.slice(0, 2));
    await expect(recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: ctx.entries[0].id, yes: 2, no: 0 })).rejects.toThrow(/Không đủ túc số: có 2\/5 .*cần ít nhất 3/);
    expect(await votesOf(s.id)).toHaveLength(0);
  });

  it("refuses voting in an entry below the pass mark; voting it out is recorded", async () => {
    const ctx = await scoredRound({ means: [65], members: 3 });
    const s = await openedSession(ctx);
    await expect(recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: ctx.entries[0].id, yes: 3, no: 0 })).rejects.toThrow(/dưới điểm đạt 70: không thể biểu quyết/);
    expect(await votesOf(s.id)).toHaveLength(0);
    await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: ctx.entries[0].id, yes: 0, no: 3 });
    expect((await votesOf(s.id))[0].approved).toBe(false);
  });

  it("refuses a list over the quota and a tie left out without a reason", async () => {
    const ctx = await scoredRound({ means: [85, 75, 75], members: 3, quota: 2 });
    const s = await openedSession(ctx);
    for (const e of ctx.entries) await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: e.id, yes: 3, no: 0 });
    await expect(closeSession({ sessionId: s.id, actorId: ctx.secretary.id })).rejects.toThrow(/vượt chỉ tiêu 2/);
    await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: ctx.entries[2].id, yes: 1, no: 2 });
    await expect(closeSession({ sessionId: s.id, actorId: ctx.secretary.id })).rejects.toThrow(/ghi lý do/);
    const [row] = await db().select().from(councilSessions).where(eq(councilSessions.id, s.id));
    expect(row.closedAt).toBeNull();
    await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: ctx.entries[2].id, yes: 1, no: 2, reason: "Bằng điểm tại ranh giới; hội đồng biểu quyết chọn sản phẩm có thị trường rộng hơn." });
    expect(await closeSession({ sessionId: s.id, actorId: ctx.secretary.id })).toEqual({ recommended: 2 });
  });

  it("refuses bad complaints (empty, too long, not a PDF, a flood) and an accepted list-changing one sends the list back", async () => {
    const ctx = await scoredRound({ means: [85], members: 3 });
    await saveProcessSettings({ roundId: ctx.round.id, actorId: ctx.organizer.id, quorumPct: 50, votePct: 50, complaintDays: 5 });
    const s = await openedSession(ctx);
    await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: ctx.entries[0].id, yes: 3, no: 0 });
    await closeSession({ sessionId: s.id, actorId: ctx.secretary.id });
    const t0 = new Date();
    const { closesAt } = await publishProvisional({ roundId: ctx.round.id, actorId: ctx.organizer.id, now: t0 });
    expect(closesAt.getTime() - t0.getTime()).toBe(5 * DAY);
    const u = await createTestUser();
    const base = { roundId: ctx.round.id, userId: u.id, client: "10.1.1.1" };
    await expect(fileComplaint({ ...base, body: "   " })).rejects.toThrow(/ít nhất 20 ký tự/);
    await expect(fileComplaint({ ...base, body: "x".repeat(5001) })).rejects.toThrow(/tối đa 5000 ký tự/);
    await expect(fileComplaint({ ...base, body: "Nội dung khiếu nại đủ dài để được xem xét.", pdf: { bytes: Buffer.from("<html>not a pdf</html>"), name: "x.pdf" } })).rejects.toThrow(/không phải là PDF/);
    const unverified = await createTestUser({ verified: false });
    await expect(fileComplaint({ ...base, userId: unverified.id, body: "Nội dung khiếu nại đủ dài để được xem xét." })).rejects.toThrow(/Xác minh địa chỉ email/);
    expect(await db().select().from(complaints).where(eq(complaints.roundId, ctx.round.id))).toHaveLength(0);
    const first = await fileComplaint({ ...base, body: "Khiếu nại thứ nhất về quy trình họp hội đồng." });
    await fileComplaint({ ...base, body: "Khiếu nại thứ hai về quy trình họp hội đồng." });
    await fileComplaint({ ...base, body: "Khiếu nại thứ ba về quy trình họp hội đồng." });
    await expect(fileComplaint({ ...base, body: "Khiếu nại thứ tư về quy trình họp hội đồng." })).rejects.toThrow(/3 khiếu nại trong một giờ/);
    expect(await db().select().from(complaints).where(eq(complaints.roundId, ctx.round.id))).toHaveLength(3);

    const later = new Date(t0.getTime() + 6 * DAY);
    const all = await listComplaints(ctx.round.id);
    await resolveComplaint({ complaintId: first.id, actorId: ctx.organizer.id, status: "accepted", resolution: "Hội đồng cần họp lại để xem xét đầy đủ.", followUp: "new_session" });
    for (const c of all.slice(1)) await resolveComplaint({ complaintId: c.id, actorId: ctx.organizer.id, status: "rejected", resolution: "Trùng nội dung với khiếu nại đã chấp nhận.", followUp: "none" });
    const decision = { roundId: ctx.round.id, actorId: ctx.organizer.id, decisionNo: "901/QĐ-CNĐP", decisionDate: "2026-10-01", signerTitle: "Cục trưởng", signerName: "Nguyễn Văn A", now: later };
    await expect(recordCouncilDecision(decision)).rejects.toThrow(/hội đồng cần họp lại/);
    const s2 = await openedSession(ctx);
    await recordVote({ sessionId: s2.id, actorId: ctx.secretary.id, entryId: ctx.entries[0].id, yes: 2, no: 1 });
    await closeSession({ sessionId: s2.id, actorId: ctx.secretary.id });
    await expect(recordCouncilDecision(decision)).rejects.toThrow(/Công khai danh sách dự kiến/);
    const t1 = new Date();
    await publishProvisional({ roundId: ctx.round.id, actorId: ctx.organizer.id, now: t1 });
    await recordCouncilDecision({ ...decision, now: new Date(t1.getTime() + 6 * DAY) });
    const [round] = await db().select().from(rounds).where(eq(rounds.id, ctx.round.id));
    expect(round.decisionNo).toBe("901/QĐ-CNĐP");
    expect(await db().select().from(councilVotes).where(eq(councilVotes.sessionId, s2.id))).toHaveLength(1);
  });
});
