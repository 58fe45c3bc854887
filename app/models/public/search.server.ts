/**
 * Public search over recognised products, their facilities and commendation recipients:
 * diacritic-insensitive (`vn_fold`: lower + unaccent + đ→d) and typo-tolerant (pg_trgm word
 * similarity), ranked by relevance. Only published data is searched: products selected in
 * published rounds, recipients of issued decisions.
 */
import { sql } from "drizzle-orm";

import { type Database, db, jsonValue, rowsOf } from "../../utils/db.server";
import { provinceAsOf, recognitionDay } from "../shared/province-rules";
import { normaliseQuery, queryTerms, termPattern, TYPO_TOLERANT_FROM } from "./search-text";

/** Below this word similarity a row is not a match (pg_trgm's own default for <% is 0.6). */
const MIN_SIMILARITY = 0.45;
const LIMIT = 30;

export interface ProductHit {
  productId: number;
  name: string;
  facilityName: string;
  provinceName: string;
  currentProvinceName: string;
  groupName: string;
  roundTitle: string;
  score: number;
}

export interface FacilityHit {
  facilityId: number;
  name: string;
  provinceName: string;
  currentProvinceName: string;
  products: { id: number; name: string }[];
  score: number;
}

export interface RecipientHit {
  recipientId: number;
  kind: "collective" | "individual";
  name: string;
  organization: string | null;
  provinceName: string | null;
  decisionNumber: string;
  certificateCode: string | null;
  score: number;
}

/** LIKE pattern for a folded term with %, _ and \ taken literally. */
function likeContains(term: string) {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Every term is a word (or a word's start) of the folded text: a match that is always relevant. */
function allTermsAsWords(column: ReturnType<typeof sql>, terms: string[]) {
  if (!terms.length) return sql`false`;
  return sql.join(
    terms.map((t) => sql`${column} ~ ${termPattern(t)}`),
    sql` and `,
  );
}

/**
 * The short terms are words of the folded text: trigram similarity may tolerate a typo in a long
 * word, never stand in for a short one ("gom" must not find "go").
 */
function shortTermsAsWords(column: ReturnType<typeof sql>, terms: string[]) {
  const short = terms.filter((t) => Array.from(t).length < TYPO_TOLERANT_FROM);
  return short.length ? allTermsAsWords(column, short) : sql`true`;
}

/**
 * Searches the public catalogue.
 * Inputs of any shape are normalised (NFC, control characters removed, length capped) and never
 * raise; a query without letters or digits finds nothing.
 */
export async function searchPublic(rawQuery: unknown, tx: Database = db()) {
  const query = normaliseQuery(rawQuery);
  const terms = queryTerms(query);
  const empty = { query, products: [] as ProductHit[], facilities: [] as FacilityHit[], recipients: [] as RecipientHit[] };
  if (!terms.length) return empty;
  // The folded query as the database folds it, from the terms only (punctuation carries no meaning).
  const q = terms.join(" ");

  const productHay = sql`vn_fold(coalesce(pp.snapshot_name, p.name) || ' ' || f.name || ' ' || coalesce(pv.name, '') || ' ' || p25.name)`;
  const productRows = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      with fq as (select vn_fold(${q}) as q),
      public_products as (
        select distinct on (e.product_id) e.product_id, e.group_no, r.title as round_title,
          r.decision_date, r.published_at, r.year,
          coalesce(nullif(e.snapshot->'product'->>'name', ''), nullif(e.snapshot->>'productName', '')) as snapshot_name
        from entries e join rounds r on r.id = e.round_id
        where e.status = 'selected' and r.status = 'published'
        order by e.product_id, r.year desc, r.id desc
      ),
      scored as (
        select p.id as product_id, coalesce(pp.snapshot_name, p.name) as name, f.name as facility_name,
          pv.name as legacy_province_name, p25.name as current_province_name,
          pp.decision_date, pp.published_at, pp.year,
          g.name as group_name, pp.round_title,
          greatest(word_similarity(fq.q, vn_fold(coalesce(pp.snapshot_name, p.name))), 0.9 * word_similarity(fq.q, ${productHay}))
            + case when vn_fold(coalesce(pp.snapshot_name, p.name)) like ${likeContains(q)} then 0.3 else 0 end as score,
          (${allTermsAsWords(productHay, terms)}) as contains_all,
          (${shortTermsAsWords(productHay, terms)}) as short_ok
        from public_products pp
        join products p on p.id = pp.product_id
        join facilities f on f.id = p.facility_id
        join provinces_2025 p25 on p25.code = f.province_code
        left join provinces pv on pv.code = f.legacy_province_code
        join product_groups g on g.no = pp.group_no
        cross join fq
      )
      select * from scored where short_ok and (score >= ${MIN_SIMILARITY} or contains_all)
      order by contains_all desc, score desc, name asc
      limit ${LIMIT}`),
  );

  const facilityHay = sql`vn_fold(f.name || ' ' || coalesce(pv.name, '') || ' ' || p25.name)`;
  const facilityRows = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      with fq as (select vn_fold(${q}) as q),
      public_facilities as (
        select e.facility_id, json_agg(distinct jsonb_build_object('id', p.id, 'name', p.name)) as products,
          -- The latest recognition dates the province's name (provinceAsOf below).
          (array_agg(r.decision_date order by r.year desc, r.id desc))[1] as decision_date,
          (array_agg(r.published_at order by r.year desc, r.id desc))[1] as published_at,
          max(r.year) as year
        from entries e join rounds r on r.id = e.round_id join products p on p.id = e.product_id
        where e.status = 'selected' and r.status = 'published'
        group by e.facility_id
      ),
      scored as (
        select f.id as facility_id, f.name, pv.name as legacy_province_name, p25.name as current_province_name,
          pf.products, pf.decision_date, pf.published_at, pf.year,
          greatest(word_similarity(fq.q, vn_fold(f.name)), 0.9 * word_similarity(fq.q, ${facilityHay}))
            + case when vn_fold(f.name) like ${likeContains(q)} then 0.3 else 0 end as score,
          (${allTermsAsWords(facilityHay, terms)}) as contains_all,
          (${shortTermsAsWords(facilityHay, terms)}) as short_ok
        from public_facilities pf
        join facilities f on f.id = pf.facility_id
        join provinces_2025 p25 on p25.code = f.province_code
        left join provinces pv on pv.code = f.legacy_province_code
        cross join fq
      )
      select * from scored where short_ok and (score >= ${MIN_SIMILARITY} or contains_all)
      order by contains_all desc, score desc, name asc
      limit ${LIMIT}`),
  );

  const recipientHay = sql`vn_fold(cr.name || ' ' || coalesce(cr.organization, '') || ' ' || coalesce(cr.position, '') || ' ' || coalesce(pv.name, ''))`;
  const recipientRows = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      with fq as (select vn_fold(${q}) as q),
      scored as (
        select cr.id as recipient_id, cr.kind, cr.name, cr.organization, pv.name as province_name, d.number as decision_number,
          c.code as certificate_code,
          greatest(word_similarity(fq.q, vn_fold(cr.name)), 0.9 * word_similarity(fq.q, ${recipientHay}))
            + case when vn_fold(cr.name) like ${likeContains(q)} then 0.3 else 0 end as score,
          (${allTermsAsWords(recipientHay, terms)}) as contains_all,
          (${shortTermsAsWords(recipientHay, terms)}) as short_ok
        from commendation_recipients cr
        join commendation_decisions d on d.id = cr.decision_id and d.status = 'issued'
        left join provinces pv on pv.code = cr.province_code
        left join certificates c on c.recipient_id = cr.id
        cross join fq
      )
      select * from scored where short_ok and (score >= ${MIN_SIMILARITY} or contains_all)
      order by contains_all desc, score desc, name asc
      limit ${LIMIT}`),
  );

  return {
    query,
    products: productRows.map((r) => ({
      productId: Number(r.product_id),
      name: String(r.name),
      facilityName: String(r.facility_name),
      provinceName: provinceOfTime(r),
      currentProvinceName: String(r.current_province_name),
      groupName: String(r.group_name),
      roundTitle: String(r.round_title),
      score: Number(r.score),
    })),
    facilities: facilityRows.map((r) => ({
      facilityId: Number(r.facility_id),
      name: String(r.name),
      provinceName: provinceOfTime(r),
      currentProvinceName: String(r.current_province_name),
      products: jsonValue<{ id: number; name: string }[]>(r.products),
      score: Number(r.score),
    })),
    recipients: recipientRows.map((r) => ({
      recipientId: Number(r.recipient_id),
      kind: r.kind as "collective" | "individual",
      name: String(r.name),
      organization: (r.organization as string | null) ?? null,
      provinceName: (r.province_name as string | null) ?? null,
      decisionNumber: String(r.decision_number),
      certificateCode: (r.certificate_code as string | null) ?? null,
      score: Number(r.score),
    })),
  };
}

/** The province as named on the day of the row's latest recognition (decision_date, published_at, year). */
function provinceOfTime(r: Record<string, unknown>): string {
  const day = recognitionDay({ decisionDate: dayText(r.decision_date), publishedAt: r.published_at as string | Date | null, year: Number(r.year) });
  return provinceAsOf(day, { legacy: r.legacy_province_name as string | null, current: String(r.current_province_name) });
}

/** A date column as yyyy-mm-dd whichever driver read it. */
function dayText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

export type SearchResults = Awaited<ReturnType<typeof searchPublic>>;
