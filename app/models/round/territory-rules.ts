/**
 * Territory (issue 15 §5): a facility may enter, or be nominated to, only a round whose scope
 * contains its province as named at the round's time — the 63 provinces of 2016 before 1 July 2025,
 * the 34 merged units from then on (mapping in the reference data). Pure: the forms import it.
 */
import { PROVINCE_MERGER_DATE } from "../shared/province-rules";

export type Era = "2016" | "2025";

export interface ProvinceReference {
  /** The 63 provinces of 2016: region and the unit each became. */
  old: Map<string, { name: string; regionCode: string; currentCode: string }>;
  /** The 34 units since 1 July 2025 and their region (reference data an admin can edit). */
  current: Map<string, { name: string; regionCode: string }>;
  regionNames?: Map<string, string>;
}

/** yyyy-mm-dd of an instant in Vietnam time. */
export function vietnamDay(at: Date | string): string {
  if (typeof at === "string") return at.slice(0, 10);
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** Which list of provinces names places on `day`. */
export function eraOf(day: string): Era {
  return day >= PROVINCE_MERGER_DATE ? "2025" : "2016";
}

/** The day that dates a round's territory: the day it opens for registration. */
export function roundDay(round: { registrationOpensAt: Date | string }): string {
  return vietnamDay(round.registrationOpensAt);
}

/**
 * A province code of the wrong list for a date (a 2025 unit on a 2016 date, or a 2016 province that
 * no longer exists after the merger): the Vietnamese refusal, else null.
 */
export function provinceEraProblem(code: string, day: string, ref: ProvinceReference): string | null {
  const era = eraOf(day);
  if (era === "2016" && !ref.old.has(code)) {
    const unit = ref.current.get(code);
    return unit
      ? `“${unit.name}” là đơn vị hành chính từ ngày 01/07/2025; ngày ${formatDay(day)} phải dùng tỉnh, thành phố trước sáp nhập (63 tỉnh, thành phố).`
      : `Mã tỉnh “${code}” không có trong danh mục.`;
  }
  if (era === "2025" && !ref.current.has(code)) {
    const old = ref.old.get(code);
    return old
      ? `Tỉnh “${old.name}” đã sáp nhập vào ${ref.current.get(old.currentCode)?.name ?? old.currentCode} từ ngày 01/07/2025; ngày ${formatDay(day)} phải dùng đơn vị hành chính mới (34 tỉnh, thành phố).`
      : `Mã tỉnh “${code}” không có trong danh mục.`;
  }
  return null;
}

/** The facility's province code in the list of `day` (the 2016 one when known, else inferred). */
export function facilityProvinceOn(
  day: string,
  facility: { provinceCode: string; legacyProvinceCode: string | null },
  ref: ProvinceReference,
): string | null {
  if (eraOf(day) === "2025") return facility.provinceCode;
  if (facility.legacyProvinceCode) return facility.legacyProvinceCode;
  // Unknown 2016 province: the only one that became the current unit, if only one did.
  const candidates = [...ref.old.entries()].filter(([, p]) => p.currentCode === facility.provinceCode).map(([c]) => c);
  return candidates.length === 1 ? candidates[0] : null;
}

export interface TerritoryRound {
  title: string;
  level: string;
  regionCode: string | null;
  provinceCode: string | null;
  registrationOpensAt: Date | string;
}

/**
 * Why the facility is outside the round's territory (Vietnamese), or null when it may take part.
 * National rounds take every province.
 */
export function territoryProblem(
  round: TerritoryRound,
  facility: { provinceCode: string; legacyProvinceCode: string | null },
  ref: ProvinceReference,
): string | null {
  if (round.level === "national") return null;
  const day = roundDay(round);
  const era = eraOf(day);
  const code = facilityProvinceOn(day, facility, ref);
  const nameOf = (c: string | null) => (c ? ((era === "2016" ? ref.old.get(c)?.name : ref.current.get(c)?.name) ?? c) : "—");
  if (!code) {
    return `Chưa biết cơ sở thuộc tỉnh nào trước ngày 01/07/2025: hãy khai tỉnh cũ của cơ sở trước khi tham gia đợt “${round.title}”.`;
  }
  if (round.level === "region") {
    const region = era === "2016" ? ref.old.get(code)?.regionCode : ref.current.get(code)?.regionCode;
    if (region === round.regionCode) return null;
    const regionName = ref.regionNames?.get(round.regionCode ?? "") ?? round.regionCode ?? "";
    return `Cơ sở thuộc ${nameOf(code)}, không thuộc ${regionName || "khu vực của đợt"}: không tham gia được đợt “${round.title}”.`;
  }
  const roundProvince = round.provinceCode ?? "";
  const eraProblem = provinceEraProblem(roundProvince, day, ref);
  if (eraProblem) return `Phạm vi của đợt “${round.title}” không hợp lệ: ${eraProblem}`;
  if (roundProvince === code) return null;
  return `Cơ sở thuộc ${nameOf(code)}, không thuộc ${nameOf(roundProvince)}: không tham gia được đợt “${round.title}”.`;
}

function formatDay(day: string) {
  const [y, m, d] = day.split("-");
  return `${d}/${m}/${y}`;
}
