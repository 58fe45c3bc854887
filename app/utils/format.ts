/**
 * Vietnamese formats: dd/mm/yyyy, Vietnam time, numbers with "." thousands and "," decimals. The
 * English mirror of the public site (issue 19) passes `lang = "en"`: "7 Oct 2016", "17:00, 30 Jun
 * 2026", "1,234.5" — still in Vietnam time. Official documents never do.
 */
export const VN_TZ = "Asia/Ho_Chi_Minh";
type Lang = "vi" | "en";

const dateFmt = new Intl.DateTimeFormat("vi-VN", { timeZone: VN_TZ, day: "2-digit", month: "2-digit", year: "numeric" });
const timeFmt = new Intl.DateTimeFormat("vi-VN", { timeZone: VN_TZ, hour: "2-digit", minute: "2-digit", hour12: false });
const enDateFmt = new Intl.DateTimeFormat("en-GB", { timeZone: VN_TZ, day: "numeric", month: "short", year: "numeric" });
const enTimeFmt = new Intl.DateTimeFormat("en-GB", { timeZone: VN_TZ, hour: "2-digit", minute: "2-digit", hour12: false });

function toDate(value: Date | string | number): Date {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00+07:00`);
  return value instanceof Date ? value : new Date(value);
}

/** "07/10/2016"; in English "7 Oct 2016" */
export function formatDate(value: Date | string | number | null | undefined, lang: Lang = "vi"): string {
  if (value === null || value === undefined || value === "") return "—";
  return (lang === "en" ? enDateFmt : dateFmt).format(toDate(value));
}

/**
 * The date line of a state document (TT 01/2011/TT-BNV Đ9; NĐ 30/2020 Phụ lục I): "ngày d tháng m
 * năm yyyy", days below 10 and the months 1 and 2 with a leading zero, the months 3–12 without:
 * "ngày 05 tháng 01 năm 2016", "ngày 30 tháng 9 năm 2016", "ngày 23 tháng 12 năm 2020".
 * A "yyyy-mm-dd" string is that calendar day; a Date or timestamp is its day in Vietnam.
 */
export function formatDateLine(value: Date | string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "ngày … tháng … năm …";
  const iso = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  // Intl gives "dd/mm/yyyy" for the day in Vietnam.
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]].map(Number) : dateFmt.format(toDate(value)).split("/").reverse().map(Number);
  const day = d < 10 ? `0${d}` : String(d);
  const month = m <= 2 ? `0${m}` : String(m);
  return `ngày ${day} tháng ${month} năm ${y}`;
}

/** "Hà Nội, ngày 30 tháng 9 năm 2016": the place and date line above a signature. */
export function formatPlaceDate(place: string, value: Date | string | number | null | undefined): string {
  return `${place}, ${formatDateLine(value)}`;
}

/** "17:00 ngày 30/06/2026" (Vietnam time); in English "17:00, 30 Jun 2026" */
export function formatDateTime(value: Date | string | number | null | undefined, lang: Lang = "vi"): string {
  if (value === null || value === undefined || value === "") return "—";
  const d = toDate(value);
  if (lang === "en") return `${enTimeFmt.format(d)}, ${enDateFmt.format(d)}`;
  return `${timeFmt.format(d)} ngày ${dateFmt.format(d)}`;
}

/** "06/09/2016 15:00" (Vietnam time): one cell of a spreadsheet a person reads, never raw UTC. */
export function formatDateTimeCell(value: Date | string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const d = toDate(value);
  return `${dateFmt.format(d)} ${timeFmt.format(d)}`;
}

// Creating an Intl.NumberFormat costs far more than formatting: one per precision, made once.
const numberFmts = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number | null | undefined, fractionDigits = 0, lang: Lang = "vi"): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const key = `${lang}${fractionDigits}`;
  let fmt = numberFmts.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(lang === "en" ? "en-GB" : "vi-VN", { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
    numberFmts.set(key, fmt);
  }
  return fmt.format(value);
}

/** "82,49%" */
export function formatPercent(value: number | null | undefined, fractionDigits = 2, lang: Lang = "vi"): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${formatNumber(value, fractionDigits, lang)}%`;
}

export function formatVnd(value: number): string {
  return new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND", maximumFractionDigits: 0 }).format(value);
}

/** "23,4 MB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
}

type Year = number | string | null | undefined;
const yearText = (y: Year) => (y === null || y === undefined || y === "" ? null : String(y));

/** "2013–2015", or "2016" when the period is one year (never "2016–2016"). */
export function formatYears(from: Year, to: Year): string {
  const a = yearText(from);
  const b = yearText(to);
  return a && b && a !== b ? `${a}–${b}` : (a ?? b ?? "");
}

/** "giai đoạn 2013–2015", or "năm 2016" when the period is one year (never "giai đoạn 2016 – 2016"). */
export function formatPeriod(from: Year, to: Year): string {
  const years = formatYears(from, to);
  if (!years) return "";
  return years.includes("–") ? `giai đoạn ${years}` : `năm ${years}`;
}
