/**
 * A round's council process settings (issue 14): quorum, vote rule and complaint window, and the
 * round lock every council write takes first. Seats and founding decisions in bodies.server.ts,
 * sessions and votes in session.server.ts, the authority's decision in decision.server.ts.
 */
import { eq } from "drizzle-orm";

import { councilSessions, roundProcess, rounds } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { recordAudit } from "../shared/audit.server";
import { DEFAULT_COMPLAINT_DAYS } from "./session-rules";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const validDate = (s: string) => DATE_RE.test(s) && !Number.isNaN(Date.parse(s));

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

export async function ensureProcess(roundId: number, tx: Database) {
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

export async function lockRound(roundId: number, tx: Database) {
  const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for("update");
  if (!round) throw notFound();
  return round;
}
