/**
 * The public side of the khuyến công programme: the report of a region and the national roll-up,
 * from approved figures only, and the fingerprint that makes their HTTP caching exact.
 */
import { and, asc, eq, sql } from "drizzle-orm";

import { programmeFigures, provinces, regions } from "../../../db/schema";
import { type Database, db, rowsOf } from "../../utils/db.server";
import { notFound } from "../../utils/errors";
import { listIndicators } from "./programme.server";
import { type IndicatorInfo, type IndicatorLine, rollUp } from "./rules";

const num = (v: string | null): number | null => (v === null ? null : Number(v));

/**
 * A fingerprint of everything the public report shows: any entry, correction or approval of a
 * figure, and any change to the indicator catalogue, changes it (timestamps to the microsecond).
 */
export async function programmeFingerprint(tx: Database = db()): Promise<string> {
  const result = await tx.execute(sql`
    select
      (select count(*) || ':' || coalesce(max(extract(epoch from updated_at)), 0) || ':' || coalesce(max(extract(epoch from approved_at)), 0)
         from programme_figures) as figures,
      (select md5(coalesce(string_agg(code || '|' || name || '|' || unit || '|' || aggregation || '|' || position || '|' || active, ',' order by code), ''))
         from programme_indicators) as indicators`);
  const [row] = rowsOf<{ figures: string; indicators: string }>(result);
  return `${row?.figures}|${row?.indicators}`;
}

export interface ProgrammeReport {
  year: number;
  periodMonths: number;
  region: { code: string; slug: string; name: string };
  indicators: IndicatorLine[];
  /** Figures of the report's provinces waiting for approval (not in the totals): count and provinces. */
  pending: { figures: number; provinces: string[] };
}

/** Figures entered and sent for approval but not yet approved, for the public note. */
async function pendingFigures(input: { year: number; periodMonths: number; regionCode?: string }) {
  const rows = await db()
    .select({ name: provinces.name, n: sql<number>`count(*)::int` })
    .from(programmeFigures)
    .innerJoin(provinces, eq(provinces.code, programmeFigures.provinceCode))
    .where(
      and(
        input.regionCode ? eq(provinces.regionCode, input.regionCode) : undefined,
        eq(programmeFigures.year, input.year),
        eq(programmeFigures.periodMonths, input.periodMonths),
        eq(programmeFigures.status, "submitted"),
      ),
    )
    .groupBy(provinces.name, provinces.position)
    .orderBy(asc(provinces.position));
  return { figures: rows.reduce((s, r) => s + r.n, 0), provinces: rows.map((r) => r.name) };
}

/**
 * The public report of a region for a year and period, from approved figures only.
 * @throws AppError 404 for an unknown region.
 */
export async function getRegionReport(input: { year: number; periodMonths: number; regionSlug: string }): Promise<ProgrammeReport> {
  const [region] = await db().select().from(regions).where(eq(regions.slug, input.regionSlug));
  if (!region) throw notFound("Không có khu vực này. Các khu vực: bac, trung-tay-nguyen, nam.");
  const [indicators, places, figures, pending] = await Promise.all([
    listIndicators({ activeOnly: true }),
    db().select({ code: provinces.code, name: provinces.name }).from(provinces).where(eq(provinces.regionCode, region.code)).orderBy(asc(provinces.position)),
    db()
      .select({
        indicatorCode: programmeFigures.indicatorCode,
        provinceCode: programmeFigures.provinceCode,
        plan: programmeFigures.plan,
        actual: programmeFigures.actual,
      })
      .from(programmeFigures)
      .innerJoin(provinces, eq(provinces.code, programmeFigures.provinceCode))
      .where(
        and(
          eq(provinces.regionCode, region.code),
          eq(programmeFigures.year, input.year),
          eq(programmeFigures.periodMonths, input.periodMonths),
          eq(programmeFigures.status, "approved"),
        ),
      ),
    pendingFigures({ ...input, regionCode: region.code }),
  ]);
  return {
    year: input.year,
    periodMonths: input.periodMonths,
    region: { code: region.code, slug: region.slug, name: region.name },
    pending,
    indicators: rollUp({
      indicators: indicators as IndicatorInfo[],
      places,
      figures: figures.map((f) => ({ ...f, plan: num(f.plan), actual: num(f.actual) })),
    }),
  };
}

/** The national roll-up by region (approved figures only). */
export async function getNationalReport(input: { year: number; periodMonths: number }) {
  const [indicators, regionRows, provinceRows, figures, pending] = await Promise.all([
    listIndicators({ activeOnly: true }),
    db().select().from(regions).orderBy(asc(regions.position)),
    db().select({ code: provinces.code, regionCode: provinces.regionCode }).from(provinces),
    db()
      .select({
        indicatorCode: programmeFigures.indicatorCode,
        provinceCode: programmeFigures.provinceCode,
        plan: programmeFigures.plan,
        actual: programmeFigures.actual,
      })
      .from(programmeFigures)
      .where(and(eq(programmeFigures.year, input.year), eq(programmeFigures.periodMonths, input.periodMonths), eq(programmeFigures.status, "approved"))),
    pendingFigures(input),
  ]);
  const regionOf = new Map(provinceRows.map((p) => [p.code, p.regionCode]));
  return {
    year: input.year,
    periodMonths: input.periodMonths,
    regions: regionRows.map((r) => ({ code: r.code, slug: r.slug, name: r.name })),
    pending,
    indicators: rollUp({
      indicators: indicators as IndicatorInfo[],
      places: regionRows.map((r) => ({ code: r.code, name: r.name })),
      figures: figures.map((f) => ({ ...f, plan: num(f.plan), actual: num(f.actual) })),
      placeOf: (code) => regionOf.get(code),
      behindCount: 0,
    }),
  };
}

/** Year, period and region of every report with approved figures, newest first. */
export async function listPublishedReports() {
  return db()
    .selectDistinct({ year: programmeFigures.year, periodMonths: programmeFigures.periodMonths, slug: regions.slug, name: regions.name, position: regions.position })
    .from(programmeFigures)
    .innerJoin(provinces, eq(provinces.code, programmeFigures.provinceCode))
    .innerJoin(regions, eq(regions.code, provinces.regionCode))
    .where(eq(programmeFigures.status, "approved"))
    .orderBy(sql`${programmeFigures.year} desc`, sql`${programmeFigures.periodMonths} desc`, asc(regions.position));
}
