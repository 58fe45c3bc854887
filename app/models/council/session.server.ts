/**
 * The council's sessions after scoring closed (issue 14): attendance, quorum, the vote on each
 * candidate and the recommended list. Pure rules in session-rules.ts; settings and the round lock
 * in process.server.ts, seats in bodies.server.ts, the authority's decision in decision.server.ts,
 * complaints and the provisional list in ../results/complaint.server.ts.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";

import { councilSessions, councilVotes, entries, products, rounds, users } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { computeResults, unsubmittedSheets } from "../results/results.server";
import { isPlausibleSlug } from "../round/rules";
import { pendingSheetDecisions } from "../scoring/sheet-decisions.server";
import { recordAudit } from "../shared/audit.server";
import { listSeats } from "./bodies.server";
import { ensureProcess, lockRound, processOf, validDate } from "./process.server";
import { checkRecommendedList, hasQuorum, quorumNeeded, votesNeeded } from "./session-rules";

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
