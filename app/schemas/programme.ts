import { z } from "zod";

import { parseVietnameseNumber } from "~/models/programme/rules";

/** Figures are stored as numeric(14, 2). */
export const MAX_FIGURE = 999_999_999_999.99;

export type FigureCheck = { ok: true; value: number | null } | { ok: false; message: string };

/**
 * One typed or imported figure: empty → no value; otherwise a number ≥ 0 with at most two decimals,
 * in either decimal convention.
 */
export function checkFigure(input: unknown, label: string): FigureCheck {
  if (input === null || input === undefined || (typeof input === "string" && input.trim() === "")) return { ok: true, value: null };
  if (typeof input !== "string" && typeof input !== "number") return { ok: false, message: `${label} không phải là số.` };
  const value = parseVietnameseNumber(input);
  const shown = typeof input === "string" ? input.trim().slice(0, 30) : String(input);
  if (value === null) return { ok: false, message: `${label} “${shown}” không phải là số (ví dụ hợp lệ: 4.875 hoặc 7.456,43).` };
  if (value < 0) return { ok: false, message: `${label} không được âm (đang là ${shown}).` };
  if (value > MAX_FIGURE) return { ok: false, message: `${label} quá lớn.` };
  if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) {
    return { ok: false, message: `${label} chỉ được có tối đa 2 chữ số thập phân.` };
  }
  return { ok: true, value: Math.round(value * 100) / 100 };
}

export const YearSchema = z.coerce
  .number({ error: "Năm không hợp lệ." })
  .int("Năm không hợp lệ.")
  .min(2000, "Năm phải từ 2000 trở đi.")
  .max(2100, "Năm không hợp lệ.");

export const PeriodMonthsSchema = z.coerce
  .number({ error: "Kỳ báo cáo không hợp lệ." })
  .int("Kỳ báo cáo không hợp lệ.")
  .min(1, "Kỳ báo cáo từ 1 đến 12 tháng.")
  .max(12, "Kỳ báo cáo từ 1 đến 12 tháng.");

export const ProvinceCodeSchema = z
  .string({ error: "Chọn tỉnh/thành phố." })
  .trim()
  .regex(/^[a-z0-9-]{2,40}$/, "Mã tỉnh/thành phố không hợp lệ.");

export const PeriodSchema = z.object({ year: YearSchema, periodMonths: PeriodMonthsSchema });

export const ApproveSchema = PeriodSchema.extend({ provinceCode: ProvinceCodeSchema });

export const IndicatorSchema = z.object({
  code: z
    .string({ error: "Nhập mã chỉ tiêu." })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9_]{1,39}$/, "Mã chỉ tiêu gồm chữ in hoa không dấu, số và dấu gạch dưới (ví dụ DAO_TAO_NGHE)."),
  name: z.string({ error: "Nhập tên chỉ tiêu." }).trim().min(3, "Tên chỉ tiêu quá ngắn.").max(200, "Tên chỉ tiêu tối đa 200 ký tự."),
  unit: z.string({ error: "Nhập đơn vị tính." }).trim().min(1, "Nhập đơn vị tính.").max(40, "Đơn vị tính tối đa 40 ký tự."),
  aggregation: z.enum(["sum", "avg"], { error: "Chọn cách tổng hợp: cộng hoặc trung bình." }),
  position: z.coerce.number({ error: "Thứ tự phải là số." }).int("Thứ tự phải là số nguyên.").min(1, "Thứ tự từ 1.").max(999, "Thứ tự tối đa 999."),
  active: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
});
export type IndicatorInput = z.infer<typeof IndicatorSchema>;

/** A figure to save; `undefined` keeps the stored value (an import of actuals keeps the plan). */
export interface FigureRowInput {
  indicatorCode: string;
  provinceCode: string;
  plan: number | null | undefined;
  actual: number | null | undefined;
}

/**
 * The entry form: `plan.<CODE>` and `actual.<CODE>` for each indicator of one province. Returns the
 * rows to save (empty pairs are left out) or the errors per field.
 */
export function parseFigureForm(
  form: Record<string, unknown>,
  indicators: { code: string; name: string }[],
  provinceCode: string,
): { ok: true; rows: FigureRowInput[] } | { ok: false; fields: Record<string, string> } {
  const rows: FigureRowInput[] = [];
  const fields: Record<string, string> = {};
  for (const ind of indicators) {
    const plan = checkFigure(form[`plan.${ind.code}`], `Kế hoạch “${ind.name}”`);
    const actual = checkFigure(form[`actual.${ind.code}`], `Thực hiện “${ind.name}”`);
    if (!plan.ok) fields[`plan.${ind.code}`] = plan.message;
    if (!actual.ok) fields[`actual.${ind.code}`] = actual.message;
    if (plan.ok && actual.ok && (plan.value !== null || actual.value !== null)) {
      rows.push({ indicatorCode: ind.code, provinceCode, plan: plan.value, actual: actual.value });
    }
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, rows };
}
