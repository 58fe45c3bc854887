/**
 * The counted set of a round (issue 13): which submitted sheets count is the `counted` flag of each
 * sheet, never a query over the latest conflicts. A conflict that appears after a sheet was submitted
 * (declared late, a membership, a council or rule change) opens a pending item proposing to exclude
 * the sheet; a conflict that went away proposes to count it again. Only the organiser's decision, with
 * a written reason and an audit event, moves the flag (the database refuses it without a decision row
 * of the same transaction). Finalisation waits until nothing is pending.
 */
import { and, asc, eq, sql } from "drizzle-orm";

import { conflicts, councilMembers, entries, facilities, rounds, scoreSheets, sheetDecisions } from "../../../db/schema";
import { type Database, db, rowsOf, ruleViolation } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { col, conflictReason } from "../council/conflict-sql.server";
import { recordAudit } from "../shared/audit.server";

/** Why a sheet stopped counting before decisions were recorded per sheet (the migration of 0006). */
export const LEGACY_EXCLUSION = "Xung đột lợi ích được ghi nhận trước khi có quyết định theo từng phiếu.";

interface SheetState {
  sheet_id: number;
  entry_id: number;
  counted: boolean;
  conflict: string | null;
  pending_id: number | null;
  pending_proposal: "exclude" | "include" | null;
  last_proposal: "exclude" | "include" | null;
  last_status: string | null;
  last_cause: string | null;
}

/**
 * Compares every submitted sheet of the round with the conflicts now recorded, and opens a pending
 * item where they disagree (withdrawing pending items that no longer apply). Changes no sheet.
 * A proposal the organiser already rejected for the same cause is not opened again.
 * @returns how many items were opened.
 */
export async function syncCountedSet(input: { roundId: number; actorId?: string | null }, tx: Database = db()) {
  const rows = rowsOf<SheetState>(
    await tx.execute(sql`
      select s.id as sheet_id, s.entry_id, s.counted,
             ${conflictReason({ roundId: col("s.round_id"), jurorId: col("s.juror_id"), entryId: col("e.id"), facilityId: col("e.facility_id") })} as conflict,
             p.id as pending_id, p.proposal as pending_proposal,
             l.proposal as last_proposal, l.status as last_status, l.cause as last_cause
      from score_sheets s
      join entries e on e.id = s.entry_id
      left join sheet_decisions p on p.sheet_id = s.id and p.status = 'pending'
      left join lateral (select d.proposal, d.status, d.cause from sheet_decisions d
                         where d.sheet_id = s.id and d.status in ('applied', 'rejected') order by d.id desc limit 1) l on true
      where s.round_id = ${input.roundId} and s.status = 'submitted'`),
  );
  let opened = 0;
  for (const r of rows) {
    const want = r.conflict == null; // counted when no conflict stands
    if (want === Boolean(r.counted)) {
      if (r.pending_id) await tx.update(sheetDecisions).set({ status: "withdrawn" }).where(eq(sheetDecisions.id, r.pending_id));
      continue;
    }
    const proposal = want ? "include" : "exclude";
    const cause = want ? "Xung đột lợi ích không còn: phiếu có thể được tính lại." : r.conflict!;
    if (r.pending_id && r.pending_proposal === proposal) continue;
    if (r.last_status === "rejected" && r.last_proposal === proposal && r.last_cause === cause) continue;
    if (r.pending_id) await tx.update(sheetDecisions).set({ status: "withdrawn" }).where(eq(sheetDecisions.id, r.pending_id));
    const [row] = await tx
      .insert(sheetDecisions)
      .values({ roundId: input.roundId, sheetId: r.sheet_id, proposal, cause })
      .returning({ id: sheetDecisions.id });
    await recordAudit(
      {
        actorId: input.actorId ?? null,
        action: "sheet.review_open",
        entity: "score_sheet",
        entityId: r.sheet_id,
        roundId: input.roundId,
        after: { decisionId: row.id, proposal, cause, entryId: r.entry_id },
      },
      tx,
    );
    opened++;
  }
  return { opened };
}

/** Pending and decided items of a round, for the organiser's results page. */
export async function listSheetDecisions(roundId: number, tx: Database = db()) {
  return rowsOf<{
    id: number;
    sheet_id: number;
    entry_id: number;
    code: string | null;
    product_name: string;
    juror: string;
    total: string;
    counted: boolean;
    proposal: "exclude" | "include";
    cause: string;
    status: "pending" | "applied" | "rejected" | "withdrawn";
    reason: string | null;
    decided_by: string | null;
    decided_at: string | null;
  }>(
    await tx.execute(sql`
      select d.id, d.sheet_id, s.entry_id, e.code, p.name as product_name, u.full_name as juror, s.total::text as total,
             s.counted, d.proposal, d.cause, d.status, d.reason, du.full_name as decided_by, d.decided_at::text as decided_at
      from sheet_decisions d
      join score_sheets s on s.id = d.sheet_id
      join entries e on e.id = s.entry_id
      join products p on p.id = e.product_id
      join users u on u.id = s.juror_id
      left join users du on du.id = d.decided_by
      where d.round_id = ${roundId} and d.status <> 'withdrawn'
      order by (d.status = 'pending') desc, e.code, d.id`),
  );
}
export type SheetDecisionRow = Awaited<ReturnType<typeof listSheetDecisions>>[number];

export async function pendingSheetDecisions(roundId: number, tx: Database = db()) {
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from sheet_decisions where round_id = ${roundId} and status = 'pending'`),
  );
  return Number(row?.n ?? 0);
}

/**
 * Submitted sheets that do not count, per entry, with the reason of the decision that excluded them
 * (results page, minutes, export).
 */
export async function exclusionsByEntry(roundId: number, tx: Database = db()) {
  const rows = rowsOf<{ entry_id: number; juror: string; reason: string | null }>(
    await tx.execute(sql`
      select s.entry_id, u.full_name as juror,
             (select d.reason from sheet_decisions d where d.sheet_id = s.id and d.status = 'applied' and d.proposal = 'exclude'
              order by d.id desc limit 1) as reason
      from score_sheets s join users u on u.id = s.juror_id
      where s.round_id = ${roundId} and s.status = 'submitted' and not s.counted
      order by s.entry_id, u.full_name`),
  );
  const map = new Map<number, { juror: string; reason: string }[]>();
  for (const r of rows) {
    const list = map.get(r.entry_id) ?? [];
    list.push({ juror: r.juror, reason: r.reason ?? LEGACY_EXCLUSION });
    map.set(r.entry_id, list);
  }
  return map;
}

/** "1 phiếu không tính: lý do; lý do" — one line for the results page, the minutes and the export. */
export function exclusionLine(list: { reason: string }[] | undefined) {
  if (!list?.length) return "";
  return `${list.length} phiếu không tính: ${list.map((x) => x.reason).join("; ")}`;
}

/**
 * The organiser decides a pending item: `apply` excludes (or re-counts) the sheet, otherwise the
 * sheet stays as it is. Both need a written reason; both are audited.
 * @throws AppError 400 without a reason, 404 outside the round, 409 when already decided or finalised.
 */
export async function decideSheet(input: { roundId: number; decisionId: number; actorId: string; apply: boolean; reason: string }) {
  const reason = input.reason.trim();
  if (reason.length < 10)
    throw new AppError(400, "Ghi lý do quyết định về phiếu chấm (ít nhất 10 ký tự).", { reason: "Ghi lý do." });
  try {
    return await db().transaction(async (tx) => {
      const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
      if (!round) throw notFound();
      if (round.finalisedAt) throw new AppError(409, "Đợt đã chốt kết quả: mở lại đợt trước khi quyết định về phiếu chấm.");
      const [item] = await tx
        .select()
        .from(sheetDecisions)
        .where(and(eq(sheetDecisions.id, input.decisionId), eq(sheetDecisions.roundId, round.id)))
        .for("update");
      if (!item) throw notFound("Không tìm thấy phiếu cần quyết định.");
      if (item.status !== "pending") throw new AppError(409, "Phiếu này đã được quyết định.");
      await tx
        .update(sheetDecisions)
        .set({ status: input.apply ? "applied" : "rejected", reason, decidedBy: input.actorId, decidedAt: sql`now()` })
        .where(eq(sheetDecisions.id, item.id));
      if (input.apply)
        await tx
          .update(scoreSheets)
          .set({ counted: item.proposal === "include", updatedAt: new Date() })
          .where(eq(scoreSheets.id, item.sheetId));
      await recordAudit(
        {
          actorId: input.actorId,
          action: "sheet.decide",
          entity: "score_sheet",
          entityId: item.sheetId,
          roundId: round.id,
          before: { cause: item.cause, proposal: item.proposal },
          after: { decision: input.apply ? item.proposal : "keep", reason },
        },
        tx,
      );
      return { counted: input.apply ? item.proposal === "include" : item.proposal === "exclude" };
    });
  } catch (error) {
    if (ruleViolation(error) === "round_finalised") throw new AppError(409, "Đợt đã chốt kết quả.");
    throw error;
  }
}

/**
 * For the facility-membership flow (issue 16 calls it when an invitation is accepted): the new member
 * is in conflict with the facility in every unfinalised round where they sit on the council and the
 * facility has an entry. A declared conflict is recorded (the organiser sees it in the conflict list),
 * their unsubmitted assignments go, and a submitted sheet gets a pending decision — never excluded by
 * itself. Runs in the caller's transaction.
 */
export async function recordMembershipConflict(input: { userId: string; facilityId: number; actorId?: string | null; tx?: Database }) {
  const tx = input.tx ?? db();
  const list = await tx
    .selectDistinct({ roundId: rounds.id, facilityName: facilities.name })
    .from(councilMembers)
    .innerJoin(rounds, eq(rounds.id, councilMembers.roundId))
    .innerJoin(entries, and(eq(entries.roundId, rounds.id), eq(entries.facilityId, input.facilityId)))
    .innerJoin(facilities, eq(facilities.id, entries.facilityId))
    .where(and(eq(councilMembers.userId, input.userId), sql`${rounds.finalisedAt} is null`, sql`${rounds.status} not in ('published', 'archived')`))
    .orderBy(asc(rounds.id));
  let opened = 0;
  for (const r of list) {
    const reason = `Thành viên của cơ sở ${r.facilityName} (ghi nhận khi tham gia cơ sở)`;
    const [already] = await tx
      .select({ id: conflicts.id })
      .from(conflicts)
      .where(and(eq(conflicts.roundId, r.roundId), eq(conflicts.userId, input.userId), eq(conflicts.facilityId, input.facilityId), eq(conflicts.kind, "declared")));
    if (!already)
      await tx.insert(conflicts).values({ roundId: r.roundId, userId: input.userId, facilityId: input.facilityId, kind: "declared", reason });
    await tx.execute(sql`
      delete from assignments a using entries e
      where a.round_id = ${r.roundId} and a.juror_id = ${input.userId} and e.id = a.entry_id and e.facility_id = ${input.facilityId}
        and not exists (select 1 from score_sheets s where s.entry_id = a.entry_id and s.juror_id = a.juror_id and s.status = 'submitted')`);
    await recordAudit(
      {
        actorId: input.actorId ?? input.userId,
        action: "conflict.membership",
        entity: "facility",
        entityId: input.facilityId,
        roundId: r.roundId,
        after: { userId: input.userId, reason },
      },
      tx,
    );
    opened += (await syncCountedSet({ roundId: r.roundId, actorId: input.actorId ?? input.userId }, tx)).opened;
  }
  return { rounds: list.map((r) => r.roundId), opened };
}
