/**
 * Pure rules of a score sheet: how typed points are read and checked. No database here.
 */

/**
 * Steps a round may score in (issue 15 §7: the 0.5 of today is not in Phụ lục 4, so it is a per-round
 * setting). Totals are kept as exact half-points (ranking's sum2), so only multiples of 0.5 are offered.
 */
export const SCORE_STEPS = [0.5, 1] as const;
export type ScoreStep = (typeof SCORE_STEPS)[number];
export const DEFAULT_SCORE_STEP: ScoreStep = 0.5;

const decimal = (n: number) => String(n).replace(".", ",");

export type PointsResult = { ok: true; value: number | null } | { ok: false; message: string };

/**
 * Reads points as a juror types them ("7", "7,5", "7.5"; blank = not scored yet) and checks them
 * against the criterion: a number, at most one decimal, 0..max, in the round's step (0.5 or 1).
 */
export function parsePoints(raw: unknown, max: number, step: number = DEFAULT_SCORE_STEP): PointsResult {
  const text = typeof raw === "string" ? raw.trim() : raw == null ? "" : String(raw);
  if (text === "") return { ok: true, value: null };
  if (!/^-?\d+([.,]\d+)?$/.test(text)) return { ok: false, message: `"${text}" không phải là số.` };
  const normal = text.replace(",", ".");
  const value = Number(normal);
  if (value < 0) return { ok: false, message: "Điểm không được âm." };
  if (/\.\d{2,}$/.test(normal)) return { ok: false, message: `Điểm chỉ có tối đa một chữ số thập phân (bước ${decimal(step)}).` };
  if (Math.round(value / step) * step !== value) {
    return {
      ok: false,
      message: step === 1 ? "Đợt này chấm theo bước 1 điểm (số nguyên, ví dụ 7 hoặc 8)." : `Điểm chấm theo bước ${decimal(step)} (ví dụ 7 hoặc 7,5).`,
    };
  }
  if (value > max) return { ok: false, message: `Điểm vượt quá tối đa ${String(max).replace(".", ",")}.` };
  return { ok: true, value };
}

/** Sum of points in half-point steps, exact (no floating drift). */
export function sumPoints(values: (number | null)[]): number {
  return values.reduce<number>((s, v) => s + Math.round((v ?? 0) * 2), 0) / 2;
}

export interface LiveTotal {
  /** Sum of the valid points typed so far. */
  total: number;
  /** Keys of the boxes whose value is not valid points (out of range, not a number, wrong step), with why. */
  invalid: { key: string; message: string }[];
}

/**
 * The running total the sheet shows while a juror types: only valid points are added, so 99 in a
 * box whose maximum is 10 is reported instead of counted (the server refuses it anyway). Shared by
 * the browser, which calls it on every keystroke.
 */
export function liveTotal(boxes: readonly { key: string; raw: unknown; max: number }[], step: number = DEFAULT_SCORE_STEP): LiveTotal {
  const values: number[] = [];
  const invalid: LiveTotal["invalid"] = [];
  for (const b of boxes) {
    const r = parsePoints(b.raw, b.max, step);
    if (r.ok) values.push(r.value ?? 0);
    else invalid.push({ key: b.key, message: r.message });
  }
  return { total: sumPoints(values), invalid };
}
