/**
 * The two bodies of a round and the council's work (issue 14): founding decisions of the jury and
 * the council (number, date, signer, signed PDF), the council's seats, its sessions after scoring
 * closed (attendance, quorum), the vote on each candidate, the recommended list, and the
 * authority's decision that finalises the round with the list as decided. Pure rules in
 * council-session-rules.ts; complaints and the provisional list in complaint.server.ts.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";

import {
  type BodyKind,
  complaintRescreenings,
  complaints,
  councilSeats,
  councilSessions,
  councilVotes,
  entries,
  products,
  roundBodies,
  roundProcess,
  rounds,
  type SeatRole,
  SEAT_ROLES,
  users,
} from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { withRetry } from "../../utils/retry.server";
import { prepareAttachedPdf } from "../../utils/uploads.server";
import { computeResults, finaliseRound, recordDecision, unsubmittedSheets } from "../results/results.server";
import { isPlausibleSlug } from "../round/rules";
import { pendingSheetDecisions } from "../scoring/sheet-decisions.server";
import { recordAudit } from "../shared/audit.server";
import { checkRecommendedList, DEFAULT_COMPLAINT_DAYS, type FollowUpState, hasQuorum, openFollowUps, quorumNeeded, SEAT_NAMES, votesNeeded } from "./session-rules";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string) => DATE_RE.test(s) && !Number.isNaN(Date.parse(s));

/** The round's process settings (defaults when none were saved). */
export async function processOf(roundId: number, tx: Database = db()) {
  const [row] = await tx.select().from(roundProcess).where(eq(roundProcess.roundId, roundId));
  return (
    row ?? {
      roundId,
      quorumPct: 50,
      votePct: 50,
      complaintDays: DEFAULT_COMPLAINT_DAYS,
      provisionalPublishedAt: null,
      complaintsCloseAt: null,
      provisionalSessionId: null,
      decisionNote: null,
    }
  );
}

async function ensureProcess(roundId: number, tx: Database) {
  await tx.insert(roundProcess).values({ roundId }).onConflictDoNothing();
}

/**
 * Saves the round's council rules: quorum and vote rule as "more than N %" and the complaint window.
 * @throws AppError 400 out of range, 409 once a council session has opened.
 */
export async function saveProcessSettings(input: { roundId: number; actorId: string; quorumPct: number; votePct: number; complaintDays: number }) {
  const fields: Record<string, string> = {};
  if (!Number.isInteger(input.quorumPct) || input.quorumPct < 0 || input.quorumPct > 99) fields.quorumPct = "Tỷ lệ túc số từ 0 đến 99%.";
  if (!Number.isInteger(input.votePct) || input.votePct < 0 || input.votePct > 99) fields.votePct = "Tỷ lệ biểu quyết từ 0 đến 99%.";
  if (!Number.isInteger(input.complaintDays) || input.complaintDays < 1 || input.complaintDays > 90)
    fields.complaintDays = "Thời hạn khiếu nại từ 1 đến 90 ngày.";
  if (Object.keys(fields).length) throw new AppError(400, "Quy tắc hội đồng chưa hợp lệ.", fields);
  return db().transaction(async (tx) => {
    await lockRound(input.roundId, tx);
    const [s] = await tx.select({ id: councilSessions.id }).from(councilSessions).where(eq(councilSessions.roundId, input.roundId)).limit(1);
    if (s) throw new AppError(409, "Hội đồng đã họp: không thể đổi túc số, quy tắc biểu quyết hay thời hạn khiếu nại.");
    await ensureProcess(input.roundId, tx);
    await tx
      .update(roundProcess)
      .set({ quorumPct: input.quorumPct, votePct: input.votePct, complaintDays: input.complaintDays })
      .where(eq(roundProcess.roundId, input.roundId));
    await recordAudit(
      { actorId: input.actorId, action: "council.settings", entity: "round", entityId: input.roundId, roundId: input.roundId, after: { ...input, actorId: undefined } },
      tx,
    );
  });
}

async function lockRound(roundId: number, tx: Database) {
  const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for("update");
  if (!round) throw notFound();
  return round;
}

// ───────────── founding decisions ─────────────

export async function listBodies(roundId: number, tx: Database = db()) {
  return tx.select().from(roundBodies).where(eq(roundBodies.roundId, roundId)).orderBy(asc(roundBodies.kind));
}

/**
 * Records (or corrects) the founding decision of the jury or the council, with its signed PDF
 * (checked as a real PDF by the upload pipeline; stored under UPLOADS_DIR like a document).
 * @throws AppError 400 with the field, 409 once the round's result is decided.
 */
export async function saveBodyDecision(input: {
  roundId: number;
  actorId: string;
  kind: BodyKind;
  decisionNo: string;
  decisionDate: string;
  decisionSigner: string;
  pdf?: { bytes: Buffer; name: string } | null;
}) {
  const no = input.decisionNo.trim();
  const signer = input.decisionSigner.trim();
  const fields: Record<string, string> = {};
  if (!["jury", "council"].includes(input.kind)) fields.kind = "Chọn ban giám khảo hoặc hội đồng.";
  if (!/^\d+\/[\p{L}\d-]+$/u.test(no)) fields.decisionNo = "Số quyết định có dạng 125/QĐ-CNĐP.";
  if (!validDate(input.decisionDate)) fields.decisionDate = "Ngày quyết định không hợp lệ.";
  if (signer.length < 3 || signer.length > 200) fields.decisionSigner = "Nhập người ký quyết định (chức vụ và họ tên).";
  if (Object.keys(fields).length) throw new AppError(400, "Thông tin quyết định thành lập chưa hợp lệ.", fields);
  const attached = await prepareAttachedPdf(input.pdf);
  try {
    return await db().transaction(async (tx) => {
      const round = await lockRound(input.roundId, tx);
      if (round.decisionNo || round.finalisedAt) throw new AppError(409, "Đợt đã có quyết định công nhận: không sửa quyết định thành lập.");
      const values = {
        roundId: round.id,
        kind: input.kind,
        decisionNo: no,
        decisionDate: input.decisionDate,
        decisionSigner: signer,
        recordedBy: input.actorId,
        ...attached.columns,
      };
      await tx
        .insert(roundBodies)
        .values(values)
        .onConflictDoUpdate({ target: [roundBodies.roundId, roundBodies.kind], set: { ...values, recordedAt: new Date() } });
      await recordAudit(
        { actorId: input.actorId, action: "body.decision", entity: "round", entityId: round.id, roundId: round.id, after: { kind: input.kind, decisionNo: no, decisionDate: input.decisionDate, signer, pdf: attached.sha256 } },
        tx,
      );
      await attached.commit();
    });
  } catch (error) {
    await attached.discard();
    throw error;
  }
}

// ───────────── council seats ─────────────

export async function listSeats(roundId: number, tx: Database = db()) {
  return tx
    .select({ userId: councilSeats.userId, role: councilSeats.role, fullName: users.fullName, title: users.title, email: users.email })
    .from(councilSeats)
    .innerJoin(users, eq(users.id, councilSeats.userId))
    .where(eq(councilSeats.roundId, roundId))
    .orderBy(sql`case ${councilSeats.role} when 'chair' then 0 when 'vice_chair' then 1 when 'member' then 2 else 3 end`, asc(users.fullName));
}

/**
 * Seats an account on the council (chair, vice-chair, member, secretary) by e-mail. A person may
 * also sit on the jury. One chair.
 * @throws AppError 400 unknown account or role, 409 after the decision or during an open session.
 */
export async function saveSeat(input: { roundId: number; actorId: string; email: string; role: SeatRole }) {
  if (!SEAT_ROLES.includes(input.role)) throw new AppError(400, "Chọn vai trò trong hội đồng.", { role: "Chọn vai trò." });
  const email = input.email.trim().toLowerCase();
  return db().transaction(async (tx) => {
    const round = await lockRound(input.roundId, tx);
    if (round.decisionNo || round.finalisedAt) throw new AppError(409, "Đợt đã có quyết định công nhận: không thay đổi hội đồng.");
    const [open] = await tx.select({ id: councilSessions.id }).from(councilSessions).where(and(eq(councilSessions.roundId, round.id), isNull(councilSessions.closedAt)));
    if (open) throw new AppError(409, "Hội đồng đang họp: thay đổi thành phần sau khi kết thúc phiên họp.");
    const [user] = await tx.select({ id: users.id, name: users.fullName }).from(users).where(sql`lower(${users.email}) = ${email}`);
    if (!user) throw new AppError(400, "Không có tài khoản với địa chỉ email này.", { email: "Không có tài khoản với địa chỉ email này." });
    if (input.role === "chair") {
      const [chair] = await tx.select().from(councilSeats).where(and(eq(councilSeats.roundId, round.id), eq(councilSeats.role, "chair")));
      if (chair && chair.userId !== user.id) throw new AppError(400, "Hội đồng đã có Chủ tịch: đổi vai trò của người đó trước.", { role: "Hội đồng đã có Chủ tịch." });
    }
    await tx
      .insert(councilSeats)
      .values({ roundId: round.id, userId: user.id, role: input.role })
      .onConflictDoUpdate({ target: [councilSeats.roundId, councilSeats.userId], set: { role: input.role } });
    await recordAudit(
      { actorId: input.actorId, action: "council.seat", entity: "round", entityId: round.id, roundId: round.id, after: { userId: user.id, role: input.role } },
      tx,
    );
    return { name: user.name, roleName: SEAT_NAMES[input.role] };
  });
}

export async function removeSeat(input: { roundId: number; actorId: string; userId: string }) {
  return db().transaction(async (tx) => {
    const round = await lockRound(input.roundId, tx);
    if (round.decisionNo || round.finalisedAt) throw new AppError(409, "Đợt đã có quyết định công nhận: không thay đổi hội đồng.");
    const [open] = await tx.select({ id: councilSessions.id }).from(councilSessions).where(and(eq(councilSessions.roundId, round.id), isNull(councilSessions.closedAt)));
    if (open) throw new AppError(409, "Hội đồng đang họp: thay đổi thành phần sau khi kết thúc phiên họp.");
    await tx.delete(councilSeats).where(and(eq(councilSeats.roundId, round.id), eq(councilSeats.userId, input.userId)));
    await recordAudit({ actorId: input.actorId, action: "council.unseat", entity: "round", entityId: round.id, roundId: round.id, after: { userId: input.userId } }, tx);
  });
}

/** Whether the user is the council's secretary in this round (who opens sessions and records votes). */
export async function isSecretary(roundId: number, userId: string, tx: Database = db()) {
  const [row] = await tx
    .select()
    .from(councilSeats)
    .where(and(eq(councilSeats.roundId, roundId), eq(councilSeats.userId, userId), eq(councilSeats.role, "secretary")));
  return !!row;
}

/** Rounds where the user is the council's secretary (their work list). */
export async function secretaryRounds(userId: string) {
  return db()
    .select({ id: rounds.id, slug: rounds.slug, title: rounds.title, status: rounds.status })
    .from(councilSeats)
    .innerJoin(rounds, eq(rounds.id, councilSeats.roundId))
    .where(and(eq(councilSeats.userId, userId), eq(councilSeats.role, "secretary")))
    .orderBy(desc(rounds.year));
}

export async function hasCouncil(roundId: number, tx: Database = db()) {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(councilSeats).where(eq(councilSeats.roundId, roundId));
  return (row?.n ?? 0) > 0;
}

// ───────────── sessions and votes ─────────────

export async function listSessions(roundId: number, tx: Database = db()) {
  return tx.select().from(councilSessions).where(eq(councilSessions.roundId, roundId)).orderBy(asc(councilSessions.seq));
}

export async function latestClosedSession(roundId: number, tx: Database = db()) {
  const [row] = await tx
    .select()
    .from(councilSessions)
    .where(and(eq(councilSessions.roundId, roundId), isNotNull(councilSessions.closedAt)))
    .orderBy(desc(councilSessions.seq))
    .limit(1);
  return row ?? null;
}

export async function votesOf(sessionId: number, tx: Database = db()) {
  return tx.select().from(councilVotes).where(eq(councilVotes.sessionId, sessionId));
}

/**
 * The secretary opens a session once scoring has closed and the jury's table is complete: date,
 * place, members present (a subset of the seats). Quorum is checked when voting.
 * @throws AppError 400 bad fields, 409 wrong stage, a session already open, the table incomplete.
 */
export async function openSession(input: { roundId: number; actorId: string; heldOn: string; place: string; presentUserIds: string[]; purpose?: string; now?: Date }) {
  const place = input.place.trim();
  const fields: Record<string, string> = {};
  if (!validDate(input.heldOn)) fields.heldOn = "Ngày họp không hợp lệ.";
  if (place.length < 3 || place.length > 300) fields.place = "Nhập địa điểm họp.";
  if (Object.keys(fields).length) throw new AppError(400, "Thông tin phiên họp chưa hợp lệ.", fields);
  return db().transaction(async (tx) => {
    const round = await lockRound(input.roundId, tx);
    if (round.status !== "deliberation" || round.finalisedAt || round.decisionNo)
      throw new AppError(409, "Hội đồng họp sau khi kết thúc chấm điểm và trước khi có quyết định công nhận.");
    const seats = await listSeats(round.id, tx);
    if (!seats.length) throw new AppError(409, "Đợt chưa có hội đồng bình chọn.");
    const [open] = await tx.select({ id: councilSessions.id }).from(councilSessions).where(and(eq(councilSessions.roundId, round.id), isNull(councilSessions.closedAt)));
    if (open) throw new AppError(409, "Đang có một phiên họp chưa kết thúc.");
    const missing = await unsubmittedSheets(round.id, tx);
    if (missing.length) throw new AppError(409, `Còn ${missing.length} phiếu chấm chưa nộp: bảng kết quả của ban giám khảo chưa đủ.`);
    if (await pendingSheetDecisions(round.id, tx)) throw new AppError(409, "Còn phiếu cần quyết định tính hay không tính: bảng kết quả chưa đủ.");
    const seatIds = new Set(seats.map((s) => s.userId));
    const present = [...new Set(input.presentUserIds)];
    if (present.some((id) => !seatIds.has(id))) throw new AppError(400, "Người dự họp phải là thành viên hội đồng.", { present: "Chỉ chọn thành viên hội đồng." });
    const [{ n }] = await tx.select({ n: sql<number>`coalesce(max(${councilSessions.seq}), 0)::int` }).from(councilSessions).where(eq(councilSessions.roundId, round.id));
    const [row] = await tx
      .insert(councilSessions)
      .values({ roundId: round.id, seq: n + 1, heldOn: input.heldOn, place, presentUserIds: present, membersTotal: seats.length, purpose: input.purpose?.trim() || null, openedBy: input.actorId, openedAt: input.now ?? new Date() })
      .returning();
    await ensureProcess(round.id, tx);
    await recordAudit(
      { actorId: input.actorId, action: "council.session_open", entity: "round", entityId: round.id, roundId: round.id, after: { session: row.seq, heldOn: row.heldOn, place, present: present.length, total: seats.length } },
      tx,
    );
    return row;
  });
}

async function openSessionOf(sessionId: number, tx: Database) {
  const [s] = await tx.select().from(councilSessions).where(eq(councilSessions.id, sessionId)).for("update");
  if (!s) throw notFound();
  if (s.closedAt) throw new AppError(409, "Phiên họp đã kết thúc: không ghi thêm biểu quyết.");
  return s;
}

/**
 * Records the council's vote on one candidate: per member present (đồng ý / không đồng ý) or as
 * counts. Refused without quorum and for an entry below the pass mark being voted in.
 * @throws AppError 400 / 409 with the Vietnamese reason; nothing is written.
 */
export async function recordVote(input: {
  sessionId: number;
  actorId: string;
  entryId: number;
  memberVotes?: Record<string, boolean>;
  yes?: number;
  no?: number;
  reason?: string;
  now?: Date;
}) {
  return db().transaction(async (tx) => {
    const session = await openSessionOf(input.sessionId, tx);
    const round = await lockRound(session.roundId, tx);
    if (round.decisionNo || round.finalisedAt) throw new AppError(409, "Đợt đã có quyết định công nhận: không ghi thêm biểu quyết.");
    const settings = await processOf(round.id, tx);
    const present = session.presentUserIds.length;
    if (!hasQuorum(present, session.membersTotal, settings.quorumPct))
      throw new AppError(
        409,
        `Không đủ túc số: có ${present}/${session.membersTotal} thành viên dự họp, cần ít nhất ${quorumNeeded(session.membersTotal, settings.quorumPct)}. Không thể biểu quyết.`,
      );
    const results = await computeResults({ roundId: round.id }, tx);
    const candidate = results.entries.find((e) => e.entryId === input.entryId);
    if (!candidate) throw new AppError(400, "Sản phẩm không thuộc danh sách xét của đợt.");
    let yes: number;
    let no: number;
    let mode: "members" | "counts";
    if (input.memberVotes) {
      mode = "members";
      const keys = Object.keys(input.memberVotes);
      if (keys.some((k) => !session.presentUserIds.includes(k))) throw new AppError(400, "Chỉ thành viên dự họp được biểu quyết.");
      if (keys.length !== present) throw new AppError(400, `Ghi biểu quyết của đủ ${present} thành viên dự họp.`, { votes: "Chưa đủ biểu quyết." });
      yes = keys.filter((k) => input.memberVotes![k]).length;
      no = present - yes;
    } else {
      mode = "counts";
      yes = Number(input.yes);
      no = Number(input.no);
      if (!Number.isInteger(yes) || !Number.isInteger(no) || yes < 0 || no < 0)
        throw new AppError(400, "Số phiếu đồng ý và không đồng ý là số nguyên không âm.", { yes: "Nhập số phiếu." });
      if (yes + no > present) throw new AppError(400, `Tổng số phiếu (${yes + no}) vượt số thành viên dự họp (${present}).`, { yes: "Vượt số người dự họp." });
    }
    const approved = yes >= votesNeeded(present, settings.votePct);
    if (approved && !candidate.passed)
      throw new AppError(
        400,
        `${candidate.code ?? "Sản phẩm"} có điểm trung bình ${candidate.mean == null ? "—" : candidate.mean.toFixed(2)}, dưới điểm đạt ${Number(round.passMark)}: không thể biểu quyết đề nghị công nhận.`,
      );
    const reason = input.reason?.trim() || null;
    if (reason && reason.length > 1000) throw new AppError(400, "Lý do tối đa 1000 ký tự.", { reason: "Quá dài." });
    const values = { sessionId: session.id, entryId: candidate.entryId, mode, yes, no, approved, reason, memberVotes: mode === "members" ? input.memberVotes! : null, recordedBy: input.actorId, recordedAt: input.now ?? new Date() };
    await tx
      .insert(councilVotes)
      .values(values)
      .onConflictDoUpdate({ target: [councilVotes.sessionId, councilVotes.entryId], set: values });
    await recordAudit(
      { actorId: input.actorId, action: "council.vote", entity: "entry", entityId: candidate.entryId, roundId: round.id, after: { session: session.seq, mode, yes, no, approved, reason } },
      tx,
    );
    return { approved, yes, no };
  });
}

/**
 * Ends the session: every candidate at or above the pass mark has a vote, the list is within the
 * quota and every departure from the jury's order has its reason. The approved entries are the
 * council's recommended list.
 */
export async function closeSession(input: { sessionId: number; actorId: string; now?: Date }) {
  return db().transaction(async (tx) => {
    const session = await openSessionOf(input.sessionId, tx);
    const round = await lockRound(session.roundId, tx);
    const settings = await processOf(round.id, tx);
    if (!hasQuorum(session.presentUserIds.length, session.membersTotal, settings.quorumPct))
      throw new AppError(409, "Không đủ túc số: phiên họp không thể thông qua danh sách.");
    const results = await computeResults({ roundId: round.id }, tx);
    const votes = await votesOf(session.id, tx);
    const voted = new Set(votes.map((v) => v.entryId));
    const unvoted = results.entries.filter((e) => e.passed && !voted.has(e.entryId));
    if (unvoted.length)
      throw new AppError(409, `Còn ${unvoted.length} sản phẩm đạt điểm chưa được biểu quyết: ${unvoted.slice(0, 8).map((e) => e.code).join(", ")}${unvoted.length > 8 ? ", …" : ""}.`);
    const problems = checkRecommendedList({
      candidates: results.entries.map((e) => ({ entryId: e.entryId, code: e.code, mean: e.mean, passed: e.passed })),
      votes: votes.map((v) => ({ entryId: v.entryId, approved: v.approved, reason: v.reason })),
      quota: round.quota,
    });
    if (problems.length) throw new AppError(409, problems.join(" "));
    await tx.update(councilSessions).set({ closedAt: input.now ?? new Date(), closedBy: input.actorId }).where(eq(councilSessions.id, session.id));
    const recommended = votes.filter((v) => v.approved).length;
    await recordAudit(
      { actorId: input.actorId, action: "council.session_close", entity: "round", entityId: round.id, roundId: round.id, after: { session: session.seq, recommended } },
      tx,
    );
    return { recommended };
  });
}

/** The council's recommended list: approved entries of the latest closed session (ids). */
export async function recommendedEntryIds(roundId: number, tx: Database = db()) {
  const s = await latestClosedSession(roundId, tx);
  if (!s) return null;
  return (await votesOf(s.id, tx)).filter((v) => v.approved).map((v) => v.entryId);
}

// ───────────── the authority's decision ─────────────

/**
 * Records the competent authority's decision (quyết định công nhận) for a round with a council:
 * only after the complaint window has closed, with every complaint resolved and any accepted
 * list-changing complaint taken back through the council and the list made public again. The list
 * as decided is normally the council's; a difference needs a reason. Finalises the round (sheets
 * locked, SHA-256) with that list and records number, date, signer's title and name — one
 * transaction. Publication and certificates follow as for every round (publishRound).
 */
export async function recordCouncilDecision(input: {
  roundId: number;
  actorId: string;
  decisionNo: string;
  decisionDate: string;
  signerTitle: string;
  signerName: string;
  /** The capacity lines above the signature (one per line); empty = the usual lines for the title. */
  signerCapacity?: string | null;
  entryIds?: number[];
  note?: string;
  now?: Date;
}) {
  const now = input.now ?? new Date();
  const signerName = input.signerName.trim();
  if (signerName.length < 3 || signerName.length > 120)
    throw new AppError(400, "Nhập họ tên người ký quyết định.", { signerName: "Nhập họ tên người ký." });
  return withRetry(() =>
    db().transaction(async (tx) => {
      const round = await lockRound(input.roundId, tx);
      if (round.finalisedAt || round.decisionNo) throw new AppError(409, "Đợt đã có quyết định công nhận.");
      const settings = await processOf(round.id, tx);
      const session = await latestClosedSession(round.id, tx);
      if (!session) throw new AppError(409, "Hội đồng bình chọn chưa họp và biểu quyết danh sách đề nghị.");
      const [sitting] = await tx.select({ id: councilSessions.id }).from(councilSessions).where(and(eq(councilSessions.roundId, round.id), isNull(councilSessions.closedAt)));
      if (sitting) throw new AppError(409, "Hội đồng đang họp: kết thúc phiên họp trước khi ghi quyết định công nhận.");
      if (!settings.provisionalPublishedAt || !settings.complaintsCloseAt || settings.provisionalSessionId !== session.id)
        throw new AppError(409, "Công khai danh sách dự kiến của phiên họp mới nhất trước khi ghi quyết định công nhận.");
      if (now < settings.complaintsCloseAt)
        throw new AppError(409, `Thời hạn khiếu nại chưa hết (đến ${settings.complaintsCloseAt.toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" })}): chưa thể ghi quyết định công nhận.`);
      const list = await complaintFollowUps(round.id, tx);
      const open = list.filter((c) => c.status === "open");
      if (open.length) throw new AppError(409, `Còn ${open.length} khiếu nại chưa giải quyết: ${open.map((c) => c.code).join(", ")}.`);
      const followUps = openFollowUps({ complaints: list, latestSessionOpenedAt: session.openedAt });
      if (followUps.length) throw new AppError(409, followUps.join(" "));
      const council = (await votesOf(session.id, tx)).filter((v) => v.approved).map((v) => v.entryId);
      const decided = [...new Set(input.entryIds ?? council)];
      const same = decided.length === council.length && decided.every((id) => council.includes(id));
      const note = input.note?.trim() || null;
      if (!same && (!note || note.length < 10))
        throw new AppError(400, "Danh sách quyết định khác danh sách hội đồng đề nghị: ghi lý do (ít nhất 10 ký tự).", { note: "Ghi lý do khác biệt." });
      const results = await computeResults({ roundId: round.id }, tx);
      const byId = new Map(results.entries.map((e) => [e.entryId, e]));
      const bad = decided.filter((id) => !byId.get(id)?.passed);
      if (bad.length) throw new AppError(400, "Danh sách quyết định có sản phẩm dưới điểm đạt hoặc không thuộc đợt.");
      if (round.quota != null && decided.length > round.quota) throw new AppError(400, `Danh sách vượt chỉ tiêu ${round.quota} sản phẩm.`);
      // The decision fields first would be refused after finalisation only outside deliberation; the
      // order below keeps both in this one transaction.
      const fin = await finaliseRound({ roundId: round.id, actorId: input.actorId, now, selectedEntryIds: decided }, tx);
      await recordDecision(
        {
          roundId: round.id,
          actorId: input.actorId,
          decisionNo: input.decisionNo,
          decisionDate: input.decisionDate,
          decisionSigner: input.signerTitle,
          decisionSignerName: signerName,
          decisionSignerCapacity: input.signerCapacity ?? null,
        },
        tx,
      );
      await ensureProcess(round.id, tx);
      await tx.update(roundProcess).set({ decisionNote: same ? null : note }).where(eq(roundProcess.roundId, round.id));
      await recordAudit(
        { actorId: input.actorId, action: "round.council_decision", entity: "round", entityId: round.id, roundId: round.id, after: { decisionNo: input.decisionNo.trim(), selected: decided.length, sameAsCouncil: same, note } },
        tx,
      );
      return { selected: fin.selected, hash: fin.hash, sameAsCouncil: same };
    }),
  );
}

/** The round's complaints with what each still asks for (resolution, follow-up, re-screening). */
export async function complaintFollowUps(roundId: number, tx: Database = db()): Promise<(FollowUpState & { id: number; entryId: number | null })[]> {
  const rows = await tx
    .select({ c: complaints, entryCode: entries.code, r: complaintRescreenings })
    .from(complaints)
    .leftJoin(entries, eq(entries.id, complaints.entryId))
    .leftJoin(complaintRescreenings, eq(complaintRescreenings.complaintId, complaints.id))
    .where(eq(complaints.roundId, roundId))
    .orderBy(asc(complaints.id));
  return rows.map(({ c, entryCode, r }) => ({
    id: c.id,
    code: c.code,
    entryId: c.entryId,
    entryCode,
    status: c.status,
    followUp: c.followUp,
    resolvedAt: c.resolvedAt,
    rescreen: r ? { outcome: r.outcome, decidedAt: r.decidedAt } : null,
  }));
}

/** Code and product name of entries by id (votes on entries no longer among the candidates, e.g. found ineligible on re-screening). */
export async function entryLabels(ids: number[], tx: Database = db()) {
  if (!ids.length) return {} as Record<number, { code: string | null; productName: string }>;
  const rows = await tx
    .select({ id: entries.id, code: entries.code, productName: products.name })
    .from(entries)
    .innerJoin(products, eq(products.id, entries.productId))
    .where(inArray(entries.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, { code: r.code, productName: r.productName }])) as Record<number, { code: string | null; productName: string }>;
}

/** Names of users by id (attendance lists). */
export async function namesOf(ids: string[], tx: Database = db()) {
  if (!ids.length) return {} as Record<string, string>;
  const rows = await tx.select({ id: users.id, name: users.fullName }).from(users).where(inArray(users.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, r.name])) as Record<string, string>;
}

export async function roundBySlug(slug: string, tx: Database = db()) {
  if (!isPlausibleSlug(slug)) return null;
  const [round] = await tx.select().from(rounds).where(eq(rounds.slug, slug));
  return round ?? null;
}
