/**
 * Round settings as organisers type them (shared by the form and the action). Dates are Vietnam
 * local times from <input type="datetime-local">.
 */
import { z } from "zod";

import { DISAGREEMENT_SPREAD } from "../models/results/ranking";
import { defaultPassMark } from "../models/round/rules";
import { DEFAULT_SCORE_STEP, SCORE_STEPS, type ScoreStep } from "../models/scoring/rules";

const vnDateTime = (label: string) =>
  z
    .string({ error: `Nhập ${label}.` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `${label[0].toUpperCase()}${label.slice(1)} không hợp lệ (ngày và giờ).`)
    .transform((s) => new Date(`${s}:00+07:00`));

const optionalInt = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (!s) return null;
      if (!/^\d{1,6}$/.test(s) || Number(s) < 1) {
        ctx.addIssue({ code: "custom", message: `${label} phải là số nguyên dương (tối đa 999.999).` });
        return z.NEVER;
      }
      return Number(s);
    });

export const roundFields = z.object({
  title: z.string().trim().min(10, "Tên đợt bình chọn cần ít nhất 10 ký tự.").max(200, "Tên đợt tối đa 200 ký tự."),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^[a-z0-9]+(-[a-z0-9]+)*$/,
      "Đường dẫn chỉ gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ 2026-khu-vuc-phia-bac).",
    ),
  level: z.enum(["commune", "district", "province", "region", "national"], { error: "Chọn cấp bình chọn." }),
  regionCode: z
    .string()
    .trim()
    .optional()
    .transform((s) => s || null),
  provinceCode: z
    .string()
    .trim()
    .optional()
    .transform((s) => s || null),
  year: z.coerce
    .number({ error: "Năm không hợp lệ." })
    .int("Năm không hợp lệ.")
    .min(2010, "Năm từ 2010.")
    .max(2100, "Năm không hợp lệ."),
  registrationOpensAt: vnDateTime("ngày mở đăng ký"),
  registrationClosesAt: vnDateTime("hạn nộp hồ sơ"),
  scoringClosesAt: vnDateTime("hạn chấm điểm"),
  passMark: z
    .string()
    .trim()
    .optional()
    // Blank = the level's default (round rules, defaultPassMark), filled in once the level is known.
    .transform((s, ctx) => {
      if (!s) return null;
      const v = Number(s.replace(",", "."));
      if (!Number.isFinite(v) || v < 0 || v > 100) {
        ctx.addIssue({ code: "custom", message: "Điểm đạt là số từ 0 đến 100." });
        return z.NEVER;
      }
      return v;
    }),
  quota: optionalInt("Chỉ tiêu"),
  scoreStep: z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      const v = Number((s || String(DEFAULT_SCORE_STEP)).replace(",", "."));
      if (!(SCORE_STEPS as readonly number[]).includes(v)) {
        ctx.addIssue({ code: "custom", message: "Bước chấm điểm là 0,5 hoặc 1 điểm." });
        return z.NEVER;
      }
      return v as ScoreStep;
    }),
  disagreementSpread: z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      const text = (s || String(DISAGREEMENT_SPREAD)).replace(",", ".");
      const v = Number(text);
      if (!/^\d{1,3}(\.\d)?$/.test(text) || v <= 0 || v > 100) {
        ctx.addIssue({ code: "custom", message: "Ngưỡng chênh lệch là số điểm lớn hơn 0 và tối đa 100 (ví dụ 20)." });
        return z.NEVER;
      }
      return v;
    }),
  /** A checkbox: present ("on") = the rule applies. */
  conflictSameProduct: z
    .string()
    .optional()
    .transform((s) => s === "on" || s === "1" || s === "true"),
  jurorsPerEntry: optionalInt("Số giám khảo mỗi hồ sơ"),
  authority: z.string().trim().min(5, "Nhập cơ quan công nhận kết quả.").max(200),
});

export const roundSchema = roundFields
  .superRefine((v, ctx) => {
  if (v.registrationOpensAt >= v.registrationClosesAt) {
    ctx.addIssue({ code: "custom", path: ["registrationClosesAt"], message: "Hạn nộp hồ sơ phải sau ngày mở đăng ký." });
  }
  if (v.registrationClosesAt > v.scoringClosesAt) {
    ctx.addIssue({ code: "custom", path: ["scoringClosesAt"], message: "Hạn chấm điểm không được trước hạn nộp hồ sơ." });
  }
  if (v.level === "region" && !v.regionCode) ctx.addIssue({ code: "custom", path: ["regionCode"], message: "Chọn khu vực." });
  if (["commune", "district", "province"].includes(v.level) && !v.provinceCode) {
    ctx.addIssue({ code: "custom", path: ["provinceCode"], message: "Chọn tỉnh, thành phố." });
  }
  })
  .transform((v) => ({ ...v, passMark: v.passMark ?? defaultPassMark(v.level) }));

/** Settings that may change after creation (level and scope decide who sees the round). */
export const roundUpdateSchema = roundFields.omit({ slug: true, level: true, regionCode: true, provinceCode: true });

export type RoundInput = z.output<typeof roundSchema>;
/** Blank pass mark = the default of the round's level (the model fills it in). */
export type RoundUpdateInput = z.output<typeof roundUpdateSchema>;
