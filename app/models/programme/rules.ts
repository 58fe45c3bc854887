/**
 * Pure rules of the khuyến công programme report: reading numbers typed the Vietnamese or the
 * English way, percent of plan, roll-ups (sum or average) by province, region and nation, and the
 * provinces furthest behind plan. No database here: the browser and the tests use it directly.
 */

export type Aggregation = "sum" | "avg";

/** Periods are cumulative months from January; the public URL names them "9m", "12m" ("year"). */
export const PERIOD_CHOICES = [3, 6, 9, 12] as const;

export function periodLabel(months: number, lang: "vi" | "en" = "vi"): string {
  if (lang === "en") return months === 12 ? "Full year" : `First ${months} months`;
  return months === 12 ? "Cả năm" : `${months} tháng đầu năm`;
}

/** "9m" → 9, "12m" and "year" → 12, "" → 12; anything else → null. */
export function parsePeriod(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === "" || value === "year") return 12;
  const m = /^(\d{1,2})m?$/.exec(value.trim());
  if (!m) return null;
  const months = Number(m[1]);
  return months >= 1 && months <= 12 ? months : null;
}

export function periodKey(months: number): string {
  return `${months}m`;
}

/**
 * Reads a figure typed either way: "7.456,43" (Vietnamese: dot groups thousands, comma is the
 * decimal mark), "7456.43" or "7,456.43" (English), "4.875" (Vietnamese thousands → 4875),
 * "7456,43" (Vietnamese decimal). With both marks, the last one is the decimal mark; with one kind
 * repeated, it groups thousands; a single dot or comma followed by exactly three digits groups
 * thousands when it is a dot (Vietnamese "4.875") and is a decimal mark when it is a comma
 * ("1,5" or "1,234" read the Vietnamese way). Spaces are ignored; "-5" reads as -5 so callers can
 * name the error (negative) precisely. Anything else → null.
 */
export function parseVietnameseNumber(input: string | number | null | undefined): number | null {
  if (typeof input === "number") return Number.isFinite(input) ? input : null;
  if (input === null || input === undefined) return null;
  let s = input.replace(/[\s\u00a0\u202f]/g, "");
  if (s === "") return null;
  let sign = 1;
  if (/^[-−]/.test(s)) {
    sign = -1;
    s = s.slice(1);
  } else if (s.startsWith("+")) s = s.slice(1);
  if (!/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) return null;

  const dots = (s.match(/\./g) ?? []).length;
  const commas = (s.match(/,/g) ?? []).length;
  let intPart: string;
  let fracPart = "";
  let group: "." | "," | null = null;

  if (dots && commas) {
    const decimal = s.lastIndexOf(".") > s.lastIndexOf(",") ? "." : ",";
    group = decimal === "." ? "," : ".";
    const at = s.lastIndexOf(decimal);
    if (s.indexOf(decimal) !== at) return null; // two decimal marks
    intPart = s.slice(0, at);
    fracPart = s.slice(at + 1);
  } else if (dots || commas) {
    const mark = dots ? "." : ",";
    const count = dots || commas;
    const parts = s.split(mark);
    if (count > 1) {
      group = mark;
      intPart = s;
    } else if (mark === "." && parts[1].length === 3 && parts[0].length > 0 && parts[0] !== "0") {
      group = ".";
      intPart = s;
    } else {
      intPart = parts[0];
      fracPart = parts[1];
    }
  } else {
    intPart = s;
  }

  if (group) {
    const groups = intPart.split(group);
    if (!/^\d{1,3}$/.test(groups[0]) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return null;
    intPart = groups.join("");
  }
  if (intPart === "" && fracPart === "") return null;
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(fracPart)) return null;
  if ((dots || commas) && !group && fracPart === "") return null; // "12." is not a number anyone meant
  const value = Number(`${intPart || "0"}.${fracPart || "0"}`);
  return Number.isFinite(value) ? sign * value : null;
}

/** Rounds half away from zero at `digits` decimals, without the binary drift of toFixed. */
export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.sign(value) * (Math.round(Math.abs(value) * f * (1 + Number.EPSILON)) / f);
}

/** Actual as a percentage of plan, 2 decimals; no plan or a plan of 0 → null (shown "—"). */
export function percentOfPlan(plan: number | null, actual: number | null): number | null {
  if (plan === null || actual === null || plan === 0) return null;
  return roundTo((actual / plan) * 100, 2);
}

/** Sum, or the mean of the values present; nothing present → null. */
export function aggregate(values: (number | null)[], how: Aggregation): number | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  const sum = present.reduce((a, b) => a + b, 0);
  return roundTo(how === "avg" ? sum / present.length : sum, 2);
}

export interface FigureValue {
  indicatorCode: string;
  provinceCode: string;
  plan: number | null;
  actual: number | null;
}

export interface IndicatorInfo {
  code: string;
  name: string;
  unit: string;
  aggregation: Aggregation;
}

export interface PlaceInfo {
  code: string;
  name: string;
}

export interface PlaceLine {
  code: string;
  name: string;
  plan: number | null;
  actual: number | null;
  percentOfPlan: number | null;
  /** Among the provinces furthest behind plan (highlighted in the report). */
  behind: boolean;
}

export interface IndicatorLine extends IndicatorInfo {
  plan: number | null;
  actual: number | null;
  percentOfPlan: number | null;
  byPlace: PlaceLine[];
}

/**
 * The places (provinces with a plan above 0) furthest behind plan: the lowest percentages under
 * 100 %, at most `count`, lowest first.
 */
export function furthestBehind(lines: Pick<PlaceLine, "code" | "percentOfPlan">[], count = 3): string[] {
  return lines
    .filter((l): l is { code: string; percentOfPlan: number } => l.percentOfPlan !== null && l.percentOfPlan < 100)
    .sort((a, b) => a.percentOfPlan - b.percentOfPlan || a.code.localeCompare(b.code))
    .slice(0, count)
    .map((l) => l.code);
}

/**
 * Rolls figures up per indicator over the given places (provinces of a region, or regions of the
 * nation when `placeOf` maps a province to its region). Indicators without any figure are left out.
 */
export function rollUp(input: {
  indicators: IndicatorInfo[];
  places: PlaceInfo[];
  figures: FigureValue[];
  placeOf?: (provinceCode: string) => string | undefined;
  behindCount?: number;
}): IndicatorLine[] {
  const placeOf = input.placeOf ?? ((code: string) => code);
  const out: IndicatorLine[] = [];
  for (const ind of input.indicators) {
    const mine = input.figures.filter((f) => f.indicatorCode === ind.code);
    if (mine.length === 0) continue;
    const byPlace = input.places.map((place) => {
      const here = mine.filter((f) => placeOf(f.provinceCode) === place.code);
      const plan = aggregate(
        here.map((f) => f.plan),
        ind.aggregation,
      );
      const actual = aggregate(
        here.map((f) => f.actual),
        ind.aggregation,
      );
      return { code: place.code, name: place.name, plan, actual, percentOfPlan: percentOfPlan(plan, actual), behind: false };
    });
    const behind = new Set(furthestBehind(byPlace, input.behindCount ?? 3));
    for (const line of byPlace) line.behind = behind.has(line.code);
    const plan = aggregate(
      mine.map((f) => f.plan),
      ind.aggregation,
    );
    const actual = aggregate(
      mine.map((f) => f.actual),
      ind.aggregation,
    );
    out.push({ ...ind, plan, actual, percentOfPlan: percentOfPlan(plan, actual), byPlace });
  }
  return out;
}

/**
 * Splits a total over weights so the parts add up exactly (largest remainder), at `decimals`
 * places — used by the demo to spread the published regional totals over the provinces.
 */
export function spreadTotal(total: number, weights: number[], decimals = 0): number[] {
  const f = 10 ** decimals;
  const units = Math.round(total * f);
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (units * w) / sum);
  const parts = raw.map(Math.floor);
  let left = units - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts.map((p) => p / f);
}

/** "82,49%" / "61,3%": the way the conference report prints percentages (no trailing zeros). */
export function formatPercentShort(value: number | null, lang: "vi" | "en" = "vi"): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return `${new Intl.NumberFormat(lang === "en" ? "en-GB" : "vi-VN", { maximumFractionDigits: 2 }).format(value)}%`;
}

/** "4.875", "7.456,43", null → "—". */
export function formatFigure(value: number | null, lang: "vi" | "en" = "vi"): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return new Intl.NumberFormat(lang === "en" ? "en-GB" : "vi-VN", { maximumFractionDigits: 2 }).format(value);
}

/** Past this percentage of plan an approver is warned: most such figures are typing slips (a unit, a separator). */
export const PLAN_WARNING_PERCENT = 200;

/**
 * The approver's warning for a figure far beyond plan, or null. "576%" usually means a figure in
 * the wrong unit or a "." read as a thousands separator, so the approver checks before approving.
 */
export function planWarning(plan: number | null, actual: number | null): string | null {
  const pct = percentOfPlan(plan, actual);
  if (pct === null || pct <= PLAN_WARNING_PERCENT) return null;
  return `Thực hiện bằng ${formatPercentShort(pct)} kế hoạch, vượt ${PLAN_WARNING_PERCENT}%: kiểm tra lại đơn vị và dấu phân cách trước khi duyệt.`;
}

/** The public note while figures wait for approval: they are not yet in the totals shown. */
export function pendingNote(pending: { figures: number; provinces: string[] }): string | null {
  if (pending.figures === 0) return null;
  const places = pending.provinces.length <= 5 ? pending.provinces.join(", ") : `${pending.provinces.slice(0, 5).join(", ")} và ${pending.provinces.length - 5} tỉnh khác`;
  return `${pending.figures} số liệu của ${places} đang chờ Ban tổ chức khu vực duyệt nên chưa được tính vào các tổng dưới đây (kể cả số đã duyệt đang được đính chính); các tổng sẽ thay đổi khi số liệu được duyệt.`;
}

/**
 * The day that dates a figure: the last day of its period (a cumulative period from January). A
 * figure names its province in the list in force on that day: the 63 provinces of 2016 for periods
 * ending before 1 July 2025, the 34 units for periods ending from then on (9 months of 2025 already
 * reports by the new units).
 */
export function periodEndDay(year: number, periodMonths: number): string {
  const last = new Date(Date.UTC(year, periodMonths, 0)).getUTCDate();
  return `${year}-${String(periodMonths).padStart(2, "0")}-${String(last).padStart(2, "0")}`;
}

/**
 * How a report names provinces: "era" (the list of the period's own era) or "successor" (a report
 * across the merger: the 63 old provinces' figures added up under the 34 units they became).
 */
export type Grouping = "era" | "successor";

/** `?group=` as typed: empty or "era" = era, "successor" = successor; anything else is refused (null). */
export function parseGrouping(raw: string | null): Grouping | null {
  if (raw === null || raw === "" || raw === "era") return "era";
  if (raw === "successor") return "successor";
  return null;
}
