/**
 * The one rule that names a province as of a date. Vietnam merged its 63 provinces into 34 on
 * 1 July 2025; a facility keeps the 2016-era province it had (`legacy`) beside the unit it belongs
 * to now (`current`). Every public place (certificates, winners lists and files, statistics,
 * search, round and product pages) names the province as it was called on the day that matters —
 * the recognition decision's day — and shows the current name beside it where they differ.
 */

/** The 34-unit provinces took effect on this day (Resolution of 12 June 2025). */
export const PROVINCE_MERGER_DATE = "2025-07-01";

/**
 * Renames inside the 63-province era: Thừa Thiên Huế became the centrally-run city of Huế on
 * 1 January 2025 (Resolution 1314/NQ-UBTVQH15), half a year before the merger kept it as it was.
 */
export const OLD_ERA_RENAMES: readonly { code: string; from: string; name: string }[] = [
  { code: "thua-thien-hue", from: "2025-01-01", name: "Huế" },
];

/** The 63-era name of `code` on `day`, after the renames above. */
export function oldEraName(code: string, name: string, day: string): string {
  const renamed = OLD_ERA_RENAMES.find((r) => r.code === code && day >= r.from);
  return renamed ? renamed.name : name;
}

export interface ProvinceNames<T = string> {
  /** The 2016-era province, when known. */
  legacy: T | null | undefined;
  /** The province (34 units) the facility belongs to now. */
  current: T;
}

/**
 * The province as named on `date` (yyyy-mm-dd or a Date): the 2016-era name before the merger,
 * the merged unit from 1 July 2025 on. Without a known 2016-era province the current one stands.
 */
export function provinceAsOf<T>(date: string | Date | null | undefined, names: ProvinceNames<T>): T {
  const day = date instanceof Date ? vietnamDay(date) : date;
  // An unknown date is treated as before the merger only when a legacy name exists and nothing
  // says otherwise: rounds without a decision date are all older data.
  if (day && day >= PROVINCE_MERGER_DATE) return names.current;
  return names.legacy ?? names.current;
}

/** The day that dates a round's recognition: its decision, else its publication, else its year's end. */
export function recognitionDay(round: { decisionDate?: string | null; publishedAt?: string | Date | null; year: number }): string {
  if (round.decisionDate) return round.decisionDate;
  if (round.publishedAt) return vietnamDay(new Date(round.publishedAt));
  return `${round.year}-12-31`;
}

/** yyyy-mm-dd of an instant in Vietnam time (UTC+7, no daylight saving). */
function vietnamDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}
