/**
 * The competent authority's decision for a round with a council (issue 14): after the complaint
 * window, with every complaint followed up, the round is finalised with the list as decided.
 */
import { and, asc, eq, isNull } from "drizzle-orm";

import { complaintRescreenings, complaints, councilSessions, entries, roundProcess } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { withRetry } from "../../utils/retry.server";
import { computeResults, finaliseRound, recordDecision } from "../results/results.server";
import { recordAudit } from "../shared/audit.server";
import { ensureProcess, lockRound, processOf } from "./process.server";
import { type FollowUpState, openFollowUps } from "./session-rules";
import { latestClosedSession, votesOf } from "./session.server";

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
