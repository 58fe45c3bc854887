/**
 * Results of a round: per-entry statistics aggregated in SQL, ranked by ranking.ts; tie
 * resolutions; finalisation (locks enforced by the database triggers, SHA-256 of the final table),
 * the recognition decision. Publication with certificates, the audited reopening and the minutes'
 * data are in publish.server.ts, re-exported here (it calls back into this module's functions).
 */
import { and, asc, eq, ne, sql } from "drizzle-orm";

import { entries, rounds, tieResolutions } from "../../../db/schema";
import { type Database, db, pgConstraint, pgErrorCode, rowsOf } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { sha256 } from "../../utils/hash.server";
import { withRetry } from "../../utils/retry.server";
import { capacityFromTitle, capacityProblem, parseCapacity, signerNameProblem } from "../certificate/document-rules";
import { col, notConflicted } from "../council/conflict-sql.server";
import { isJudging } from "../round/rules";
import { exclusionLine, exclusionsByEntry, pendingSheetDecisions } from "../scoring/sheet-decisions.server";
import { recordAudit } from "../shared/audit.server";
import { type EntryStats, jurorZScores, rankEntries } from "./ranking";

export * from "./publish.server";

interface StatRow {
  entry_id: number;
  group_no: number;
  code: string | null;
  status: string;
  product_name: string;
  facility_name: string;
  province_name: string | null;
  n: number;
  sum2: number;
  median: string | null;
  min: string | null;
  max: string | null;
  sd: string | null;
}

/**
 * Sheets that count: submitted and recorded as counted. The flag is a fact changed only by an
 * organiser's decision (sheet-decisions.server), never by a conflict computed later.
 */
const COUNTED = sql`s.status = 'submitted' and s.counted`;

/**
 * Live results of a round: statistics per entry (mean, median, min–max, std dev, count) computed in
 * SQL over the counted sheets, then ranked (round and group), passed/selected, boundary tie.
 */
export async function computeResults(input: { roundId: number }, tx: Database = db()) {
  const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId));
  if (!round) throw notFound();
  const rows = rowsOf<StatRow>(
    await tx.execute(sql`
      select e.id as entry_id, e.group_no, e.code, e.status, p.name as product_name, f.name as facility_name,
             coalesce(pv.name, p25.name) as province_name,
             count(s.id)::int as n,
             coalesce(sum(round(s.total * 2)), 0)::int as sum2,
             percentile_cont(0.5) within group (order by s.total)::numeric(6,2)::text as median,
             min(s.total)::text as min, max(s.total)::text as max,
             stddev_pop(s.total)::numeric(8,3)::text as sd
      from entries e
      join products p on p.id = e.product_id
      join facilities f on f.id = e.facility_id
      join provinces_2025 p25 on p25.code = f.province_code
      left join provinces pv on pv.code = f.legacy_province_code
      left join score_sheets s on s.entry_id = e.id and ${COUNTED}
      where e.round_id = ${round.id} and e.status in ('eligible', 'selected', 'not_selected')
      group by e.id, p.name, f.name, pv.name, p25.name`),
  );
  const stats: EntryStats[] = rows.map((r) => ({
    entryId: r.entry_id,
    groupNo: Number(r.group_no),
    n: Number(r.n),
    sum2: Number(r.sum2),
    median: r.median == null ? null : Number(r.median),
    min: r.min == null ? null : Number(r.min),
    max: r.max == null ? null : Number(r.max),
    stdDev: r.sd == null ? null : Number(r.sd),
  }));
  const resolutions = await tx
    .select()
    .from(tieResolutions)
    .where(eq(tieResolutions.roundId, round.id))
    .orderBy(asc(tieResolutions.id));
  const ranking = rankEntries({
    stats,
    passMark: Number(round.passMark),
    quota: round.quota,
    resolutions,
    disagreementSpread: Number(round.disagreementSpread),
  });
  const info = new Map(rows.map((r) => [r.entry_id, r]));
  const excluded = await exclusionsByEntry(round.id, tx);
  return {
    round,
    ...ranking,
    resolutions,
    entries: ranking.entries.map((e) => {
      const r = info.get(e.entryId)!;
      return {
        ...e,
        code: r.code,
        status: r.status,
        productName: r.product_name,
        facilityName: r.facility_name,
        provinceName: r.province_name,
        /** "1 phiếu không tính: …lý do…" (empty when every submitted sheet counts). */
        excludedNote: exclusionLine(excluded.get(e.entryId)),
      };
    }),
  };
}
export type RoundResults = Awaited<ReturnType<typeof computeResults>>;

/** Advisory per-juror z-scores of the counted sheets (changes nothing). */
export async function advisoryZScores(roundId: number, tx: Database = db()) {
  const rows = rowsOf<{ entry_id: number; juror_id: string; total: string; name: string }>(
    await tx.execute(sql`
      select s.entry_id, s.juror_id, s.total::text as total, u.full_name as name
      from score_sheets s join entries e on e.id = s.entry_id join users u on u.id = s.juror_id
      where s.round_id = ${roundId} and ${COUNTED}`),
  );
  const z = jurorZScores(rows.map((r) => ({ entryId: r.entry_id, jurorId: r.juror_id, total: Number(r.total) })));
  const names = new Map(rows.map((r) => [r.juror_id, r.name]));
  return {
    jurors: [...z.jurors]
      .map(([id, j]) => ({ id, name: names.get(id) ?? id, ...j }))
      .sort((a, b) => a.name.localeCompare(b.name, "vi")),
    entryZ: Object.fromEntries(z.entryZ) as Record<number, number>,
  };
}

/**
 * Records the council's resolution of the tie across the quota boundary: which of the tied entries
 * take the remaining seats, and why.
 * @throws AppError 400 when there is no such tie, the choice does not fill exactly the seats, or no reason.
 */
export async function resolveTie(input: { roundId: number; actorId: string; selectedEntryIds: number[]; reason: string }) {
  const reason = input.reason.trim();
  if (reason.length < 10)
    throw new AppError(400, "Ghi lý do quyết định của hội đồng (ít nhất 10 ký tự).", { reason: "Ghi lý do." });
  return db().transaction(async (tx) => {
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
    if (!round) throw notFound();
    if (round.finalisedAt) throw new AppError(409, "Đợt đã chốt kết quả.");
    const results = await computeResults({ roundId: round.id }, tx);
    if (!results.tie) throw new AppError(400, "Không có trường hợp đồng điểm tại ranh giới chỉ tiêu.");
    const chosen = [...new Set(input.selectedEntryIds)];
    if (chosen.length !== results.tie.seats || !chosen.every((id) => results.tie!.entryIds.includes(id))) {
      throw new AppError(400, `Chọn đúng ${results.tie.seats} trong ${results.tie.entryIds.length} sản phẩm đồng điểm.`);
    }
    const [row] = await tx
      .insert(tieResolutions)
      .values({
        roundId: round.id,
        tiedEntryIds: results.tie.entryIds,
        selectedEntryIds: chosen,
        reason,
        recordedBy: input.actorId,
      })
      .returning();
    await recordAudit(
      {
        actorId: input.actorId,
        action: "tie.resolve",
        entity: "round",
        entityId: round.id,
        roundId: round.id,
        after: { tied: row.tiedEntryIds, selected: chosen, reason },
      },
      tx,
    );
    return row;
  });
}

/** Sheets that block finalisation: assigned, not conflicted, not submitted. */
export async function unsubmittedSheets(roundId: number, tx: Database = db()) {
  return rowsOf<{ entry_id: number; code: string | null; juror: string; status: string | null }>(
    await tx.execute(sql`
      select a.entry_id, e.code, u.full_name as juror, s.status
      from assignments a
      join entries e on e.id = a.entry_id and e.status = 'eligible'
      join users u on u.id = a.juror_id
      left join score_sheets s on s.entry_id = a.entry_id and s.juror_id = a.juror_id
      where a.round_id = ${roundId} and coalesce(s.status, 'none') <> 'submitted'
        and ${notConflicted({ roundId: col("a.round_id"), jurorId: col("a.juror_id"), entryId: col("e.id"), facilityId: col("e.facility_id") })}
      order by e.code, u.full_name`),
  );
}

/** The canonical final table (entries by id with each counted sheet), hashed at finalisation. */
export async function canonicalFinalTable(roundId: number, tx: Database = db()) {
  const rows = rowsOf<{
    entry_id: number;
    code: string | null;
    status: string;
    mean: string | null;
    rank: number | null;
    sheets: string | null;
  }>(
    await tx.execute(sql`
      select e.id as entry_id, e.code, e.status, e.mean_score::text as mean, e.rank,
             string_agg(s.juror_id || ':' || s.total::text || ':' || s.status, ',' order by s.juror_id) as sheets
      from entries e left join score_sheets s on s.entry_id = e.id
      where e.round_id = ${roundId} and e.status in ('selected', 'not_selected', 'eligible')
      group by e.id order by e.id`),
  );
  return rows.map((r) => [r.entry_id, r.code, r.status, r.mean, r.rank, r.sheets ?? ""].join("|")).join("\n");
}


/**
 * Finalises the round: refuses while any counted sheet is unsubmitted (listing them) or a boundary
 * tie is unresolved; writes every entry's status, mean and rank; then sets finalised_at and the
 * SHA-256 of the final table — from then on the triggers refuse any change to sheets, scores,
 * entries, assignments, rubric and tie resolutions. One transaction; a second organiser finalising
 * at the same moment waits on the row lock and is refused.
 * @throws AppError 409 with the reason.
 */
export async function finaliseRound(
  input: { roundId: number; actorId: string; now?: Date; /** The list as decided (council rounds, issue 14). */ selectedEntryIds?: number[] },
  tx?: Database,
) {
  const now = input.now ?? new Date();
  const run = async (t: Database) => {
    const [round] = await t.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
    if (!round) throw notFound();
    if (round.finalisedAt) throw new AppError(409, "Kết quả của đợt đã được chốt trước đó.");
    if (!isJudging(round))
      throw new AppError(409, "Chỉ chốt kết quả khi đợt đang chấm điểm hoặc xét kết quả.");
    const missing = await unsubmittedSheets(round.id, t);
    if (missing.length) {
      const list = missing
        .slice(0, 10)
        .map((m) => `${m.juror} – ${m.code ?? `#${m.entry_id}`}`)
        .join("; ");
      throw new AppError(409, `Còn ${missing.length} phiếu chấm chưa nộp: ${list}${missing.length > 10 ? "; …" : ""}.`);
    }
    const pending = await pendingSheetDecisions(round.id, t);
    if (pending)
      throw new AppError(
        409,
        `Còn ${pending} phiếu cần quyết định (xung đột lợi ích phát sinh sau khi nộp): quyết định tính hay không tính từng phiếu trước khi chốt.`,
      );
    const decided = input.selectedEntryIds ? new Set(input.selectedEntryIds) : null;
    if (!decided) {
      const [seats] = rowsOf<{ n: number }>(await t.execute(sql`select count(*)::int as n from council_seats where round_id = ${round.id}`));
      if (seats?.n)
        throw new AppError(
          409,
          "Đợt có Hội đồng bình chọn: kết quả được chốt khi ghi quyết định công nhận, sau phiên họp của hội đồng và thời hạn khiếu nại.",
        );
    }
    const results = await computeResults({ roundId: round.id }, t);
    if (!decided && !results.decidable) {
      throw new AppError(
        409,
        `Có ${results.tie!.entryIds.length} sản phẩm đồng điểm tại ranh giới chỉ tiêu (còn ${results.tie!.seats} suất): hội đồng cần ghi nhận quyết định trước khi chốt.`,
      );
    }
    for (const e of results.entries) {
      await t
        .update(entries)
        .set({
          status: (decided ? decided.has(e.entryId) : e.selected) ? "selected" : "not_selected",
          meanScore: e.mean == null ? null : e.mean.toFixed(3),
          rank: e.rank,
          updatedAt: now,
        })
        .where(eq(entries.id, e.entryId));
    }
    const hash = sha256(await canonicalFinalTable(round.id, t));
    const done = await t
      .update(rounds)
      .set({ finalisedAt: now, finalHash: hash, status: "deliberation", updatedAt: now })
      .where(and(eq(rounds.id, round.id), sql`${rounds.finalisedAt} is null`))
      .returning({ id: rounds.id });
    if (!done.length) throw new AppError(409, "Kết quả của đợt vừa được người khác chốt.");
    const selected = decided ? results.entries.filter((e) => decided.has(e.entryId)).length : results.entries.filter((e) => e.selected).length;
    await recordAudit(
      {
        actorId: input.actorId,
        action: "round.finalise",
        entity: "round",
        entityId: round.id,
        roundId: round.id,
        after: { hash, selected, entries: results.entries.length },
      },
      t,
    );
    return { hash, selected };
  };
  return tx ? run(tx) : db().transaction(run);
}

/** Recomputes the hash of the stored final table: equal to rounds.final_hash unless someone tampered. */
export async function verifyFinalHash(roundId: number) {
  const [round] = await db().select().from(rounds).where(eq(rounds.id, roundId));
  if (!round?.finalHash) return null;
  return sha256(await canonicalFinalTable(roundId)) === round.finalHash;
}

/**
 * Records the recognition decision (number, date, signer) of a finalised, unpublished round.
 * @throws AppError 400 for a malformed number or date, 409 before finalisation or after publication.
 */
export async function recordDecision(
  input: {
    roundId: number;
    actorId: string;
    decisionNo: string;
    decisionDate: string;
    /** The signer's title ("Phó Chủ tịch UBND tỉnh Thái Nguyên"). */
    decisionSigner: string;
    /** The signer's name, printed under the signature of the certificates. */
    decisionSignerName?: string | null;
    /** The capacity lines above the signature, one per line; empty = the usual lines for the title. */
    decisionSignerCapacity?: string | null;
  },
  tx?: Database,
) {
  const no = input.decisionNo.trim();
  const signer = input.decisionSigner.trim();
  const signerName = (input.decisionSignerName ?? "").normalize("NFC").replace(/\s+/g, " ").trim() || null;
  const capacityLines = parseCapacity(input.decisionSignerCapacity);
  const fields: Record<string, string> = {};
  if (!/^\d+\/[\p{L}\d-]+/u.test(no)) fields.decisionNo = "Số quyết định có dạng 1234/QĐ-CNĐP.";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.decisionDate) || Number.isNaN(Date.parse(input.decisionDate)))
    fields.decisionDate = "Ngày quyết định không hợp lệ.";
  if (signer.length < 3) fields.decisionSigner = "Nhập người ký quyết định.";
  const nameProblem = signerName ? signerNameProblem(signerName) : null;
  if (nameProblem) fields.decisionSignerName = nameProblem;
  const capProblem = capacityProblem(capacityLines);
  if (capProblem) fields.decisionSignerCapacity = capProblem;
  if (Object.keys(fields).length) throw new AppError(400, "Thông tin quyết định chưa hợp lệ.", fields);
  const capacity = (capacityLines.length ? capacityLines : capacityFromTitle(signer)).join("\n") || null;
  const year = input.decisionDate.slice(0, 4);
  const taken = (authority: string) =>
    new AppError(409, `Số quyết định ${no} đã được dùng cho một quyết định khác của ${authority} trong năm ${year}.`, {
      decisionNo: `Số ${no} đã được dùng trong năm ${year}.`,
    });
  const run = async (t: Database) => {
    const [round] = await t.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
    if (!round) throw notFound();
    if (!round.finalisedAt) throw new AppError(409, "Chốt kết quả trước khi ghi quyết định công nhận.");
    if (round.status !== "deliberation") throw new AppError(409, "Đợt đã công bố: quyết định không thể sửa.");
    // One number per issuer and year (the unique index rounds_decision_number_year_uq holds it under a race).
    const [other] = await t
      .select({ id: rounds.id })
      .from(rounds)
      .where(
        and(
          sql`lower(${rounds.authority}) = lower(${round.authority})`,
          sql`extract(year from ${rounds.decisionDate}) = ${Number(year)}`,
          eq(rounds.decisionNo, no),
          ne(rounds.id, round.id),
        ),
      )
      .limit(1);
    if (other) throw taken(round.authority);
    try {
      await t
        .update(rounds)
        .set({ decisionNo: no, decisionDate: input.decisionDate, decisionSigner: signer, decisionSignerName: signerName, decisionSignerCapacity: capacity, updatedAt: new Date() })
        .where(eq(rounds.id, round.id));
    } catch (error) {
      if (pgErrorCode(error) === "23505" && pgConstraint(error) === "rounds_decision_number_year_uq") throw taken(round.authority);
      throw error;
    }
    await recordAudit(
      {
        actorId: input.actorId,
        action: "round.decision",
        entity: "round",
        entityId: round.id,
        roundId: round.id,
        before: { decisionNo: round.decisionNo },
        after: { decisionNo: no, decisionDate: input.decisionDate, decisionSigner: signer, decisionSignerName: signerName, decisionSignerCapacity: capacity },
      },
      t,
    );
  };
  return tx ? run(tx) : withRetry(() => db().transaction(run));
}

