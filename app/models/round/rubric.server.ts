/**
 * A round's rubric (rubric_criteria): the tree, its defaults, and the council's edits. Validation is
 * pure (rubric-rules.ts); the database freezes the rubric once scoring starts (trigger
 * rubric_frozen_after_screening) and after finalisation.
 */
import { and, asc, eq, isNotNull, isNull, or, sql, type SQLWrapper } from "drizzle-orm";

import { rounds, rubricCriteria } from "../../../db/schema";
import { type Database, db, ruleViolation } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { recordAudit } from "../shared/audit.server";
import { type CriterionNode, defaultRubric, rubricLeaves, validateRubric } from "./rubric-rules";
import { canEditRubric, type RoundStage } from "./rules";

export interface StoredCriterion extends CriterionNode {
  id: number;
  parentId: number | null;
  children: StoredCriterion[];
}

type CriterionRow = typeof rubricCriteria.$inferSelect;

function toTree(rows: CriterionRow[]): StoredCriterion[] {
  const nodes = new Map<number, StoredCriterion>();
  for (const r of rows)
    nodes.set(r.id, { id: r.id, parentId: r.parentId, code: r.code, name: r.name, maxPoints: Number(r.maxPoints), children: [] });
  const roots: StoredCriterion[] = [];
  for (const r of rows) {
    const node = nodes.get(r.id)!;
    if (r.parentId && nodes.has(r.parentId)) nodes.get(r.parentId)!.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** A group's own set, or the default set when `group` is null, as a tree in position order. */
export async function getRubric(roundId: number, tx: Database = db(), group: number | null = null): Promise<StoredCriterion[]> {
  const rows = await tx
    .select()
    .from(rubricCriteria)
    .where(
      and(
        eq(rubricCriteria.roundId, roundId),
        group === null ? isNull(rubricCriteria.productGroup) : eq(rubricCriteria.productGroup, group),
      ),
    )
    .orderBy(asc(rubricCriteria.position), asc(rubricCriteria.id));
  return toTree(rows);
}

/**
 * The rubric an entry of `group` is scored by (one query): the group's own set when the round has
 * one, the default set otherwise.
 */
export async function getRubricForGroup(roundId: number, group: number, tx: Database = db()) {
  const rows = await tx
    .select()
    .from(rubricCriteria)
    .where(
      and(eq(rubricCriteria.roundId, roundId), or(isNull(rubricCriteria.productGroup), eq(rubricCriteria.productGroup, group))),
    )
    .orderBy(asc(rubricCriteria.position), asc(rubricCriteria.id));
  const own = rows.filter((r) => r.productGroup === group);
  return { rubric: toTree(own.length ? own : rows.filter((r) => r.productGroup === null)), own: own.length > 0 };
}

/** The product groups that have their own sub-criteria in the round. */
export async function groupsWithOwnRubric(roundId: number, tx: Database = db()): Promise<number[]> {
  const rows = await tx
    .selectDistinct({ group: rubricCriteria.productGroup })
    .from(rubricCriteria)
    .where(and(eq(rubricCriteria.roundId, roundId), isNotNull(rubricCriteria.productGroup)));
  return rows.map((r) => r.group!).sort((a, b) => a - b);
}

/**
 * What identifies the stored rubric of a round, as an SQL expression for the caller's own query (no
 * extra round trip): the number of criteria, the newest id and the newest row version (`xmin`). Any
 * insert, update or delete of a criterion changes it, committed or not, whatever path made it.
 */
export const rubricStamp = (roundId: SQLWrapper) =>
  sql<string>`(select count(*)::text || '.' || coalesce(max(rc.id), 0)::text || '.' || coalesce(max(rc.xmin::text::bigint), 0)::text
    from ${rubricCriteria} rc where rc.round_id = ${roundId})`;

// Frozen rubrics in memory, per database (tests swap it) and round: a juror's page and every save
// read the rubric, which cannot change once scoring starts (trigger rubric_frozen_after_screening).
const frozenRubrics = new WeakMap<object, Map<string, { stamp: string; rubric: StoredCriterion[] }>>();
const FROZEN_RUBRICS_MAX = 200;

function deepFreeze(nodes: StoredCriterion[]): StoredCriterion[] {
  for (const n of nodes) {
    deepFreeze(n.children);
    Object.freeze(n);
  }
  return Object.freeze(nodes) as StoredCriterion[];
}

/**
 * The round's rubric for an entry of `group` (its group's own set, else the default; the default set
 * when `group` is omitted), from memory when it is frozen (scoring started or finalised) and its stamp
 * (`rubricStamp`, read by the caller in the same query as the round) is the one remembered; a rubric
 * that may still change is always read. The answer is frozen: callers never modify it.
 */
export async function getRoundRubric(
  round: RoundStage & { id: number },
  stamp: string | null | undefined,
  tx: Database = db(),
  group?: number,
) {
  const read = async () =>
    group === undefined ? getRubric(round.id, tx) : (await getRubricForGroup(round.id, group, tx)).rubric;
  if (canEditRubric(round) || !stamp) return read();
  let byRound = frozenRubrics.get(db());
  if (!byRound) frozenRubrics.set(db(), (byRound = new Map()));
  const key = `${round.id}:${group ?? ""}`;
  const known = byRound.get(key);
  if (known?.stamp === stamp) return known.rubric;
  const rubric = deepFreeze(await read());
  if (byRound.size >= FROZEN_RUBRICS_MAX) byRound.clear();
  byRound.set(key, { stamp, rubric });
  return rubric;
}

/** The scored criteria (leaves) of a round, in order. */
export async function getRubricLeaves(roundId: number, tx: Database = db()) {
  return rubricLeaves(await getRubric(roundId, tx));
}

async function insertTree(roundId: number, tree: CriterionNode[], tx: Database, productGroup: number | null = null) {
  let position = 0;
  const walk = async (nodes: CriterionNode[], parentId: number | null) => {
    for (const n of nodes) {
      const [row] = await tx
        .insert(rubricCriteria)
        .values({
          roundId,
          parentId,
          productGroup,
          code: n.code,
          name: n.name,
          maxPoints: String(n.maxPoints),
          position: position++,
        })
        .returning({ id: rubricCriteria.id });
      await walk(n.children, row.id);
    }
  };
  await walk(tree, null);
}

export async function createDefaultRubric(input: { roundId: number }, tx: Database = db()) {
  await insertTree(input.roundId, defaultRubric(), tx);
}

/**
 * Replaces the round's default rubric, or a product group's own set (`groupNo`), with the council's
 * tree, after validation (the same rule for both: the fixed 40/40/10/10, sub-criteria adding up), in
 * one transaction.
 * @throws AppError 400 listing every problem (sums, fixed maxima…), 409 when the rubric is frozen.
 */
export async function replaceRubric(input: { roundId: number; actorId: string; tree: CriterionNode[]; groupNo?: number | null }) {
  const group = input.groupNo ?? null;
  const errors = validateRubric(input.tree);
  if (errors.length)
    throw new AppError(400, `Thang điểm${group === null ? "" : ` của nhóm ${group}`} chưa hợp lệ: ${errors.join(" ")}`);
  await changeSet(input.roundId, group, async (tx, before) => {
    await insertTree(input.roundId, input.tree, tx, group);
    await recordAudit(
      {
        actorId: input.actorId,
        action: group === null ? "rubric.replace" : "rubric.group.replace",
        entity: "round",
        entityId: input.roundId,
        roundId: input.roundId,
        // The default set keeps its audit shape; a group's set names its group.
        before: group === null ? strip(before) : { group, tree: strip(before) },
        after: group === null ? strip(input.tree) : { group, tree: strip(input.tree) },
      },
      tx,
    );
  });
}

/**
 * Removes a product group's own set: its entries are scored by the default rubric again.
 * @throws AppError 409 when the rubric is frozen.
 */
export async function clearGroupRubric(input: { roundId: number; actorId: string; groupNo: number }) {
  await changeSet(input.roundId, input.groupNo, async (tx, before) => {
    if (!before.length) return;
    await recordAudit(
      {
        actorId: input.actorId,
        action: "rubric.group.clear",
        entity: "round",
        entityId: input.roundId,
        roundId: input.roundId,
        before: { group: input.groupNo, tree: strip(before) },
        after: { group: input.groupNo, tree: null },
      },
      tx,
    );
  });
}

/** Deletes one set (default or a group's) under the round's lock, then runs `then` in the same transaction. */
async function changeSet(
  roundId: number,
  group: number | null,
  then: (tx: Database, before: StoredCriterion[]) => Promise<void>,
) {
  try {
    await db().transaction(async (tx) => {
      const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for("update");
      if (!round) throw notFound();
      if (!canEditRubric(round)) throw frozen();
      const before = await getRubric(roundId, tx, group);
      await tx
        .delete(rubricCriteria)
        .where(
          and(
            eq(rubricCriteria.roundId, roundId),
            group === null ? isNull(rubricCriteria.productGroup) : eq(rubricCriteria.productGroup, group),
          ),
        );
      await then(tx, before);
    });
  } catch (error) {
    const rule = ruleViolation(error);
    if (rule === "rubric_frozen" || rule === "round_finalised") throw frozen();
    throw error;
  }
}

const frozen = () => new AppError(409, "Thang điểm đã được chốt khi bắt đầu chấm điểm, không thể sửa.");
const strip = (tree: CriterionNode[]): unknown =>
  tree.map((n) => ({ code: n.code, name: n.name, max: n.maxPoints, children: strip(n.children) }));
