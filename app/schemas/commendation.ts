/**
 * Commendation decisions and recipients: the zod schemas the forms and the import share, and the
 * pure text rules behind them (number form, NFC, emoji, formula cells).
 */
import { z } from "zod";

import { parseHonorific } from "../models/certificate/document-rules";
import { foldWords } from "../utils/vi-text";

/** "1234/QĐ-BCT" (an optional "Số:" and spaces are tolerated, "QD" is read as "QĐ"). */
export const DECISION_NUMBER_RE = /^(\d{1,5})\/QĐ-BCT$/;

export function normaliseDecisionNumber(input: string): string {
  return input
    .normalize("NFC")
    .trim()
    .replace(/^số\s*:?\s*/i, "")
    .replace(/\s+/g, "")
    .toUpperCase()
    .replace(/^(\d+)\/Q[DĐ]-BCT$/, "$1/QĐ-BCT");
}

export const NAME_MAX = 200;
export const TEXT_MAX = 1000;
/** The achievement is printed on the Bằng khen: at most about six lines. */
export const ACHIEVEMENT_MAX = 500;

const EMOJI_RE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u{FE0F}/u;
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/;

/** A cell a spreadsheet would run as a formula (=, +, @, or - followed by a non-space). */
export function looksLikeFormula(value: string): boolean {
  return /^[=+@]/.test(value) || /^-[^\s\d]/.test(value) || /^[\t\r]/.test(value);
}

/** What is wrong with a piece of text, in Vietnamese, or null. */
export function textProblem(value: string, max: number): string | null {
  if (looksLikeFormula(value)) return "chứa công thức bảng tính (bắt đầu bằng =, +, - hoặc @); hãy nhập giá trị thường";
  if (EMOJI_RE.test(value)) return "không được chứa biểu tượng cảm xúc (emoji)";
  if (CONTROL_RE.test(value)) return "chứa ký tự điều khiển không hiển thị được";
  if (value.length > max) return `dài ${value.length} ký tự, tối đa ${max} ký tự`;
  return null;
}

/** Trimmed NFC text with a Vietnamese message for each rule. */
const text = (label: string, max: number, required = true) =>
  z
    .string({ error: `${label} không hợp lệ.` })
    .optional()
    .transform((v) => (v ?? "").normalize("NFC").replace(/\s+/g, " ").trim())
    .superRefine((v, ctx) => {
      if (!v) {
        if (required) ctx.addIssue({ code: "custom", message: `${label} không được để trống.` });
        return;
      }
      const problem = textProblem(v, max);
      if (problem) ctx.addIssue({ code: "custom", message: `${label} ${problem}.` });
    });

export const DecisionSchema = z
  .object({
    number: z
      .string({ error: "Nhập số quyết định." })
      .transform(normaliseDecisionNumber)
      .refine((v) => DECISION_NUMBER_RE.test(v), { message: "Số quyết định phải có dạng 1234/QĐ-BCT." }),
    signedOn: z
      .string({ error: "Nhập ngày ký." })
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "Ngày ký không hợp lệ (dd/mm/yyyy)." })
      .refine((v) => !Number.isNaN(Date.parse(v)) && v >= "2000-01-01" && v <= "2100-12-31", { message: "Ngày ký không hợp lệ." }),
    signerName: text("Họ tên người ký", NAME_MAX),
    signerTitle: text("Chức danh người ký", NAME_MAX),
    authority: text("Cơ quan ban hành", NAME_MAX),
    periodFrom: z.coerce.number({ error: "Năm bắt đầu không hợp lệ." }).int().min(2000, { message: "Năm bắt đầu không hợp lệ." }).max(2100),
    periodTo: z.coerce.number({ error: "Năm kết thúc không hợp lệ." }).int().min(2000, { message: "Năm kết thúc không hợp lệ." }).max(2100),
    reason: text("Lý do khen thưởng", TEXT_MAX),
  })
  .refine((d) => d.periodFrom <= d.periodTo, { path: ["periodTo"], message: "Năm kết thúc phải từ năm bắt đầu trở đi." });

export type DecisionInput = z.infer<typeof DecisionSchema>;

export const RECIPIENT_KINDS = ["collective", "individual"] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];
export const KIND_LABELS: Record<RecipientKind, string> = { collective: "Tập thể", individual: "Cá nhân" };

export const RecipientSchema = z
  .object({
    kind: z.enum(RECIPIENT_KINDS, { error: "Chọn loại: tập thể hoặc cá nhân." }),
    /** "Ông" / "Bà" before an individual's name on the Bằng khen ("ong", "bà" as typed are accepted). */
    honorific: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v || !v.trim()) return null;
        const h = parseHonorific(v);
        if (!h) ctx.addIssue({ code: "custom", message: `Danh xưng “${v.trim().slice(0, 20)}” không hợp lệ: ghi “Ông” hoặc “Bà”.` });
        return h;
      }),
    name: text("Tên", NAME_MAX),
    position: text("Chức vụ", NAME_MAX, false),
    organization: text("Cơ quan, đơn vị", NAME_MAX, false),
    /** A 2016-era province code (the import maps names to codes); empty = none. */
    provinceCode: z.string().trim().max(40).optional().transform((v) => v || null),
    achievement: text("Thành tích", ACHIEVEMENT_MAX),
  })
  .superRefine((r, ctx) => {
    if (r.kind === "individual" && !r.organization) ctx.addIssue({ code: "custom", path: ["organization"], message: "Cá nhân cần có cơ quan, đơn vị công tác." });
    if (r.kind === "collective" && r.honorific) ctx.addIssue({ code: "custom", path: ["honorific"], message: "Danh xưng “Ông/Bà” chỉ ghi cho cá nhân, không ghi cho tập thể." });
  });

export type RecipientInput = z.infer<typeof RecipientSchema>;

export const RevokeSchema = z.object({
  recipientId: z.coerce.number().int().positive(),
  reason: text("Lý do thu hồi", 500),
});

/** Folded text for comparing names: lower case, no marks, đ → d, single spaces. */
export const foldName = foldWords;

/** The key that makes two recipients of one decision duplicates. */
export function duplicateKey(r: { kind: string; name: string; organization?: string | null }): string {
  return r.kind === "collective" ? `c|${foldName(r.name)}` : `i|${foldName(r.name)}|${foldName(r.organization ?? "")}`;
}
