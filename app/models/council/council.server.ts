/**
 * The council of a round (members with role and groups) and conflicts of interest. Automatic
 * conflicts: a member of the entry's facility; optionally (per round) a juror from the facility's
 * province, and a juror who scored the same product in another round (issue 15 §7, default off).
 * Declared conflicts carry the juror's reason.
 * A conflicted juror cannot see, open or score the entry (scoring.server answers 404).
 */
import { and, asc, eq, sql } from "drizzle-orm";

import {
  assignments,
  conflicts,
  councilMembers,
  entries,
  facilities,
  products,
  rounds,
  scoreSheets,
  userRoles,
  users,
} from "../../../db/schema";
import { type Database, db, rowsOf } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { canEditCouncil, canEditRound } from "../round/rules";
import { syncCountedSet } from "../scoring/sheet-decisions.server";
import { recordAudit } from "../shared/audit.server";
import { col, conflicted } from "./conflict-sql.server";
import type { CouncilRole } from "./rules";


export async function listCouncil(roundId: number, tx: Database = db()) {
  return tx
    .select({
      userId: councilMembers.userId,
      role: councilMembers.role,
      groupNos: councilMembers.groupNos,
      provinceCode: councilMembers.provinceCode,
      fullName: users.fullName,
      email: users.email,
      title: users.title,
    })
    .from(councilMembers)
    .innerJoin(users, eq(users.id, councilMembers.userId))
    .where(eq(councilMembers.roundId, roundId))
    .orderBy(sql`case ${councilMembers.role} when 'chair' then 0 when 'member' then 1 else 2 end`, asc(users.fullName));
}

async function assertEditable(roundId: number, tx: Database) {
  const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for("update");
  if (!round) throw notFound();
  if (!canEditCouncil(round)) {
    throw new AppError(409, "Đợt đã kết thúc chấm điểm: không thể thay đổi hội đồng.");
  }
  return round;
}

/**
 * Adds (or updates) a council member by e-mail; the account must hold the juror role.
 * @throws AppError 400 for an unknown e-mail or a non-juror, 409 once scoring is over.
 */
export async function saveCouncilMember(
  input: {
    roundId: number;
    actorId: string;
    email: string;
    role: CouncilRole;
    groupNos: number[];
    provinceCode?: string | null;
  },
  tx?: Database,
) {
  const run = async (t: Database) => {
    await assertEditable(input.roundId, t);
    const [user] = await t
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${input.email.trim()})`);
    if (!user) throw new AppError(400, "Không có tài khoản nào với thư điện tử này.", { email: "Không tìm thấy tài khoản." });
    const [isJuror] = await t
      .select({ id: userRoles.id })
      .from(userRoles)
      .where(and(eq(userRoles.userId, user.id), eq(userRoles.role, "juror")));
    if (!isJuror)
      throw new AppError(400, "Tài khoản này chưa có vai trò Giám khảo (quản trị viên cấp vai trò trước).", {
        email: "Chưa có vai trò Giám khảo.",
      });
    const groupNos = [...new Set(input.groupNos)].filter((g) => g >= 1 && g <= 4).sort();
    await t
      .insert(councilMembers)
      .values({ roundId: input.roundId, userId: user.id, role: input.role, groupNos, provinceCode: input.provinceCode || null })
      .onConflictDoUpdate({
        target: [councilMembers.roundId, councilMembers.userId],
        set: { role: input.role, groupNos, provinceCode: input.provinceCode || null },
      });
    await recordAudit(
      {
        actorId: input.actorId,
        action: "council.save",
        entity: "council_member",
        entityId: `${input.roundId}:${user.id}`,
        roundId: input.roundId,
        after: { role: input.role, groupNos },
      },
      t,
    );
    await refreshAutomaticConflicts({ roundId: input.roundId, actorId: input.actorId }, t);
    return user.id;
  };
  return tx ? run(tx) : db().transaction(run);
}

/**
 * Changes the role, groups or home province of a member already on the council (the page picks the
 * member from the list; members join only by invitation, so no address is looked up here).
 * @throws AppError 404 when the account is not on this council, 409 once scoring is over.
 */
export async function updateCouncilMember(input: {
  roundId: number;
  actorId: string;
  userId: string;
  role: CouncilRole;
  groupNos: number[];
  provinceCode?: string | null;
}) {
  return db().transaction(async (t) => {
    const [member] = await t
      .select({ email: users.email })
      .from(councilMembers)
      .innerJoin(users, eq(users.id, councilMembers.userId))
      .where(and(eq(councilMembers.roundId, input.roundId), eq(councilMembers.userId, input.userId)));
    if (!member) throw notFound("Không tìm thấy thành viên này trong hội đồng.");
    return saveCouncilMember({ ...input, email: member.email }, t);
  });
}

/** Removes a member and their assignments; refused once they have a sheet in the round. */
export async function removeCouncilMember(input: { roundId: number; actorId: string; userId: string }) {
  return db().transaction(async (tx) => {
    await assertEditable(input.roundId, tx);
    const [sheet] = await tx
      .select({ id: scoreSheets.id })
      .from(scoreSheets)
      .where(and(eq(scoreSheets.roundId, input.roundId), eq(scoreSheets.jurorId, input.userId)))
      .limit(1);
    if (sheet) throw new AppError(409, "Giám khảo này đã có phiếu chấm trong đợt, không thể rút khỏi hội đồng.");
    await tx.delete(assignments).where(and(eq(assignments.roundId, input.roundId), eq(assignments.jurorId, input.userId)));
    const removed = await tx
      .delete(councilMembers)
      .where(and(eq(councilMembers.roundId, input.roundId), eq(councilMembers.userId, input.userId)))
      .returning();
    if (!removed.length) throw notFound("Không tìm thấy thành viên hội đồng.");
    await recordAudit(
      {
        actorId: input.actorId,
        action: "council.remove",
        entity: "council_member",
        entityId: `${input.roundId}:${input.userId}`,
        roundId: input.roundId,
      },
      tx,
    );
  });
}

/** Sets the optional same-province rule and recomputes the automatic conflicts. */
export async function setSameProvinceRule(input: { roundId: number; actorId: string; enabled: boolean }) {
  return db().transaction(async (tx) => {
    await assertEditable(input.roundId, tx);
    await tx
      .update(rounds)
      .set({ conflictSameProvince: input.enabled, updatedAt: new Date() })
      .where(eq(rounds.id, input.roundId));
    await recordAudit(
      {
        actorId: input.actorId,
        action: "council.same_province_rule",
        entity: "round",
        entityId: input.roundId,
        roundId: input.roundId,
        after: { enabled: input.enabled },
      },
      tx,
    );
    return refreshAutomaticConflicts({ roundId: input.roundId, actorId: input.actorId }, tx);
  });
}

/**
 * Recomputes the automatic conflicts of the round from facts in the database, and drops the
 * assignments they forbid (an assigned juror who has not submitted loses the entry). A submitted
 * sheet is never excluded or re-counted here: the difference becomes a pending decision for the
 * organiser (sheet-decisions.server). Idempotent.
 */
export async function refreshAutomaticConflicts(input: { roundId: number; actorId?: string | null }, tx: Database = db()) {
  await tx.delete(conflicts).where(and(eq(conflicts.roundId, input.roundId), eq(conflicts.kind, "automatic")));
  // 1. A member of the entry's facility (owner or staff).
  await tx.execute(sql`
    insert into conflicts (round_id, user_id, facility_id, kind, reason)
    select distinct cm.round_id, cm.user_id, f.id, 'automatic', 'Thành viên của cơ sở ' || f.name
    from council_members cm
    join entries e on e.round_id = cm.round_id
    join facilities f on f.id = e.facility_id
    join facility_members fm on fm.facility_id = f.id and fm.user_id = cm.user_id
    where cm.round_id = ${input.roundId}`);
  // 2. Optional: the juror's home province is the facility's (either era's code).
  await tx.execute(sql`
    insert into conflicts (round_id, user_id, facility_id, kind, reason)
    select distinct cm.round_id, cm.user_id, f.id, 'automatic', 'Giám khảo cùng tỉnh với cơ sở ' || f.name
    from council_members cm
    join rounds r on r.id = cm.round_id and r.conflict_same_province
    join entries e on e.round_id = cm.round_id
    join facilities f on f.id = e.facility_id
    where cm.round_id = ${input.roundId} and cm.province_code is not null
      and (cm.province_code = f.legacy_province_code or cm.province_code = f.province_code)`);
  // 3. Optional: the juror scored the same product in another round (a lower level), so they would judge
  // their own verdict. Unconfirmed in the regulation, so a per-round choice (default off).
  await tx.execute(sql`
    insert into conflicts (round_id, user_id, entry_id, kind, reason)
    select distinct cm.round_id, cm.user_id, e.id, 'automatic', 'Đã chấm sản phẩm này ở đợt ' || r2.title
    from council_members cm
    join rounds r on r.id = cm.round_id and r.conflict_same_product
    join entries e on e.round_id = cm.round_id
    join entries e2 on e2.product_id = e.product_id and e2.round_id <> e.round_id
    join rounds r2 on r2.id = e2.round_id
    join score_sheets s on s.entry_id = e2.id and s.juror_id = cm.user_id and s.status = 'submitted'
    where cm.round_id = ${input.roundId}`);
  const dropped = rowsOf<{ entry_id: number }>(
    await tx.execute(sql`
      delete from assignments a
      using entries e
      where a.round_id = ${input.roundId} and e.id = a.entry_id
        and ${conflicted({ roundId: col("a.round_id"), jurorId: col("a.juror_id"), entryId: col("e.id"), facilityId: col("e.facility_id") })}
        and not exists (select 1 from score_sheets s where s.entry_id = a.entry_id and s.juror_id = a.juror_id and s.status = 'submitted')
      returning a.entry_id`),
  );
  const { opened } = await syncCountedSet({ roundId: input.roundId, actorId: input.actorId }, tx);
  return { droppedAssignments: dropped.length, pendingDecisions: opened };
}

/** Whether the juror is in conflict with the entry (by entry or by its facility). */
export async function isConflicted(input: { roundId: number; jurorId: string; entryId: number }, tx: Database = db()) {
  const rows = rowsOf(
    await tx.execute(sql`
      select 1 from entries e
      where e.id = ${input.entryId}
        and ${conflicted({ roundId: input.roundId, jurorId: input.jurorId, entryId: col("e.id"), facilityId: col("e.facility_id") })}`),
  );
  return rows.length > 0;
}

/**
 * A juror declares a conflict with an entry assigned to them. Before they submit its sheet (and while
 * scoring is open) it applies at once: their assignment and any draft sheet go, and the entry answers
 * 404 to them. After they submitted, or once scoring has closed, the declaration is recorded and
 * becomes a pending decision for the organiser (the submitted sheet keeps counting until then), so a
 * late declaration cannot pull a sheet out of the result by itself.
 * @throws AppError 400 without a reason, 404 when the entry is not assigned to them, 409 after finalisation.
 */
export async function declareConflict(input: { jurorId: string; entryId: number; reason: string; now?: Date }) {
  const reason = input.reason.trim();
  const now = input.now ?? new Date();
  if (reason.length < 5) throw new AppError(400, "Nêu lý do xung đột lợi ích (ít nhất 5 ký tự).", { reason: "Nêu lý do." });
  return db().transaction(async (tx) => {
    const [entry] = await tx
      .select({
        id: entries.id,
        roundId: entries.roundId,
        facilityId: entries.facilityId,
        finalisedAt: rounds.finalisedAt,
        status: rounds.status,
        scoringClosesAt: rounds.scoringClosesAt,
      })
      .from(entries)
      .innerJoin(rounds, eq(rounds.id, entries.roundId))
      .innerJoin(councilMembers, and(eq(councilMembers.roundId, entries.roundId), eq(councilMembers.userId, input.jurorId)))
      .innerJoin(assignments, and(eq(assignments.entryId, entries.id), eq(assignments.jurorId, input.jurorId)))
      .where(eq(entries.id, input.entryId))
      .for("update", { of: rounds });
    if (!entry) throw notFound();
    if (!canEditRound(entry))
      throw new AppError(409, "Đợt đã chốt kết quả, không thể khai báo xung đột.");
    if (await isConflicted({ roundId: entry.roundId, jurorId: input.jurorId, entryId: entry.id }, tx)) throw notFound();
    const [sheet] = await tx
      .select({ id: scoreSheets.id, status: scoreSheets.status })
      .from(scoreSheets)
      .where(and(eq(scoreSheets.entryId, entry.id), eq(scoreSheets.jurorId, input.jurorId)));
    const late = sheet?.status === "submitted" || entry.status === "deliberation" || (entry.status === "scoring" && now > entry.scoringClosesAt);
    await tx
      .insert(conflicts)
      .values({ roundId: entry.roundId, userId: input.jurorId, entryId: entry.id, kind: "declared", reason });
    if (!late) {
      await tx
        .delete(scoreSheets)
        .where(and(eq(scoreSheets.entryId, entry.id), eq(scoreSheets.jurorId, input.jurorId), eq(scoreSheets.status, "draft")));
      await tx.delete(assignments).where(and(eq(assignments.entryId, entry.id), eq(assignments.jurorId, input.jurorId)));
    }
    await recordAudit(
      {
        actorId: input.jurorId,
        action: "conflict.declare",
        entity: "entry",
        entityId: entry.id,
        roundId: entry.roundId,
        after: { reason, late },
      },
      tx,
    );
    if (late) await syncCountedSet({ roundId: entry.roundId, actorId: input.jurorId }, tx);
    return { pendingDecision: late && sheet?.status === "submitted" };
  });
}

/** Conflicts of a round, for the organiser. */
export async function listConflicts(roundId: number, tx: Database = db()) {
  return tx
    .select({
      id: conflicts.id,
      kind: conflicts.kind,
      reason: conflicts.reason,
      jurorName: users.fullName,
      entryId: conflicts.entryId,
      entryCode: entries.code,
      productName: products.name,
      facilityName: facilities.name,
    })
    .from(conflicts)
    .innerJoin(users, eq(users.id, conflicts.userId))
    .leftJoin(entries, eq(entries.id, conflicts.entryId))
    .leftJoin(products, eq(products.id, entries.productId))
    .leftJoin(facilities, eq(facilities.id, conflicts.facilityId))
    .where(eq(conflicts.roundId, roundId))
    .orderBy(asc(users.fullName), asc(conflicts.id));
}
