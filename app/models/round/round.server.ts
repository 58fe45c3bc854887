/**
 * Rounds: creation, settings, scope, and the lifecycle draft → registration → screening → scoring →
 * deliberation → published (→ archived). Each step re-checks the state inside its transaction with
 * `UPDATE … WHERE status = …`, so two clicks cannot both win. Finalise/publish/reopen live in
 * results.server.ts.
 */
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";

import {
  assignments,
  councilMembers,
  entries,
  rounds,
  scoreSheets,
  type Round,
  type RoundStatus,
} from "../../../db/schema";
import type { RoundInput, RoundUpdateInput } from "../../schemas/round";
import { type Database, db, pgErrorCode } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import type { RoleGrant } from "../../utils/permissions";
import { refreshAutomaticConflicts } from "../council/council.server";
import { recordAudit } from "../shared/audit.server";
import { organizerCoversRound } from "./organizer-scope.server";
import { validateRubric } from "./rubric-rules";
import { createDefaultRubric, getRubric } from "./rubric.server";
import { NEXT_STATUS, STATUS_NAMES } from "./rules";
import { canChangeResultRules, canEditCouncil, canEditRound, defaultPassMark, isPlausibleSlug } from "./rules";

// The scope check lives in organizer-scope.server.ts; re-exported for the callers that import it from here.
export { organizerCoversRound };

/** Rounds the organiser's grants cover, newest first. */
export async function listRoundsInScope(input: { roles: RoleGrant[] }, tx: Database = db()) {
  const all = await tx.select().from(rounds).orderBy(desc(rounds.year), asc(rounds.title));
  const out: Round[] = [];
  for (const r of all) if (await organizerCoversRound(input.roles, r, tx)) out.push(r);
  return out;
}

/** @throws AppError 404 when the round does not exist or is outside the organiser's scope. */
export async function getRoundInScope(input: { slug: string; roles: RoleGrant[] }, tx: Database = db()): Promise<Round> {
  if (!isPlausibleSlug(input.slug)) throw notFound("Không tìm thấy đợt bình chọn.");
  const [round] = await tx.select().from(rounds).where(eq(rounds.slug, input.slug));
  if (!round || !(await organizerCoversRound(input.roles, round, tx))) throw notFound("Không tìm thấy đợt bình chọn.");
  return round;
}

export async function getRoundById(id: number, tx: Database = db()): Promise<Round> {
  const [round] = await tx.select().from(rounds).where(eq(rounds.id, id));
  if (!round) throw notFound("Không tìm thấy đợt bình chọn.");
  return round;
}

/**
 * Creates a round in the organiser's scope with the default rubric, in one transaction.
 * @throws AppError 403 outside the scope, 409 when the slug is taken.
 */
export async function createRound(
  input: { actorId: string; roles: RoleGrant[]; data: RoundInput },
  tx?: Database,
): Promise<Round> {
  const d = input.data;
  const scope = {
    level: d.level,
    regionCode: d.level === "region" || d.level === "national" ? d.regionCode : null,
    provinceCode: ["commune", "district", "province"].includes(d.level) ? d.provinceCode : null,
  };
  const run = async (t: Database) => {
    if (!(await organizerCoversRound(input.roles, scope, t))) {
      throw new AppError(403, "Phạm vi được giao của bạn không bao gồm cấp và địa bàn của đợt này.");
    }
    const [round] = await t
      .insert(rounds)
      .values({
        slug: d.slug,
        title: d.title,
        ...scope,
        year: d.year,
        registrationOpensAt: d.registrationOpensAt,
        registrationClosesAt: d.registrationClosesAt,
        scoringClosesAt: d.scoringClosesAt,
        passMark: String(d.passMark),
        quota: d.quota,
        jurorsPerEntry: d.jurorsPerEntry,
        scoreStep: String(d.scoreStep),
        disagreementSpread: String(d.disagreementSpread),
        conflictSameProduct: d.conflictSameProduct,
        authority: d.authority,
        createdBy: input.actorId,
      })
      .returning();
    await createDefaultRubric({ roundId: round.id }, t);
    await recordAudit(
      {
        actorId: input.actorId,
        action: "round.create",
        entity: "round",
        entityId: round.id,
        roundId: round.id,
        after: { slug: round.slug, title: round.title },
      },
      t,
    );
    return round;
  };
  try {
    return tx ? await run(tx) : await db().transaction(run);
  } catch (error) {
    if (pgErrorCode(error) === "23505")
      throw new AppError(409, "Đường dẫn này đã được đợt khác sử dụng.", { slug: "Đường dẫn đã có, chọn đường dẫn khác." });
    throw error;
  }
}

/**
 * Changes dates, pass mark, quota and wording. The pass mark and quota decide the result, so they
 * change only before scoring starts; dates can move until the round is finalised.
 * @throws AppError 409 when the round is past the stage where that setting can change.
 */
export async function updateRound(input: {
  actorId: string;
  roundId: number;
  data: RoundUpdateInput;
}) {
  return db().transaction(async (tx) => {
    const [before] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
    if (!before) throw notFound();
    if (!canEditRound(before)) {
      throw new AppError(409, "Đợt đã chốt kết quả: không thể sửa thông tin (mở lại đợt trước nếu cần).");
    }
    const d = { ...input.data, passMark: input.data.passMark ?? defaultPassMark(before.level) };
    const resultRulesChange =
      Number(before.passMark) !== d.passMark || before.quota !== d.quota || Number(before.scoreStep) !== d.scoreStep;
    if (resultRulesChange && !canChangeResultRules(before)) {
      throw new AppError(409, "Điểm đạt, chỉ tiêu và bước chấm điểm chỉ được sửa trước khi bắt đầu chấm điểm.");
    }
    const conflictRuleChange = before.conflictSameProduct !== d.conflictSameProduct;
    if (conflictRuleChange && !canEditCouncil(before)) {
      throw new AppError(409, "Đợt đã kết thúc chấm điểm: không thể đổi quy tắc xung đột lợi ích.");
    }
    const [after] = await tx
      .update(rounds)
      .set({
        title: d.title,
        year: d.year,
        registrationOpensAt: d.registrationOpensAt,
        registrationClosesAt: d.registrationClosesAt,
        scoringClosesAt: d.scoringClosesAt,
        passMark: String(d.passMark),
        quota: d.quota,
        jurorsPerEntry: d.jurorsPerEntry,
        scoreStep: String(d.scoreStep),
        disagreementSpread: String(d.disagreementSpread),
        conflictSameProduct: d.conflictSameProduct,
        authority: d.authority,
        updatedAt: new Date(),
      })
      .where(eq(rounds.id, before.id))
      .returning();
    await recordAudit(
      {
        actorId: input.actorId,
        action: "round.update",
        entity: "round",
        entityId: before.id,
        roundId: before.id,
        before: pick(before),
        after: pick(after),
      },
      tx,
    );
    // The conflict rule decides who is kept off which entry: recompute the automatic conflicts now
    // (a submitted sheet it touches becomes the organiser's pending decision, never silently dropped).
    if (conflictRuleChange) await refreshAutomaticConflicts({ roundId: before.id, actorId: input.actorId }, tx);
    return after;
  });
}

const pick = (r: Round) => ({
  title: r.title,
  registrationOpensAt: r.registrationOpensAt,
  registrationClosesAt: r.registrationClosesAt,
  scoringClosesAt: r.scoringClosesAt,
  passMark: r.passMark,
  quota: r.quota,
  jurorsPerEntry: r.jurorsPerEntry,
  scoreStep: r.scoreStep,
  disagreementSpread: r.disagreementSpread,
  conflictSameProduct: r.conflictSameProduct,
  authority: r.authority,
});

/** Entry counts by status, sheets submitted/total: the round's progress. */
export async function roundProgress(roundId: number, tx: Database = db()) {
  const byStatus = await tx
    .select({ status: entries.status, n: count() })
    .from(entries)
    .where(eq(entries.roundId, roundId))
    .groupBy(entries.status);
  const [sheets] = await tx
    .select({
      total: count(),
      submitted: sql<number>`count(*) filter (where ${scoreSheets.status} = 'submitted')`.mapWith(Number),
    })
    .from(scoreSheets)
    .where(eq(scoreSheets.roundId, roundId));
  const [assigned] = await tx.select({ n: count() }).from(assignments).where(eq(assignments.roundId, roundId));
  const [council] = await tx.select({ n: count() }).from(councilMembers).where(eq(councilMembers.roundId, roundId));
  const counts = Object.fromEntries(byStatus.map((r) => [r.status, r.n])) as Record<string, number>;
  return {
    counts,
    sheetsTotal: sheets.total,
    sheetsSubmitted: sheets.submitted,
    assignments: assigned.n,
    councilSize: council.n,
  };
}

/** Why the round cannot take its next step now (empty = it can). Runs inside the step's transaction. */
async function blockers(round: Round, to: RoundStatus, tx: Database): Promise<string[]> {
  const out: string[] = [];
  if (to === "registration") {
    const problems = validateRubric(await getRubric(round.id, tx));
    if (problems.length) out.push(`Thang điểm chưa hợp lệ: ${problems[0]}`);
  }
  if (to === "scoring") {
    const p = await roundProgress(round.id, tx);
    const unscreened = p.counts.submitted ?? 0;
    if (unscreened) out.push(`còn ${unscreened} hồ sơ chưa được thẩm định`);
    if (!(p.counts.eligible ?? 0)) out.push("chưa có hồ sơ nào đủ điều kiện");
    if (!p.councilSize) out.push("hội đồng chưa có thành viên");
    const unassigned = await tx
      .select({ id: entries.id })
      .from(entries)
      .where(
        and(
          eq(entries.roundId, round.id),
          eq(entries.status, "eligible"),
          sql`not exists (select 1 from ${assignments} a where a.entry_id = ${entries.id})`,
        ),
      );
    if (unassigned.length && p.counts.eligible) out.push(`còn ${unassigned.length} hồ sơ chưa được phân công giám khảo`);
  }
  return out;
}

/**
 * Moves the round one step forward (`NEXT_STATUS`), after checking that step's conditions.
 * @throws AppError 409 with the reasons ("còn 3 hồ sơ chưa được thẩm định"), or when another
 * organiser moved the round first.
 */
export async function advanceRound(input: { roundId: number; actorId: string; from: RoundStatus }) {
  const to = NEXT_STATUS[input.from];
  if (!to) throw new AppError(400, "Bước chuyển trạng thái này không hợp lệ.");
  return db().transaction(async (tx) => {
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
    if (!round) throw notFound();
    if (round.status !== input.from)
      throw new AppError(
        409,
        `Đợt đang ở trạng thái "${STATUS_NAMES[round.status]}", không còn ở "${STATUS_NAMES[input.from]}". Tải lại trang.`,
      );
    const reasons = await blockers(round, to, tx);
    if (reasons.length) throw new AppError(409, `Chưa thể chuyển sang "${STATUS_NAMES[to]}": ${reasons.join("; ")}.`);
    const moved = await tx
      .update(rounds)
      .set({ status: to, updatedAt: new Date() })
      .where(and(eq(rounds.id, round.id), eq(rounds.status, input.from)))
      .returning({ id: rounds.id });
    if (!moved.length) throw new AppError(409, "Đợt vừa được người khác chuyển trạng thái. Tải lại trang.");
    await recordAudit(
      {
        actorId: input.actorId,
        action: "round.status",
        entity: "round",
        entityId: round.id,
        roundId: round.id,
        before: { status: round.status },
        after: { status: to },
      },
      tx,
    );
    return to;
  });
}

export async function roundsByIds(ids: number[], tx: Database = db()) {
  if (!ids.length) return [];
  return tx.select().from(rounds).where(inArray(rounds.id, ids));
}
