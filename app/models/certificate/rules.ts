/**
 * Pure certificate rules: validity, verification codes, serial numbers, status. No database here.
 */
import crypto from "node:crypto";

import validity from "../../../db/reference/certificate-validity.json";

/** Crockford-style alphabet without the look-alikes 0/O, 1/I/L and U: 31 symbols. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_LENGTH = 14; // log2(30^14) ≈ 68.7 bits

/** An unguessable verification code (≥ 60 bits), from the system's CSPRNG without modulo bias. */
export function newVerificationCode(): string {
  let out = "";
  while (out.length < CODE_LENGTH) {
    for (const byte of crypto.randomBytes(CODE_LENGTH * 2)) {
      // 240 = 8 × 30: bytes above it would bias the first symbols.
      if (byte < 240 && out.length < CODE_LENGTH) out += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    }
  }
  return out;
}

/** Codes as people type them: case-insensitive, spaces and dashes ignored. */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

/** "ABCD-EFGH-JKMN-PQ" for printing. */
export function formatCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

export interface ValidityRegime {
  code: string;
  name: string;
  /** First day (yyyy-mm-dd) a recognition decision falls under this regime. */
  from: string;
  /** False where no source confirms the regime's wording: the value is today's default. */
  confirmed: boolean;
  yearsCountingIssue: Record<string, number>;
  source: string;
}

/** The regimes of db/reference/certificate-validity.json, oldest first. */
export const VALIDITY_REGIMES: readonly ValidityRegime[] = [...validity.regimes].sort((a, b) => a.from.localeCompare(b.from));

/** The regime in force on a decision date (the oldest for a date before every regime). */
export function validityRegimeOn(decisionDate: string, regimes: readonly ValidityRegime[] = VALIDITY_REGIMES): ValidityRegime {
  let found = regimes[0];
  for (const r of regimes) if (r.from <= decisionDate) found = r;
  return found;
}

export function validityRegime(code: string | null | undefined): ValidityRegime | null {
  return VALIDITY_REGIMES.find((r) => r.code === code) ?? null;
}

/**
 * A product certificate is valid from issue to 31 December of the N-th year, the year of issue
 * counting as the first, N by the regime of the decision's date and the round's level (reference
 * data; 4 today everywhere — TT 26/2014 Đ17 k3 as amended by TT 14/2018). Returns the date and the
 * regime it came from, which the certificate records, so a 2016 certificate names the 2014 rule it
 * was dated by instead of silently following the 2018 one.
 */
export function productValidity(
  decisionDate: string,
  level: string,
  regimes: readonly ValidityRegime[] = VALIDITY_REGIMES,
): { validUntil: string; rule: string } {
  const regime = validityRegimeOn(decisionDate, regimes);
  const years = regime.yearsCountingIssue[level];
  if (!years) throw new Error(`No validity for level ${level} under ${regime.code}`);
  return { validUntil: `${Number(decisionDate.slice(0, 4)) + years - 1}-12-31`, rule: regime.code };
}

/** "theo Thông tư … (chưa xác nhận)" as the certificate pages print the rule of a date. */
export function validityRuleText(code: string | null | undefined): string | null {
  const r = validityRegime(code);
  if (!r) return null;
  return `Thời hạn theo ${r.name}${r.confirmed ? "" : " — quy định chưa được xác nhận, áp dụng giá trị mặc định"}`;
}

export type CertificateStatus = "valid" | "expired" | "revoked";

/** `today` is a Vietnam date (yyyy-mm-dd); a certificate is valid through its last day. */
export function certificateStatus(
  cert: { revokedAt: Date | string | null; validUntil: string | null },
  today: string = vietnamToday(),
): CertificateStatus {
  if (cert.revokedAt) return "revoked";
  if (cert.validUntil && cert.validUntil < today) return "expired";
  return "valid";
}

export function vietnamToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

const LEVEL_PREFIX: Record<string, string> = { commune: "X", district: "H", province: "T", region: "KV", national: "QG" };
const REGION_PREFIX: Record<string, string> = { BAC: "BAC", TRUNG_TN: "TTN", NAM: "NAM" };

/** The serial prefix of a product certificate: "KV-BAC-2016", "QG-2017", "T-NINH-BINH-2016". */
export function productSerialPrefix(round: { level: string; regionCode: string | null; provinceCode: string | null; year: number }): string {
  const parts = [LEVEL_PREFIX[round.level] ?? "SP"];
  if (round.level === "region" && round.regionCode) parts.push(REGION_PREFIX[round.regionCode] ?? round.regionCode);
  if (["commune", "district", "province"].includes(round.level) && round.provinceCode) parts.push(round.provinceCode.toUpperCase());
  parts.push(String(round.year));
  return parts.join("-");
}

/**
 * The serial prefix of a favourite certificate (the people's-choice award, "yêu thích"): the round's
 * product prefix after "YT", so it never reads as a recognition: "YT-T-THAI-NGUYEN-2026".
 */
export function favouriteSerialPrefix(round: Parameters<typeof productSerialPrefix>[0]): string {
  return `YT-${productSerialPrefix(round)}`;
}

/** The serial prefix of a certificate of merit: "BK-2016". */
export function meritSerialPrefix(year: number): string {
  return `BK-${year}`;
}

/** Product serials carry three digits ("KV-BAC-2016-073"), merit serials four ("BK-2016-0001"). */
export function formatSerial(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(prefix.startsWith("BK-") ? 4 : 3, "0")}`;
}
