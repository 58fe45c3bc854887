/**
 * The people's-choice vote settings as an organiser types them (issue 19): the window in Vietnam
 * time (<input type="datetime-local">) and the limits per voter.
 */
import { z } from "zod";

const vnDateTime = (label: string) =>
  z
    .string({ error: `Nhập ${label}.` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `${label[0].toUpperCase()}${label.slice(1)} không hợp lệ (ngày và giờ).`)
    .transform((s) => new Date(`${s}:00+07:00`));

const limit = (label: string, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, `${label} phải là số nguyên từ 1 đến ${max}.`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `${label} phải là số nguyên từ 1 đến ${max}.`);

export const pollSettingsSchema = z
  .object({
    opensAt: vnDateTime("thời điểm mở bình chọn"),
    closesAt: vnDateTime("thời điểm đóng bình chọn"),
    maxTotal: limit("Số phiếu tối đa mỗi người", 100),
    maxPerEntry: limit("Số phiếu tối đa cho một sản phẩm", 10),
    maxPerDay: z
      .string()
      .trim()
      .optional()
      .transform((s, ctx) => {
        if (!s) return null;
        if (!/^\d{1,3}$/.test(s) || Number(s) < 1 || Number(s) > 100) {
          ctx.addIssue({ code: "custom", message: "Số phiếu tối đa mỗi ngày phải là số nguyên từ 1 đến 100, hoặc để trống." });
          return z.NEVER;
        }
        return Number(s);
      }),
    showLive: z
      .string()
      .optional()
      .transform((s) => s === "1" || s === "on"),
  })
  .refine((s) => s.opensAt < s.closesAt, { message: "Thời điểm đóng phải sau thời điểm mở.", path: ["closesAt"] });
