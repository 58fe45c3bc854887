/**
 * The public side of the khuyến công programme: the report of a region and the national roll-up,
 * from approved figures only, and the fingerprint that makes their HTTP caching exact.
 */
import { and, asc, eq, sql } from "drizzle-orm";

import { programmeFigures, provinces, provinces2025, regions } from "../../../db/schema";
import { type Database, db, rowsOf } from "../../utils/db.server";
import { notFound } from "../../utils/errors";
import { sortByName } from "../../utils/vi-text";
import { eraOf } from "../round/territory-rules";
import { provinceReference } from "../round/territory.server";
import { oldEraName } from "../shared/province-rules";
import { listIndicators } from "./programme.server";
import { type Grouping, type IndicatorInfo, type IndicatorLine, periodEndDay, rollUp } from "./rules";

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
  /** "era": provinces of the period's own list; "successor": the 63 old provinces grouped under the unit each became. */
  grouping: Grouping;
  /** Which list names the provinces of the report: "2016" (63) or "2025" (34). */
  provinceList: "2016" | "2025";
  indicators: IndicatorLine[];
  /** Figures of the report's provinces waiting for approval (not in the totals): count and provinces. */
  pending: { figures: number; provinces: string[] };
}

/**
 * The places a report lists for a period, and where each figure's province falls: a period of the
 * 63-province era lists the old provinces (named as on its last day), unless grouped by successor,
 * when each old province's figures add up under the 2025 unit it became (with that unit's region,
 * reference data an admin edits); a period of the 34-unit era lists the units.
 */
async function reportPlaces(input: { year: number; periodMonths: number; grouping?: Grouping }) {
  const day = periodEndDay(input.year, input.periodMonths);
  const [old, current] = await Promise.all([
    db().select().from(provinces).orderBy(asc(provinces.position)),
    db().select().from(provinces2025),
  ]);
  const era = eraOf(day);
  if (era === "2016" && input.grouping !== "successor") {
    const places = old.map((p) => ({ code: p.code, name: oldEraName(p.code, p.name, day), regionCode: p.regionCode }));
    return { era, places, placeOf: (code: string): string | undefined => (places.some((p) => p.code === code) ? code : undefined) };
  }
  const places = sortByName(current.map((p) => ({ code: p.code, name: p.name, regionCode: p.regionCode })));
  const successor = new Map(old.map((p) => [p.code, p.currentCode]));
  const unitCodes = new Set(places.map((p) => p.code));
  return {
    era,
    places,
    placeOf: (code: string): string | undefined => (era === "2016" ? successor.get(code) : unitCodes.has(code) ? code : undefined),
  };
}

async function periodFigures(input: { year: number; periodMonths: number }, status: "approved" | "submitted") {
  return db()
    .select({
      indicatorCode: programmeFigures.indicatorCode,
      provinceCode: programmeFigures.provinceCode,
      plan: programmeFigures.plan,
      actual: programmeFigures.actual,
    })
    .from(programmeFigures)
    .where(and(eq(programmeFigures.year, input.year), eq(programmeFigures.periodMonths, input.periodMonths), eq(programmeFigures.status, status)));
}

/** Figures entered and sent for approval but not yet approved, for the public note. */
function pendingOf(figures: { provinceCode: string }[], places: { code: string; name: string }[], placeOf: (code: string) => string | undefined) {
  const names = places.filter((p) => figures.some((f) => placeOf(f.provinceCode) === p.code)).map((p) => p.name);
  const inPlaces = new Set(places.map((p) => p.code));
  return { figures: figures.filter((f) => inPlaces.has(placeOf(f.provinceCode) ?? "")).length, provinces: names };
}

/**
 * The public report of a region for a year and period, from approved figures only.
 * @throws AppError 404 for an unknown region.
 */
export async function getRegionReport(input: { year: number; periodMonths: number; regionSlug: string; grouping?: Grouping }): Promise<ProgrammeReport> {
  const [region] = await db().select().from(regions).where(eq(regions.slug, input.regionSlug));
  if (!region) throw notFound("Không có khu vực này. Các khu vực: bac, trung-tay-nguyen, nam.");
  const [indicators, where, figures, submitted] = await Promise.all([
    listIndicators({ activeOnly: true }),
    reportPlaces(input),
    periodFigures(input, "approved"),
    periodFigures(input, "submitted"),
  ]);
  const places = where.places.filter((p) => p.regionCode === region.code).map((p) => ({ code: p.code, name: p.name }));
  const inRegion = new Set(places.map((p) => p.code));
  const mine = figures.filter((f) => inRegion.has(where.placeOf(f.provinceCode) ?? ""));
  const grouping = input.grouping ?? "era";
  return {
    year: input.year,
    periodMonths: input.periodMonths,
    region: { code: region.code, slug: region.slug, name: region.name },
    grouping,
    provinceList: where.era === "2016" && grouping !== "successor" ? "2016" : "2025",
    pending: pendingOf(submitted, places, where.placeOf),
    indicators: rollUp({
      indicators: indicators as IndicatorInfo[],
      places,
      figures: mine.map((f) => ({ ...f, plan: num(f.plan), actual: num(f.actual) })),
      placeOf: where.placeOf,
    }),
  };
}

/** The national roll-up by region (approved figures only), each province in its region of the report's list. */
export async function getNationalReport(input: { year: number; periodMonths: number; grouping?: Grouping }) {
  const [indicators, regionRows, where, figures, submitted] = await Promise.all([
    listIndicators({ activeOnly: true }),
    db().select().from(regions).orderBy(asc(regions.position)),
    reportPlaces(input),
    periodFigures(input, "approved"),
    periodFigures(input, "submitted"),
  ]);
  const regionOfPlace = new Map(where.places.map((p) => [p.code, p.regionCode]));
  const regionOf = (code: string) => regionOfPlace.get(where.placeOf(code) ?? "");
  return {
    year: input.year,
    periodMonths: input.periodMonths,
    regions: regionRows.map((r) => ({ code: r.code, slug: r.slug, name: r.name })),
    pending: pendingOf(submitted, where.places, where.placeOf),
    indicators: rollUp({
      indicators: indicators as IndicatorInfo[],
      places: regionRows.map((r) => ({ code: r.code, name: r.name })),
      figures: figures.map((f) => ({ ...f, plan: num(f.plan), actual: num(f.actual) })),
      placeOf: regionOf,
      behindCount: 0,
    }),
  };
}

/** Year, period and region of every report with approved figures, newest first (regions of the period's era). */
export async function listPublishedReports() {
  const [rows, ref, regionRows] = await Promise.all([
    db()
      .selectDistinct({ year: programmeFigures.year, periodMonths: programmeFigures.periodMonths, provinceCode: programmeFigures.provinceCode })
      .from(programmeFigures)
      .where(eq(programmeFigures.status, "approved")),
    provinceReference(),
    db().select().from(regions).orderBy(asc(regions.position)),
  ]);
  const seen = new Map<string, { year: number; periodMonths: number; slug: string; name: string; position: number }>();
  for (const r of rows) {
    const era = eraOf(periodEndDay(r.year, r.periodMonths));
    const regionCode = era === "2016" ? ref.old.get(r.provinceCode)?.regionCode : ref.current.get(r.provinceCode)?.regionCode;
    const region = regionRows.find((g) => g.code === regionCode);
    if (!region) continue;
    seen.set(`${r.year}|${r.periodMonths}|${region.code}`, { year: r.year, periodMonths: r.periodMonths, slug: region.slug, name: region.name, position: region.position });
  }
  return [...seen.values()].sort((a, b) => b.year - a.year || b.periodMonths - a.periodMonths || a.position - b.position);
}
