/**
 * A round's rubric (rubric_criteria): the tree, its defaults, and the council's edits. Validation is
 * pure (rubric-rules.ts); the database freezes the rubric once scoring starts (trigger
 * rubric_frozen_after_screening) and after finalisation.
 */
import { asc, eq, sql, type SQLWrapper } from "drizzle-orm";

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

/** The round's rubric as a tree, in position order. */
export async function getRubric(roundId: number, tx: Database = db()): Promise<StoredCriterion[]> {
  const rows = await tx
    .select()
    .from(rubricCriteria)
    .where(eq(rubricCriteria.roundId, roundId))
    .orderBy(asc(rubricCriteria.position), asc(rubricCriteria.id));
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
const frozenRubrics = new WeakMap<object, Map<number, { stamp: string; rubric: StoredCriterion[] }>>();
const FROZEN_RUBRICS_MAX = 200;

function deepFreeze(nodes: StoredCriterion[]): StoredCriterion[] {
  for (const n of nodes) {
    deepFreeze(n.children);
    Object.freeze(n);
  }
  return Object.freeze(nodes) as StoredCriterion[];
}

/**
 * The round's rubric, from memory when it is frozen (scoring started or finalised) and its stamp
 * (`rubricStamp`, read by the caller in the same query as the round) is the one remembered; a rubric
 * that may still change is always read. The answer is frozen: callers never modify it.
 */
export async function getRoundRubric(round: RoundStage & { id: number }, stamp: string | null | undefined, tx: Database = db()) {
  if (canEditRubric(round) || !stamp) return getRubric(round.id, tx);
  let byRound = frozenRubrics.get(db());
  if (!byRound) frozenRubrics.set(db(), (byRound = new Map()));
  const known = byRound.get(round.id);
  if (known?.stamp === stamp) return known.rubric;
  const rubric = deepFreeze(await getRubric(round.id, tx));
  if (byRound.size >= FROZEN_RUBRICS_MAX) byRound.clear();
  byRound.set(round.id, { stamp, rubric });
  return rubric;
}

/** The scored criteria (leaves) of a round, in order. */
export async function getRubricLeaves(roundId: number, tx: Database = db()) {
  return rubricLeaves(await getRubric(roundId, tx));
}

async function insertTree(roundId: number, tree: CriterionNode[], tx: Database) {
  let position = 0;
  const walk = async (nodes: CriterionNode[], parentId: number | null) => {
    for (const n of nodes) {
      const [row] = await tx
        .insert(rubricCriteria)
        .values({ roundId, parentId, code: n.code, name: n.name, maxPoints: String(n.maxPoints), position: position++ })
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
 * Replaces the round's rubric with the council's tree, after validation, in one transaction.
 * @throws AppError 400 listing every problem (sums, fixed maxima…), 409 when the rubric is frozen.
 */
export async function replaceRubric(input: { roundId: number; actorId: string; tree: CriterionNode[] }) {
  const errors = validateRubric(input.tree);
  if (errors.length) throw new AppError(400, `Thang điểm chưa hợp lệ: ${errors.join(" ")}`);
  try {
    await db().transaction(async (tx) => {
      const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
      if (!round) throw notFound();
      if (!canEditRubric(round)) throw frozen();
      const before = await getRubric(input.roundId, tx);
      // Children first: parent_id carries no foreign key, but keep the order a reader expects.
      await tx.delete(rubricCriteria).where(eq(rubricCriteria.roundId, input.roundId));
      await insertTree(input.roundId, input.tree, tx);
      await recordAudit(
        {
          actorId: input.actorId,
          action: "rubric.replace",
          entity: "round",
          entityId: input.roundId,
          roundId: input.roundId,
          before: strip(before),
          after: strip(input.tree),
        },
        tx,
      );
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
