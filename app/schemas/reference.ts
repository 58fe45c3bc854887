/** The admin's edit of a post-2025 unit's reference data: its region and whether it is a city. */
import { z } from "zod";

export const ProvinceUnitSchema = z.object({
  code: z
    .string({ error: "Thiếu mã tỉnh, thành phố." })
    .trim()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Mã tỉnh, thành phố không hợp lệ.")
    .max(40, "Mã tỉnh, thành phố không hợp lệ."),
  regionCode: z.enum(["BAC", "TRUNG_TN", "NAM"], { error: "Chọn khu vực: phía Bắc, miền Trung – Tây Nguyên hoặc phía Nam." }),
  /** A checkbox: present = a centrally-run city. */
  isCity: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "1"),
});
export type ProvinceUnitInput = z.output<typeof ProvinceUnitSchema>;
