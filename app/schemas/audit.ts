import { z } from "zod";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Tối đa ${max} ký tự.`)
    .optional()
    .transform((v) => v || undefined);
const optionalDate = z
  .string()
  .optional()
  .transform((v) => v || undefined)
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày không hợp lệ (dd/mm/yyyy).").optional());

export const AuditFilterSchema = z.object({
  action: optionalText(80),
  entity: optionalText(40),
  entityId: optionalText(80),
  actor: optionalText(254),
  from: optionalDate,
  to: optionalDate,
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
