/**
 * Provisional results and complaints (issue 14 §3): the organiser makes the council's recommended
 * list public with a complaint window; during it a signed-in account with a verified e-mail files a
 * complaint about an entry or the process (text, optional PDF) and receives a code; the organiser
 * resolves each (accepted / rejected, reason, follow-up). The decision waits for all of it
 * (council-session.server recordCouncilDecision).
 */
import { and, asc, eq, sql } from "drizzle-orm";

import {
  complaintRequests,
  complaintRescreenings,
  complaints,
  councilVotes,
  entries,
  type FollowUp,
  FOLLOW_UPS,
  RESCREEN_OUTCOMES,
  type RescreenOutcome,
  roundProcess,
  rounds,
  users,
} from "../../../db/schema";
import { type Database, db, rowsOf } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { hashToken } from "../../utils/tokens.server";
import { prepareAttachedPdf } from "../../utils/uploads.server";
import { withinLimit } from "../account/throttle.server";
import { processOf } from "../council/process.server";
import {
  COMPLAINT_LIMIT_PER_HOUR,
  COMPLAINT_MAX,
  COMPLAINT_MIN,
  PROCESS_SUBJECT,
} from "../council/session-rules";
import { latestClosedSession } from "../council/session.server";
import { recordAudit } from "../shared/audit.server";
import { notifyFacility } from "../shared/notification.server";
import { computeResults } from "./results.server";

const DAY = 86_400_000;

/**
 * Publishes the latest closed session's recommended list as provisional, opening the complaint
 * window (the round's days). Publishing again after a new session opens a new window.
 * @throws AppError 409 without a closed session, when that session's list is already public, or after the decision.
 */
export async function publishProvisional(input: { roundId: number; actorId: string; now?: Date }) {
  const now = input.now ?? new Date();
  return db().transaction(async (tx) => {
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
    if (!round) throw notFound();
    if (round.status !== "deliberation" || round.decisionNo || round.finalisedAt)
      throw new AppError(409, "Chỉ công khai kết quả dự kiến sau phiên họp của hội đồng và trước quyết định công nhận.");
    const session = await latestClosedSession(round.id, tx);
    if (!session) throw new AppError(409, "Hội đồng bình chọn chưa kết thúc phiên họp biểu quyết.");
    const settings = await processOf(round.id, tx);
    if (settings.provisionalSessionId === session.id) throw new AppError(409, "Danh sách dự kiến của phiên họp này đã được công khai.");
    const closes = new Date(now.getTime() + settings.complaintDays * DAY);
    await tx.insert(roundProcess).values({ roundId: round.id }).onConflictDoNothing();
    await tx
      .update(roundProcess)
      .set({ provisionalPublishedAt: now, complaintsCloseAt: closes, provisionalSessionId: session.id })
      .where(eq(roundProcess.roundId, round.id));
    await tx.update(rounds).set({ publicVersion: sql`${rounds.publicVersion} + 1`, updatedAt: now }).where(eq(rounds.id, round.id));
    await recordAudit(
      { actorId: input.actorId, action: "round.provisional", entity: "round", entityId: round.id, roundId: round.id, after: { session: session.seq, closes: closes.toISOString(), days: settings.complaintDays } },
      tx,
    );
    return { closesAt: closes };
  });
}

/** The provisional list (the session made public): entries with jury mean and the council's counts. */
export async function provisionalList(roundId: number, tx: Database = db()) {
  const settings = await processOf(roundId, tx);
  if (!settings.provisionalSessionId || !settings.provisionalPublishedAt) return null;
  const votes = await tx.select().from(councilVotes).where(and(eq(councilVotes.sessionId, settings.provisionalSessionId), eq(councilVotes.approved, true)));
  const results = await computeResults({ roundId }, tx);
  const byId = new Map(results.entries.map((e) => [e.entryId, e]));
  // An entry that a re-screening found ineligible after publication leaves the list at once.
  const list = votes
    .filter((v) => byId.has(v.entryId))
    .map((v) => {
      const e = byId.get(v.entryId);
      return {
        entryId: v.entryId,
        entryCode: e?.code ?? null,
        productName: e?.productName ?? "",
        facilityName: e?.facilityName ?? "",
        provinceName: e?.provinceName ?? null,
        groupNo: e?.groupNo ?? null,
        meanScore: e?.mean == null ? null : Number(e.mean.toFixed(2)),
        rank: e?.rank ?? null,
        votes: { agree: v.yes, disagree: v.no },
      };
    })
    .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || String(a.entryCode).localeCompare(String(b.entryCode)));
  return { publishedAt: settings.provisionalPublishedAt, complaintsCloseAt: settings.complaintsCloseAt!, entries: list };
}

export function windowOpen(settings: { provisionalPublishedAt: Date | null; complaintsCloseAt: Date | null }, now = new Date()) {
  return !!settings.provisionalPublishedAt && !!settings.complaintsCloseAt && now < settings.complaintsCloseAt;
}

/**
 * The checks every complaint passes, by account or by e-mail: text of COMPLAINT_MIN–COMPLAINT_MAX
 * characters, the window open, the entry (by code) in the round.
 * @throws AppError 400 / 409 with a Vietnamese message.
 */
export async function checkComplaint(input: { roundId: number; entryCode?: string | null; body: string; now: Date }) {
  const body = input.body.replace(/\r\n/g, "\n").trim();
  if (body.length < COMPLAINT_MIN)
    throw new AppError(400, `Nội dung khiếu nại cần ít nhất ${COMPLAINT_MIN} ký tự.`, { body: `Ghi rõ nội dung (ít nhất ${COMPLAINT_MIN} ký tự).` });
  if (body.length > COMPLAINT_MAX)
    throw new AppError(400, `Nội dung khiếu nại tối đa ${COMPLAINT_MAX} ký tự (hiện có ${body.length}).`, { body: `Tối đa ${COMPLAINT_MAX} ký tự.` });
  const settings = await processOf(input.roundId);
  assertWindowOpen(settings, input.now);
  const code = (input.entryCode ?? "").trim().toUpperCase();
  let entryId: number | null = null;
  if (code) {
    const [e] = await db().select({ id: entries.id }).from(entries).where(and(eq(entries.roundId, input.roundId), sql`upper(${entries.code}) = ${code}`));
    if (!e) throw new AppError(400, `Không có hồ sơ mã “${code}” trong đợt này.`, { entryCode: "Mã hồ sơ không đúng." });
    entryId = e.id;
  }
  return { body, code, entryId };
}

export function assertWindowOpen(settings: { provisionalPublishedAt: Date | null; complaintsCloseAt: Date | null }, now: Date) {
  if (!settings.provisionalPublishedAt) throw new AppError(409, "Đợt chưa công khai kết quả dự kiến: chưa nhận khiếu nại.");
  if (!windowOpen(settings, now)) throw new AppError(409, "Đã hết thời hạn khiếu nại đối với kết quả dự kiến của đợt này.");
}

/** Counts one complaint for the client (the same allowance by account or by e-mail). */
export async function withinComplaintLimit(key: string) {
  if (!(await withinLimit({ key: `complaint:${key}`, limit: COMPLAINT_LIMIT_PER_HOUR, windowMinutes: 60 })))
    throw new AppError(429, `Bạn đã gửi ${COMPLAINT_LIMIT_PER_HOUR} khiếu nại trong một giờ. Vui lòng thử lại sau.`);
}

/** Inserts the complaint with the next code of its round (KN26-12-003), audited; inside the caller's transaction. */
export async function insertComplaint(
  tx: Database,
  input: { roundId: number; entryId: number | null; body: string; userId: string | null; email: string; filedAt: Date; pdf: Record<string, unknown> },
) {
  const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
  if (!round) throw notFound();
  const [{ n }] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from complaints where round_id = ${round.id}`));
  const complaintCode = `KN${String(round.year).slice(-2)}-${round.id}-${String(n + 1).padStart(3, "0")}`;
  const [row] = await tx
    .insert(complaints)
    .values({ roundId: round.id, code: complaintCode, entryId: input.entryId, body: input.body, userId: input.userId, email: input.email, filedAt: input.filedAt, ...input.pdf })
    .returning();
  await recordAudit(
    { actorId: input.userId, action: "complaint.file", entity: "complaint", entityId: row.id, roundId: round.id, after: { code: row.code, entryId: input.entryId, pdf: row.pdfSha256, byEmail: !input.userId } },
    tx,
  );
  return { row, round };
}

/**
 * Files a complaint during the window: a signed-in account with a verified e-mail; about an entry
 * of the round (by code) or the process; text of COMPLAINT_MIN–COMPLAINT_MAX characters; an
 * optional PDF checked by the upload pipeline; at most COMPLAINT_LIMIT_PER_HOUR per client.
 * @returns the complaint with its code (the receipt).
 * @throws AppError 400 / 409 / 429 with a Vietnamese message; nothing is written.
 */
export async function fileComplaint(input: {
  roundId: number;
  userId: string;
  entryCode?: string | null;
  body: string;
  pdf?: { bytes: Buffer; name: string } | null;
  client?: string | null;
  now?: Date;
}) {
  const now = input.now ?? new Date();
  const { body, code, entryId } = await checkComplaint({ ...input, now });
  const [user] = await db().select().from(users).where(eq(users.id, input.userId));
  if (!user) throw notFound();
  if (!user.emailVerifiedAt) throw new AppError(403, "Xác minh địa chỉ email của tài khoản trước khi gửi khiếu nại.");
  const attached = await prepareAttachedPdf(input.pdf);
  try {
    // Counted last, so a refused complaint (empty, not a PDF…) does not use up the client's allowance.
    await withinComplaintLimit(input.client ?? user.id);
    return await db().transaction(async (tx) => {
      const { row } = await insertComplaint(tx, { roundId: input.roundId, entryId, body, userId: user.id, email: user.email, filedAt: now, pdf: attached.columns });
      await attached.commit();
      return { ...row, subject: code || PROCESS_SUBJECT };
    });
  } catch (error) {
    await attached.discard();
    throw error;
  }
}

export { checkComplaintRequest, confirmComplaintRequest, purgeExpiredComplaintRequests, requestComplaintByEmail } from "./complaint-email.server";

/**
 * The organiser resolves a complaint: accepted or rejected, a reason, and what follows (none,
 * re-screening of an entry, a new council session). An accepted complaint with a follow-up sends
 * the list back through the council before any decision.
 */
export async function resolveComplaint(input: { complaintId: number; actorId: string; status: "accepted" | "rejected"; resolution: string; followUp: FollowUp; now?: Date }) {
  const resolution = input.resolution.trim();
  const fields: Record<string, string> = {};
  if (!["accepted", "rejected"].includes(input.status)) fields.status = "Chọn chấp nhận hoặc không chấp nhận.";
  if (resolution.length < 10 || resolution.length > 3000) fields.resolution = "Ghi lý do giải quyết (10–3000 ký tự).";
  if (!FOLLOW_UPS.includes(input.followUp)) fields.followUp = "Chọn bước xử lý tiếp theo.";
  if (input.status === "rejected" && input.followUp !== "none") fields.followUp = "Khiếu nại không được chấp nhận thì không có bước xử lý tiếp theo.";
  if (Object.keys(fields).length) throw new AppError(400, "Thông tin giải quyết khiếu nại chưa hợp lệ.", fields);
  return db().transaction(async (tx) => {
    const [c] = await tx.select().from(complaints).where(eq(complaints.id, input.complaintId)).for("update");
    if (!c) throw notFound();
    if (c.status !== "open") throw new AppError(409, `Khiếu nại ${c.code} đã được giải quyết.`);
    if (input.followUp === "rescreen" && !c.entryId)
      throw new AppError(400, "Thẩm định lại chỉ áp dụng cho khiếu nại về một hồ sơ; khiếu nại về quy trình chọn “Họp lại hội đồng” hoặc không cần xử lý thêm.", {
        followUp: "Khiếu nại về quy trình không có hồ sơ để thẩm định lại.",
      });
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, c.roundId));
    if (round.decisionNo) throw new AppError(409, "Đợt đã có quyết định công nhận.");
    await tx
      .update(complaints)
      .set({ status: input.status, resolution, followUp: input.followUp, resolvedBy: input.actorId, resolvedAt: input.now ?? new Date() })
      .where(eq(complaints.id, c.id));
    await recordAudit(
      { actorId: input.actorId, action: "complaint.resolve", entity: "complaint", entityId: c.id, roundId: c.roundId, after: { code: c.code, status: input.status, followUp: input.followUp, resolution } },
      tx,
    );
  });
}

/** Complaints of a round with their subject; `withIdentity` only for the organiser. */
export async function listComplaints(roundId: number, options: { withIdentity?: boolean } = {}, tx: Database = db()) {
  const rows = await tx
    .select({ c: complaints, entryCode: entries.code, name: users.fullName, r: complaintRescreenings })
    .from(complaints)
    .leftJoin(entries, eq(entries.id, complaints.entryId))
    .leftJoin(users, eq(users.id, complaints.userId))
    .leftJoin(complaintRescreenings, eq(complaintRescreenings.complaintId, complaints.id))
    .where(eq(complaints.roundId, roundId))
    .orderBy(asc(complaints.id));
  return rows.map(({ c, entryCode, name, r }) => ({
    id: c.id,
    code: c.code,
    subject: entryCode ?? PROCESS_SUBJECT,
    entryId: c.entryId,
    body: c.body,
    hasPdf: !!c.pdfId,
    pdfName: c.pdfName,
    filedAt: c.filedAt,
    status: c.status,
    resolution: c.resolution,
    followUp: c.followUp,
    resolvedAt: c.resolvedAt,
    rescreen: r ? { outcome: r.outcome, note: r.note, decidedAt: r.decidedAt } : null,
    ...(options.withIdentity ? { complainant: name, email: c.email, pdfId: c.pdfId } : {}),
  }));
}

/**
 * A complaint's receipt for its filer: the account that filed it, or whoever holds the receipt key
 * mailed after an e-mail confirmation (404 for anyone else).
 */
export async function complaintReceipt(input: { code: string; userId?: string | null; key?: string | null }) {
  const [row] = await db()
    .select({ c: complaints, entryCode: entries.code, roundTitle: rounds.title, roundSlug: rounds.slug })
    .from(complaints)
    .innerJoin(rounds, eq(rounds.id, complaints.roundId))
    .leftJoin(entries, eq(entries.id, complaints.entryId))
    .where(eq(complaints.code, input.code));
  if (!row) throw notFound();
  const byAccount = !!row.c.userId && row.c.userId === input.userId;
  const byKey =
    !byAccount &&
    !!input.key &&
    (
      await db()
        .select({ id: complaintRequests.id })
        .from(complaintRequests)
        .where(and(eq(complaintRequests.complaintId, row.c.id), eq(complaintRequests.receiptHash, hashToken(input.key))))
    ).length > 0;
  if (!byAccount && !byKey) throw notFound();
  return { ...row.c, subject: row.entryCode ?? PROCESS_SUBJECT, roundTitle: row.roundTitle, roundSlug: row.roundSlug };
}

/**
 * Records the re-screening an accepted complaint asked for (follow-up "rescreen"): the entry's
 * dossier checked again, with a note. "ineligible" takes the entry off the candidates (status
 * ineligible, its owners told why) and the council must meet again before the decision
 * (openFollowUps); "eligible" leaves the list as it is. Until it is recorded no decision is.
 * @throws AppError 400 bad outcome or note, 409 wrong complaint or after the decision.
 */
export async function recordRescreening(input: { complaintId: number; actorId: string; outcome: RescreenOutcome; note: string; now?: Date }) {
  const now = input.now ?? new Date();
  const note = input.note.replace(/\r\n/g, "\n").trim();
  const fields: Record<string, string> = {};
  if (!RESCREEN_OUTCOMES.includes(input.outcome)) fields.outcome = "Chọn kết quả thẩm định lại.";
  if (note.length < 10 || note.length > 2000) fields.note = "Ghi nhận xét thẩm định lại (10–2000 ký tự).";
  if (Object.keys(fields).length) throw new AppError(400, "Kết quả thẩm định lại chưa hợp lệ.", fields);
  return db().transaction(async (tx) => {
    const [c] = await tx.select().from(complaints).where(eq(complaints.id, input.complaintId)).for("update");
    if (!c) throw notFound();
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, c.roundId)).for("update");
    if (round.decisionNo || round.finalisedAt) throw new AppError(409, "Đợt đã có quyết định công nhận.");
    if (c.status !== "accepted" || c.followUp !== "rescreen" || !c.entryId)
      throw new AppError(409, `Khiếu nại ${c.code} không yêu cầu thẩm định lại hồ sơ.`);
    const [done] = await tx.select().from(complaintRescreenings).where(eq(complaintRescreenings.complaintId, c.id));
    if (done) throw new AppError(409, `Hồ sơ của khiếu nại ${c.code} đã được thẩm định lại.`);
    const [entry] = await tx.select().from(entries).where(eq(entries.id, c.entryId)).for("update");
    await tx.insert(complaintRescreenings).values({ complaintId: c.id, entryId: entry.id, outcome: input.outcome, note, decidedBy: input.actorId, decidedAt: now });
    if (input.outcome === "ineligible" && entry.status !== "ineligible") {
      await tx
        .update(entries)
        .set({ status: "ineligible", screeningNote: note, screenedBy: input.actorId, screenedAt: now, updatedAt: now })
        .where(eq(entries.id, entry.id));
      await notifyFacility(
        {
          facilityId: entry.facilityId,
          kind: "entry_ineligible",
          title: `Hồ sơ ${entry.code ?? ""} không đủ điều kiện`,
          body: `Thẩm định lại hồ sơ ${entry.code ?? ""} của đợt “${round.title}” theo khiếu nại ${c.code}: không đủ điều kiện. Lý do: ${note}`,
          link: `/facility/entry/${entry.productId}/${round.slug}`,
        },
        tx,
      );
    }
    await recordAudit(
      {
        actorId: input.actorId,
        action: "complaint.rescreen",
        entity: "entry",
        entityId: entry.id,
        roundId: round.id,
        before: { status: entry.status },
        after: { complaint: c.code, outcome: input.outcome, note },
      },
      tx,
    );
    return { outcome: input.outcome, entryCode: entry.code };
  });
}
