/**
 * Score sheets: a juror's queue, the sheet of one entry, draft save and submission (then locked by
 * the database). A juror reaches an entry only when it is assigned to them and they are not in
 * conflict with it; anything else is "not found".
 */
import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";

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
import { builtOnce, type Database, db, jsonValue, ruleViolation } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { withRetry } from "../../utils/retry.server";
import { notConflicted } from "../council/conflict-sql.server";
import { rubricLeaves } from "../round/rubric-rules";
import { getRoundRubric, rubricStamp } from "../round/rubric.server";
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
 * The sheet page's one query (issue 18: the sheet page asked seven): the entry as assigned and not
 * conflicted, its round, the juror, the lower-level certificate, the sheet with its scores and the
 * rubric's stamp. Values are placeholders (`jurorId`, `entryId`): built once per database.
 */
function sheetQuery(t: Database) {
  const jurorId = sql.placeholder("jurorId");
  return t
    .select({
      entry: entries,
      round: rounds,
      productName: products.name,
      groupName: productGroups.name,
      juror: { fullName: users.fullName, title: users.title },
      // The lower-level certificate the entry comes with, when it was issued on this platform: its
      // public verification page is the juror's proof that it exists and is still valid.
      lowerCertificateCode: certificates.code,
      sheet: getTableColumns(scoreSheets),
      given: sql<unknown>`(select json_agg(json_build_object('c', s.criterion_id, 'p', s.points, 'n', s.note))
        from ${scores} s where s.sheet_id = ${scoreSheets.id})`,
      rubricStamp: rubricStamp(rounds.id),
    })
    .from(assignments)
    .innerJoin(entries, eq(entries.id, assignments.entryId))
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .innerJoin(products, eq(products.id, entries.productId))
    .innerJoin(productGroups, eq(productGroups.no, entries.groupNo))
    .innerJoin(users, eq(users.id, assignments.jurorId))
    .leftJoin(certificates, eq(certificates.id, entries.lowerCertificateId))
    .leftJoin(scoreSheets, and(eq(scoreSheets.entryId, entries.id), eq(scoreSheets.jurorId, assignments.jurorId)))
    .where(
      and(
        eq(assignments.entryId, sql.placeholder("entryId")),
        eq(assignments.jurorId, jurorId),
        notConflicted({ roundId: rounds.id, jurorId, entryId: entries.id, facilityId: entries.facilityId }),
      ),
    );
}
const preparedSheetQuery = builtOnce((database) => sheetQuery(database).prepare("juror_sheet"));

/**
 * The entry as the juror may see it, with the rubric and their sheet.
 * @throws AppError 404 when the entry is not assigned to the juror or they are in conflict with it.
 */
export async function getSheetForJuror(input: { jurorId: string; entryId: number }, tx: Database = db()) {
  const values = { jurorId: input.jurorId, entryId: input.entryId };
  const [row] = tx === db() ? await preparedSheetQuery().execute(values) : await sheetQuery(tx).execute(values);
  if (!row || !isSheetReadable(row.round)) throw notFound();
  // The sub-criteria of the entry's product group (its own set, else the round's default): the
  // four fixed criteria stay 40/40/10/10, so every sheet is out of 100 and totals compare.
  const rubric = await getRoundRubric(row.round, row.rubricStamp, tx, row.entry.groupNo);
  const sheet = row.sheet?.id ? row.sheet : null;
  const given = jsonValue<{ c: number; p: number | string; n: string }[] | null>(row.given) ?? [];
  return {
    round: row.round,
    lowerCertificateCode: row.lowerCertificateCode ?? null,
    entry: row.entry,
    productName: row.productName,
    groupName: row.groupName,
    rubric,
    juror: row.juror,
    sheet,
    scores: Object.fromEntries(given.map((s) => [s.c, { points: Number(s.p), note: s.n }])) as Record<
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
    // One read for the checks: the entry as assigned, its round, the juror's sheet if any (locked
    // below by the statement that writes it) and the rubric's stamp (the frozen rubric is in memory).
    const [row] = await t
      .select({
        entry: entries,
        round: rounds,
        sheetId: scoreSheets.id,
        sheetStatus: scoreSheets.status,
        rubricStamp: rubricStamp(rounds.id),
      })
      .from(assignments)
      .innerJoin(entries, eq(entries.id, assignments.entryId))
      .innerJoin(rounds, eq(rounds.id, entries.roundId))
      .innerJoin(councilMembers, and(eq(councilMembers.roundId, rounds.id), eq(councilMembers.userId, input.jurorId)))
      .leftJoin(scoreSheets, and(eq(scoreSheets.entryId, entries.id), eq(scoreSheets.jurorId, assignments.jurorId)))
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

    const leaves = rubricLeaves(await getRoundRubric(round, row.rubricStamp, t, entry.groupNo));
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

    if (row.sheetStatus === "submitted") throw submittedAlready();
    let sheetId: number;
    if (row.sheetId !== null) {
      // The draft is rewritten only while it is still a draft: the update waits for (and locks) the
      // row, and finds nothing when another request submitted it meanwhile.
      const [updated] = await t
        .update(scoreSheets)
        .set({ total: String(total), comment, updatedAt: now })
        .where(and(eq(scoreSheets.id, row.sheetId), eq(scoreSheets.status, "draft")))
        .returning({ id: scoreSheets.id });
      if (!updated) throw submittedAlready();
      sheetId = updated.id;
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
    // One parameter for every score (a JSON array), not four per score: drizzle built ~80 parameters
    // per sheet, a fifth of a submission's CPU (issue 18, item 5). The triggers see the same rows.
    if (scored.length)
      await t.execute(sql`insert into ${scores} (sheet_id, criterion_id, points, note)
        select ${sheetId}::int, x.c, x.p, x.n from json_to_recordset(${JSON.stringify(scored.map((v) => ({ c: v.criterionId, p: v.points, n: v.note })))}::json)
        as x(c int, p numeric, n text)`);
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
    if (error instanceof SheetRace)
      throw new AppError(409, "Phiếu chấm vừa được lưu ở một cửa sổ khác. Vui lòng tải lại trang rồi lưu lại.");
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
