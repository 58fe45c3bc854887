/**
 * Who scores which entry: automatic assignment (planAssignments in assignment-rules.ts) and manual
 * additions/removals. Only eligible entries are assigned; conflicts are respected.
 */
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";

import { assignments, conflicts, councilMembers, entries, products, rounds, scoreSheets, users } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { formatDateTime } from "../../utils/format";
import { isConflicted, refreshAutomaticConflicts } from "../council/council.server";
import { COMPETING_ENTRY_STATUSES } from "../entry/rules";
import { canAssign } from "../round/rules";
import { recordAudit } from "../shared/audit.server";
import { notify } from "../shared/notification.server";
import { type AssignmentPlan, planAssignments } from "./assignment-rules";

async function lockAssignable(roundId: number, tx: Database) {
  const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for("update");
  if (!round) throw notFound();
  if (!canAssign(round)) {
    throw new AppError(409, "Chỉ phân công giám khảo khi đợt đang thẩm định hoặc chấm điểm.");
  }
  return round;
}

/**
 * Assigns k jurors to every eligible entry (k = the round's jurorsPerEntry, or every possible
 * council member of the group). Existing assignments with a sheet are kept; the others are
 * replaced by the plan. Deterministic for the same council, entries and conflicts.
 * @returns the plan, with the entries that could not get their jurors and why.
 */
export async function autoAssign(
  input: { roundId: number; actorId: string; k?: number | null },
  tx?: Database,
): Promise<AssignmentPlan> {
  const run = async (t: Database) => {
    const round = await lockAssignable(input.roundId, t);
    await refreshAutomaticConflicts({ roundId: round.id }, t);
    const k = input.k === undefined ? round.jurorsPerEntry : input.k;
    const jurors = await t
      .select({ id: councilMembers.userId, name: users.fullName, groupNos: councilMembers.groupNos })
      .from(councilMembers)
      .innerJoin(users, eq(users.id, councilMembers.userId))
      .where(eq(councilMembers.roundId, round.id));
    if (!jurors.length) throw new AppError(409, "Hội đồng chưa có thành viên: thêm giám khảo trước khi phân công.");
    const eligible = await t
      .select({ id: entries.id, code: entries.code, groupNo: entries.groupNo, facilityId: entries.facilityId })
      .from(entries)
      .where(and(eq(entries.roundId, round.id), eq(entries.status, "eligible")))
      .orderBy(asc(entries.id));
    const conflictRows = await t
      .select({ userId: conflicts.userId, entryId: conflicts.entryId, facilityId: conflicts.facilityId })
      .from(conflicts)
      .where(eq(conflicts.roundId, round.id));
    const plan = planAssignments({
      k,
      jurors: jurors.map((j) => ({ id: j.id, name: j.name, groupNos: j.groupNos })),
      entries: eligible.map((e) => ({
        id: e.id,
        code: e.code,
        groupNo: e.groupNo,
        conflicted: conflictRows.filter((c) => c.entryId === e.id || c.facilityId === e.facilityId).map((c) => c.userId),
      })),
    });
    // Keep assignments that already carry a sheet; replace the rest with the plan.
    await t.execute(sql`
      delete from assignments a where a.round_id = ${round.id}
        and not exists (select 1 from score_sheets s where s.entry_id = a.entry_id and s.juror_id = a.juror_id)`);
    if (plan.assignments.length) {
      for (let i = 0; i < plan.assignments.length; i += 500) {
        await t
          .insert(assignments)
          .values(plan.assignments.slice(i, i + 500).map((a) => ({ roundId: round.id, entryId: a.entryId, jurorId: a.jurorId })))
          .onConflictDoNothing();
      }
    }
    await recordAudit(
      {
        actorId: input.actorId,
        action: "assignment.auto",
        entity: "round",
        entityId: round.id,
        roundId: round.id,
        after: { k, assignments: plan.assignments.length, impossible: plan.impossible.length },
      },
      t,
    );
    return plan;
  };
  return tx ? run(tx) : db().transaction(run);
}

/**
 * Assigns one juror to one entry by hand.
 * @throws AppError 400 when the juror is not on the council, does not judge the group or is in conflict.
 */
export async function assignJuror(input: { roundId: number; actorId: string; entryId: number; jurorId: string }) {
  return db().transaction(async (tx) => {
    await lockAssignable(input.roundId, tx);
    const [entry] = await tx
      .select()
      .from(entries)
      .where(and(eq(entries.id, input.entryId), eq(entries.roundId, input.roundId)));
    if (!entry) throw notFound("Không tìm thấy hồ sơ trong đợt này.");
    if (entry.status !== "eligible") throw new AppError(400, "Chỉ phân công hồ sơ đủ điều kiện.");
    const [member] = await tx
      .select()
      .from(councilMembers)
      .where(and(eq(councilMembers.roundId, input.roundId), eq(councilMembers.userId, input.jurorId)));
    if (!member) throw new AppError(400, "Người này không phải thành viên hội đồng của đợt.");
    if (member.groupNos.length && !member.groupNos.includes(entry.groupNo))
      throw new AppError(400, `Giám khảo này không chấm nhóm ${entry.groupNo}.`);
    if (await isConflicted({ roundId: input.roundId, jurorId: input.jurorId, entryId: entry.id }, tx)) {
      throw new AppError(400, "Giám khảo có xung đột lợi ích với hồ sơ này, không thể phân công.");
    }
    await tx
      .insert(assignments)
      .values({ roundId: input.roundId, entryId: entry.id, jurorId: input.jurorId })
      .onConflictDoNothing();
    await recordAudit(
      {
        actorId: input.actorId,
        action: "assignment.add",
        entity: "entry",
        entityId: entry.id,
        roundId: input.roundId,
        after: { jurorId: input.jurorId },
      },
      tx,
    );
    const [round] = await tx.select({ title: rounds.title, closes: rounds.scoringClosesAt }).from(rounds).where(eq(rounds.id, input.roundId));
    await notify(
      {
        userId: input.jurorId,
        kind: "juror_assigned",
        title: `Được phân công chấm hồ sơ ${entry.code ?? ""}`,
        body: `Bạn được phân công chấm hồ sơ ${entry.code ?? ""} của đợt “${round?.title ?? ""}”. Hạn chấm: ${formatDateTime(round?.closes)}.`,
        link: `/jury/entries/${entry.id}`,
      },
      tx,
    );
  });
}

/** Removes an assignment that has no submitted sheet (a draft sheet goes with it). */
export async function unassignJuror(input: { roundId: number; actorId: string; entryId: number; jurorId: string }) {
  return db().transaction(async (tx) => {
    await lockAssignable(input.roundId, tx);
    const [sheet] = await tx
      .select()
      .from(scoreSheets)
      .where(and(eq(scoreSheets.entryId, input.entryId), eq(scoreSheets.jurorId, input.jurorId)));
    if (sheet?.status === "submitted") throw new AppError(409, "Giám khảo đã nộp phiếu cho hồ sơ này, không thể bỏ phân công.");
    if (sheet) await tx.delete(scoreSheets).where(eq(scoreSheets.id, sheet.id));
    await tx
      .delete(assignments)
      .where(
        and(
          eq(assignments.roundId, input.roundId),
          eq(assignments.entryId, input.entryId),
          eq(assignments.jurorId, input.jurorId),
        ),
      );
    await recordAudit(
      {
        actorId: input.actorId,
        action: "assignment.remove",
        entity: "entry",
        entityId: input.entryId,
        roundId: input.roundId,
        after: { jurorId: input.jurorId },
      },
      tx,
    );
  });
}

/** Eligible entries with their assigned jurors, and each juror's load, for the organiser. */
export async function assignmentOverview(roundId: number, tx: Database = db()) {
  const rows = await tx
    .select({ entryId: entries.id, code: entries.code, groupNo: entries.groupNo, productName: products.name })
    .from(entries)
    .innerJoin(products, eq(products.id, entries.productId))
    .where(and(eq(entries.roundId, roundId), inArray(entries.status, [...COMPETING_ENTRY_STATUSES])))
    .orderBy(asc(entries.code), asc(entries.id));
  const links = await tx
    .select({ entryId: assignments.entryId, jurorId: assignments.jurorId, name: users.fullName, sheetStatus: scoreSheets.status })
    .from(assignments)
    .innerJoin(users, eq(users.id, assignments.jurorId))
    .leftJoin(scoreSheets, and(eq(scoreSheets.entryId, assignments.entryId), eq(scoreSheets.jurorId, assignments.jurorId)))
    .where(eq(assignments.roundId, roundId));
  const load = await tx
    .select({ jurorId: assignments.jurorId, n: count() })
    .from(assignments)
    .where(eq(assignments.roundId, roundId))
    .groupBy(assignments.jurorId);
  return {
    entries: rows.map((r) => ({
      ...r,
      jurors: links
        .filter((l) => l.entryId === r.entryId)
        .map((l) => ({ id: l.jurorId, name: l.name, sheetStatus: l.sheetStatus })),
    })),
    load: Object.fromEntries(load.map((l) => [l.jurorId, l.n])) as Record<string, number>,
  };
}
