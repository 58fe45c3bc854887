/**
 * Score sheets: a juror's queue, the sheet of one entry, draft save and submission (then locked by
 * the database). A juror reaches an entry only when it is assigned to them and they are not in
 * conflict with it; anything else is "not found".
 */
import { and, asc, eq, inArray } from "drizzle-orm";

import {
  assignments,
  certificates,
  councilMembers,
  entries,
  productGroups,
  products,
  rounds,
  scores,
  scoreSheets,
  users,
} from "../../../db/schema";
import { type Database, db, ruleViolation } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { withRetry } from "../../utils/retry.server";
import { notConflicted } from "../council/conflict-sql.server";
import { isConflicted } from "../council/council.server";
import { rubricLeaves } from "../round/rubric-rules";
import { getRubric } from "../round/rubric.server";
import { isSheetReadable, SHEET_READABLE_STATUSES } from "../round/rules";
import { recordAudit } from "../shared/audit.server";
import { parsePoints, sumPoints } from "./rules";

/** Rounds the juror sits on (scoring or later), with their assigned, non-conflicted entries and sheet state. */
export async function jurorQueue(input: { jurorId: string }, tx: Database = db()) {
  const rows = await tx
    .select({
      roundId: rounds.id,
      roundTitle: rounds.title,
      roundStatus: rounds.status,
      scoringClosesAt: rounds.scoringClosesAt,
      entryId: entries.id,
      code: entries.code,
      groupNo: entries.groupNo,
      productName: products.name,
      sheetStatus: scoreSheets.status,
      total: scoreSheets.total,
    })
    .from(assignments)
    .innerJoin(rounds, eq(rounds.id, assignments.roundId))
    .innerJoin(entries, eq(entries.id, assignments.entryId))
    .innerJoin(products, eq(products.id, entries.productId))
    .leftJoin(scoreSheets, and(eq(scoreSheets.entryId, entries.id), eq(scoreSheets.jurorId, assignments.jurorId)))
    .where(
      and(
        eq(assignments.jurorId, input.jurorId),
        inArray(rounds.status, [...SHEET_READABLE_STATUSES]),
        notConflicted({ roundId: rounds.id, jurorId: input.jurorId, entryId: entries.id, facilityId: entries.facilityId }),
      ),
    )
    .orderBy(asc(rounds.id), asc(entries.code), asc(entries.id));
  const byRound = new Map<
    number,
    { id: number; title: string; status: string; scoringClosesAt: Date; entries: typeof rows; submitted: number }
  >();
  for (const r of rows) {
    const round = byRound.get(r.roundId) ?? {
      id: r.roundId,
      title: r.roundTitle,
      status: r.roundStatus,
      scoringClosesAt: r.scoringClosesAt,
      entries: [],
      submitted: 0,
    };
    round.entries.push(r);
    if (r.sheetStatus === "submitted") round.submitted++;
    byRound.set(r.roundId, round);
  }
  // Rounds still being scored first, then the finished ones, newest first.
  return [...byRound.values()].sort((a, b) => Number(b.status === "scoring") - Number(a.status === "scoring") || b.id - a.id);
}

/**
 * The entry as the juror may see it, with the rubric and their sheet.
 * @throws AppError 404 when the entry is not assigned to the juror or they are in conflict with it.
 */
export async function getSheetForJuror(input: { jurorId: string; entryId: number }, tx: Database = db()) {
  const [row] = await tx
    .select({ entry: entries, round: rounds, productName: products.name, groupName: productGroups.name })
    .from(assignments)
    .innerJoin(entries, eq(entries.id, assignments.entryId))
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .innerJoin(products, eq(products.id, entries.productId))
    .innerJoin(productGroups, eq(productGroups.no, entries.groupNo))
    .where(and(eq(assignments.entryId, input.entryId), eq(assignments.jurorId, input.jurorId)));
  if (!row || !isSheetReadable(row.round)) throw notFound();
  if (await isConflicted({ roundId: row.round.id, jurorId: input.jurorId, entryId: row.entry.id }, tx)) throw notFound();
  const rubric = await getRubric(row.round.id, tx);
  const [sheet] = await tx
    .select()
    .from(scoreSheets)
    .where(and(eq(scoreSheets.entryId, row.entry.id), eq(scoreSheets.jurorId, input.jurorId)));
  const given = sheet ? await tx.select().from(scores).where(eq(scores.sheetId, sheet.id)) : [];
  const [juror] = await tx
    .select({ fullName: users.fullName, title: users.title })
    .from(users)
    .where(eq(users.id, input.jurorId));
  // The lower-level certificate the entry comes with, when it was issued on this platform: its
  // public verification page is the juror's proof that it exists and is still valid.
  const [lower] = row.entry.lowerCertificateId
    ? await tx.select({ code: certificates.code }).from(certificates).where(eq(certificates.id, row.entry.lowerCertificateId))
    : [];
  return {
    round: row.round,
    lowerCertificateCode: lower?.code ?? null,
    entry: row.entry,
    productName: row.productName,
    groupName: row.groupName,
    rubric,
    juror,
    sheet: sheet ?? null,
    scores: Object.fromEntries(given.map((s) => [s.criterionId, { points: Number(s.points), note: s.note }])) as Record<
      number,
      { points: number; note: string }
    >,
  };
}

export interface SheetInput {
  jurorId: string;
  entryId: number;
  /** Raw points by criterion id, as typed. */
  points: Record<string, unknown>;
  notes?: Record<string, string>;
  comment?: string;
  submit: boolean;
  /** The clock (tests and the demo seed pass their own). */
  now?: Date;
}

/**
 * Saves the juror's sheet as a draft, or submits it (every criterion scored; then locked). Points
 * are checked against each criterion (0..max, steps of 0.5, at most one decimal).
 * @throws AppError 400 with per-criterion messages, 404 when the entry is not the juror's to score,
 * 409 outside the scoring window or when the sheet was already submitted.
 */
export async function saveScoreSheet(input: SheetInput, tx?: Database) {
  const now = input.now ?? new Date();
  const comment = (input.comment ?? "").trim().slice(0, 4000);
  const run = async (t: Database) => {
    const [row] = await t
      .select({ entry: entries, round: rounds })
      .from(assignments)
      .innerJoin(entries, eq(entries.id, assignments.entryId))
      .innerJoin(rounds, eq(rounds.id, entries.roundId))
      .innerJoin(councilMembers, and(eq(councilMembers.roundId, rounds.id), eq(councilMembers.userId, input.jurorId)))
      .where(
        and(
          eq(assignments.entryId, input.entryId),
          eq(assignments.jurorId, input.jurorId),
          // A conflicted juror finds nothing (one query: this runs on every save).
          notConflicted({ roundId: rounds.id, jurorId: input.jurorId, entryId: entries.id, facilityId: entries.facilityId }),
        ),
      );
    if (!row) throw notFound();
    const { entry, round } = row;
    if (round.status !== "scoring" || round.finalisedAt)
      throw new AppError(409, "Đợt bình chọn không trong giai đoạn chấm điểm.");
    if (now > round.scoringClosesAt) throw new AppError(409, "Đã hết hạn chấm điểm của đợt này.");

    const leaves = rubricLeaves(await getRubric(round.id, t));
    const fields: Record<string, string> = {};
    const values: { criterionId: number; points: number | null; note: string }[] = [];
    for (const leaf of leaves) {
      const parsed = parsePoints(input.points[String(leaf.id)], leaf.maxPoints, Number(round.scoreStep));
      const note = (input.notes?.[String(leaf.id)] ?? "").trim().slice(0, 500);
      if (!parsed.ok) fields[`points.${leaf.id}`] = `${leaf.code}: ${parsed.message}`;
      else {
        if (parsed.value === null && input.submit) fields[`points.${leaf.id}`] = `${leaf.code}: chưa chấm điểm.`;
        values.push({ criterionId: leaf.id, points: parsed.value, note });
      }
    }
    if (Object.keys(fields).length) {
      throw new AppError(
        400,
        `Phiếu chấm có ${Object.keys(fields).length} ô chưa hợp lệ: ${Object.values(fields).slice(0, 3).join(" ")}`,
        fields,
      );
    }
    const total = sumPoints(values.map((v) => v.points));

    const [existing] = await t
      .select()
      .from(scoreSheets)
      .where(and(eq(scoreSheets.entryId, entry.id), eq(scoreSheets.jurorId, input.jurorId)))
      .for("update");
    if (existing?.status === "submitted") throw submittedAlready();
    let sheetId: number;
    if (existing) {
      sheetId = existing.id;
      await t
        .update(scoreSheets)
        .set({ total: String(total), comment, updatedAt: now })
        .where(eq(scoreSheets.id, sheetId));
      await t.delete(scores).where(eq(scores.sheetId, sheetId));
    } else {
      // Two first saves at once both find no sheet: the loser of the insert (unique per juror and
      // entry) gets nothing back and the whole save runs again, finding the winner's sheet.
      const [created] = await t
        .insert(scoreSheets)
        .values({
          roundId: round.id,
          entryId: entry.id,
          jurorId: input.jurorId,
          total: String(total),
          comment,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [scoreSheets.entryId, scoreSheets.jurorId] })
        .returning({ id: scoreSheets.id });
      if (!created) throw new SheetRace();
      sheetId = created.id;
    }
    const scored = values.filter((v) => v.points !== null);
    if (scored.length)
      await t
        .insert(scores)
        .values(scored.map((v) => ({ sheetId, criterionId: v.criterionId, points: String(v.points), note: v.note })));
    if (input.submit) {
      const done = await t
        .update(scoreSheets)
        .set({ status: "submitted", submittedAt: now, updatedAt: now })
        .where(and(eq(scoreSheets.id, sheetId), eq(scoreSheets.status, "draft")))
        .returning({ id: scoreSheets.id });
      if (!done.length) throw submittedAlready();
      await recordAudit(
        {
          actorId: input.jurorId,
          action: "sheet.submit",
          entity: "score_sheet",
          entityId: sheetId,
          roundId: round.id,
          after: { entryId: entry.id, total, points: Object.fromEntries(scored.map((v) => [v.criterionId, v.points])) },
        },
        t,
      );
    }
    return { sheetId, total, status: input.submit ? ("submitted" as const) : ("draft" as const) };
  };
  try {
    if (tx) return await run(tx);
    for (let attempt = 1; ; attempt++) {
      try {
        return await withRetry(() => db().transaction(run));
      } catch (error) {
        if (!(error instanceof SheetRace) || attempt >= 3) throw error;
      }
    }
  } catch (error) {
    if (error instanceof SheetRace) throw new AppError(409, "Phiếu chấm vừa được lưu ở một cửa sổ khác. Vui lòng tải lại trang rồi lưu lại.");
    const rule = ruleViolation(error);
    if (rule === "sheet_submitted") throw submittedAlready();
    if (rule === "round_finalised") throw new AppError(409, "Đợt đã chốt kết quả, không thể sửa phiếu chấm.");
    if (rule === "points_max") throw new AppError(400, "Điểm vượt quá mức tối đa của tiêu chí.");
    throw error;
  }
}

/** The first insert of a sheet lost to a concurrent one (rolled back, then retried). */
class SheetRace extends Error {}

const submittedAlready = () => new AppError(409, "Phiếu chấm đã được nộp và khóa, không thể nộp hoặc sửa lại.");
