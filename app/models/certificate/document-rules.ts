/**
 * Pure rules of the papers as the state writes them (issue 14 item 5): the place of the date line,
 * the capacity lines above a signature, "Ông/Bà" before an individual's name. Browser-safe (the
 * decision form suggests the capacity from the title); the date line itself is formatDateLine in
 * app/utils/format.ts.
 */

export const HONORIFICS = ["Ông", "Bà"] as const;
export type Honorific = (typeof HONORIFICS)[number];

/** "Ông"/"ông"/"ong"/"Bà"/"ba" (as typed in a spreadsheet) → the printed form, or null. */
export function parseHonorific(value: string | null | undefined): Honorific | null {
  const v = (value ?? "").normalize("NFC").trim().toLocaleLowerCase("vi");
  if (v === "ông" || v === "ong") return "Ông";
  if (v === "bà" || v === "ba") return "Bà";
  return null;
}

/** "Bà Nguyễn Thị Thủy" for an individual with an honorific; a collective's name as it is. */
export function nameWithHonorific(r: { kind: string; name: string; honorific?: string | null }): string {
  return r.kind === "individual" && r.honorific ? `${r.honorific} ${r.name}` : r.name;
}

/**
 * The place in the date line: the issuer's locality. The Cục and the Bộ sit in Hà Nội; a round of
 * a province (or of one of its communes/districts) is decided by its People's Committee, so its
 * province: "Thái Nguyên", "Hải Phòng" (never "TP. Hải Phòng" or "tỉnh Thái Nguyên").
 */
export function issuerPlace(round: { level: string; provinceName?: string | null }): string {
  if ((round.level === "province" || round.level === "district" || round.level === "commune") && round.provinceName) {
    return round.provinceName.replace(/^(TP\.|Thành phố|thành phố|Tỉnh|tỉnh)\s*/u, "").trim();
  }
  return "Hà Nội";
}

const CAPACITY_BY_TITLE: [RegExp, string[]][] = [
  [/^phó chủ tịch/iu, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]],
  [/^chủ tịch/iu, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]],
  [/^phó cục trưởng/iu, ["KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"]],
  [/^cục trưởng/iu, ["CỤC TRƯỞNG"]],
  [/^thứ trưởng/iu, ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]],
  [/^(q\.|quyền)\s*bộ trưởng/iu, ["Q. BỘ TRƯỞNG"]],
  [/^bộ trưởng/iu, ["BỘ TRƯỞNG"]],
  [/^phó giám đốc/iu, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]],
  [/^giám đốc/iu, ["GIÁM ĐỐC"]],
];

/** The usual capacity lines for a signer's title ("Phó Chủ tịch UBND tỉnh …" → TM. / KT. / PHÓ CHỦ TỊCH). */
export function capacityFromTitle(title: string | null | undefined): string[] {
  const t = (title ?? "").normalize("NFC").trim();
  if (!t) return [];
  for (const [re, lines] of CAPACITY_BY_TITLE) if (re.test(t)) return lines;
  return [t.toLocaleUpperCase("vi")];
}

/** Capacity lines as typed: one per line (or separated by " / "), upper case, blank lines dropped. */
export function parseCapacity(text: string | null | undefined): string[] {
  return (text ?? "")
    .normalize("NFC")
    .split(/\r?\n|\s+\/\s+/)
    .map((l) => l.replace(/\s+/g, " ").trim().toLocaleUpperCase("vi"))
    .filter(Boolean);
}

export const CAPACITY_MAX_LINES = 4;
export const CAPACITY_LINE_MAX = 40;
export const SIGNER_NAME_MAX = 80;

/** What is wrong with the capacity lines, in Vietnamese, or null. */
export function capacityProblem(lines: string[]): string | null {
  if (lines.length > CAPACITY_MAX_LINES) return `Thẩm quyền ký tối đa ${CAPACITY_MAX_LINES} dòng (ví dụ TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH).`;
  const long = lines.find((l) => l.length > CAPACITY_LINE_MAX);
  if (long) return `Mỗi dòng thẩm quyền ký tối đa ${CAPACITY_LINE_MAX} ký tự (dòng “${long.slice(0, 50)}” dài ${long.length} ký tự).`;
  if (lines.some((l) => !/^[\p{L}\p{M}0-9 .,()–-]+$/u.test(l))) return "Thẩm quyền ký chỉ gồm chữ, số và dấu chấm, phẩy, gạch nối.";
  return null;
}

/** What is wrong with a signer's name, in Vietnamese, or null (a person's name, not a job title). */
export function signerNameProblem(name: string): string | null {
  if (name.length < 3) return "Nhập họ tên người ký (ít nhất 3 ký tự).";
  if (name.length > SIGNER_NAME_MAX) return `Họ tên người ký tối đa ${SIGNER_NAME_MAX} ký tự.`;
  if (!/^[\p{L}\p{M} .'-]+$/u.test(name)) return "Họ tên người ký chỉ gồm chữ cái và dấu cách.";
  if (CAPACITY_BY_TITLE.some(([re]) => re.test(name)))
    return "Nhập họ tên người ký (ví dụ Nguyễn Văn A), không phải chức danh: chức danh ghi ở ô Chức danh người ký.";
  return null;
}
