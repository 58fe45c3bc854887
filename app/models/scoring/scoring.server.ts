/**
 * Score sheets: a juror's queue, the sheet of one entry, draft save and submission (then locked by
 * the database). A juror reaches an entry only when it is assigned to them and they are not in
 * conflict with it; anything else is "not found".
 */
import { and, asc, eq, getTableColumns, inArray, sql, type SQLWrapper } from "drizzle-orm";

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
import { builtOnce, type Database, db, jsonValue, ruleViolation, pipelinedTransaction } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { withRetry } from "../../utils/retry.server";
import { notConflicted } from "../council/conflict-sql.server";
import { rubricLeaves } from "../round/rubric-rules";
import { getRoundRubric, rubricStamp } from "../round/rubric.server";
import { isSheetReadable, SHEET_READABLE_STATUSES } from "../round/rules";
import { auditEachRow } from "../shared/audit.server";
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
 * The entry (placeholder `entryId`) as the juror reaches it, in a query over `assignments` joined to
 * `entries` and `rounds`: assigned to them and not in conflict (a conflicted juror finds nothing).
 */
const reachable = (jurorId: SQLWrapper) =>
  and(
    eq(assignments.entryId, sql.placeholder("entryId")),
    eq(assignments.jurorId, jurorId),
    notConflicted({ roundId: rounds.id, jurorId, entryId: entries.id, facilityId: entries.facilityId }),
  );

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
    .where(reachable(jurorId));
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
 * The save's one read: the entry as assigned and not conflicted, its round, the state of the juror's
 * sheet if any and the rubric's stamp (the frozen rubric is in memory). Values are placeholders (`jurorId`,
 * `entryId`): built once per database.
 */
function saveCheckQuery(t: Database) {
  const jurorId = sql.placeholder("jurorId");
  return t
    .select({
      entry: entries,
      round: rounds,
      sheetStatus: scoreSheets.status,
      rubricStamp: rubricStamp(rounds.id),
    })
    .from(assignments)
    .innerJoin(entries, eq(entries.id, assignments.entryId))
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .innerJoin(councilMembers, and(eq(councilMembers.roundId, rounds.id), eq(councilMembers.userId, jurorId)))
    .leftJoin(scoreSheets, and(eq(scoreSheets.entryId, entries.id), eq(scoreSheets.jurorId, assignments.jurorId)))
    .where(reachable(jurorId));
}
const preparedSaveCheck = builtOnce((database) => saveCheckQuery(database).prepare("juror_sheet_save_check"));

/**
 * Saves the juror's sheet as a draft, or submits it (every criterion scored; then locked). Points
 * are checked against each criterion (0..max, steps of 0.5, at most one decimal).
 * @throws AppError 400 with per-criterion messages, 404 when the entry is not the juror's to score,
 * 409 outside the scoring window or when the sheet was already submitted.
 */
export async function saveScoreSheet(input: SheetInput, tx?: Database) {
  const now = input.now ?? new Date();
  const comment = (input.comment ?? "").trim().slice(0, 4000);
  try {
    // The checks read before the writing transaction (or in the caller's): they lock nothing either
    // way, and every write below guards itself (a sheet is written only while a draft; the database
    // refuses a submitted sheet's or a finalised round's scores).
    const values = { jurorId: input.jurorId, entryId: input.entryId };
    const [row] = tx ? await saveCheckQuery(tx).execute(values) : await preparedSaveCheck().execute(values);
    if (!row) throw notFound();
    const { entry, round } = row;
    if (round.status !== "scoring" || round.finalisedAt)
      throw new AppError(409, "Đợt bình chọn không trong giai đoạn chấm điểm.");
    if (now > round.scoringClosesAt) throw new AppError(409, "Đã hết hạn chấm điểm của đợt này.");

    const leaves = rubricLeaves(await getRoundRubric(round, row.rubricStamp, tx ?? db(), entry.groupNo));
    const fields: Record<string, string> = {};
    const given: { c: number; p: number; n: string }[] = [];
    for (const leaf of leaves) {
      const parsed = parsePoints(input.points[String(leaf.id)], leaf.maxPoints, Number(round.scoreStep));
      const note = (input.notes?.[String(leaf.id)] ?? "").trim().slice(0, 500);
      if (!parsed.ok) fields[`points.${leaf.id}`] = `${leaf.code}: ${parsed.message}`;
      else if (parsed.value === null && input.submit) fields[`points.${leaf.id}`] = `${leaf.code}: chưa chấm điểm.`;
      else if (parsed.value !== null) given.push({ c: leaf.id, p: parsed.value, n: note });
    }
    if (Object.keys(fields).length) {
      throw new AppError(
        400,
        `Phiếu chấm có ${Object.keys(fields).length} ô chưa hợp lệ: ${Object.values(fields).slice(0, 3).join(" ")}`,
        fields,
      );
    }
    const total = sumPoints(given.map((v) => v.p));
    if (row.sheetStatus === "submitted") throw submittedAlready();

    // One statement for the sheet and its scores: the sheet is created, or rewritten while it is
    // still a draft (the upsert waits for and locks the row; two first saves at once meet here, the
    // later one rewriting the earlier draft); scores no longer given go, the others are upserted.
    // The scores travel as one JSON parameter, not four per score (issue 18, item 5).
    const at = now.toISOString();
    const draft = sql`with sheet as (
        insert into ${scoreSheets} (round_id, entry_id, juror_id, total, comment, created_at, updated_at)
        values (${round.id}, ${entry.id}, ${input.jurorId}, ${String(total)}::numeric, ${comment}, ${at}::timestamptz, ${at}::timestamptz)
        on conflict (entry_id, juror_id) do update
          set total = excluded.total, comment = excluded.comment, updated_at = excluded.updated_at
          where ${scoreSheets.status} = 'draft'
        returning id),
      given as (select * from json_to_recordset(${JSON.stringify(given)}::json) as x(c int, p numeric, n text)),
      gone as (delete from ${scores} where sheet_id in (select id from sheet) and criterion_id not in (select c from given)),
      put as (insert into ${scores} (sheet_id, criterion_id, points, note)
        select sheet.id, given.c, given.p, given.n from sheet, given
        on conflict (sheet_id, criterion_id) do update set points = excluded.points, note = excluded.note)
      select id from sheet`;
    // Submitting: the lock (the database checks the total against the scores just written) and its
    // audit event in a second statement of the same transaction; nothing when no draft is there.
    const lock = sql`with locked as (
        update ${scoreSheets} set status = 'submitted', submitted_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
        where entry_id = ${entry.id} and juror_id = ${input.jurorId} and status = 'draft'
        returning id)
      ${auditEachRow(
        {
          actorId: input.jurorId,
          action: "sheet.submit",
          entity: "score_sheet",
          roundId: round.id,
          after: { entryId: entry.id, total, points: Object.fromEntries(given.map((v) => [v.c, v.p])) },
        },
        sql`locked`,
      )}
      returning entity_id`;
    // Both statements sent together in one transaction (pipelinedTransaction); inside a caller's
    // transaction, that transaction is the one to retry.
    const statements = input.submit ? [draft, lock] : [draft];
    const [written, locked] = tx ? await pipelinedTransaction(statements, tx) : await withRetry(() => pipelinedTransaction(statements));
    // Nothing written: the sheet was submitted meanwhile (in another window, or by the other save).
    if (!written[0] || (input.submit && !locked[0])) throw submittedAlready();
    return { sheetId: Number(written[0].id), total, status: input.submit ? ("submitted" as const) : ("draft" as const) };
  } catch (error) {
    const rule = ruleViolation(error);
    if (rule === "sheet_submitted") throw submittedAlready();
    if (rule === "round_finalised") throw new AppError(409, "Đợt đã chốt kết quả, không thể sửa phiếu chấm.");
    if (rule === "points_max") throw new AppError(400, "Điểm vượt quá mức tối đa của tiêu chí.");
    throw error;
  }
}

const submittedAlready = () => new AppError(409, "Phiếu chấm đã được nộp và khóa, không thể nộp hoặc sửa lại.");
