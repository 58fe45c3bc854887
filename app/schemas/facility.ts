/** Facility and product forms, shared by the browser and the actions. */
import { z } from "zod";

/** Same list as db/schema's LEGAL_FORMS (kept here so the browser bundle does not pull the schema). */
export const LEGAL_FORMS = ["dnnvv", "htx", "tht", "hkd"] as const;

export const LEGAL_FORM_NAMES: Record<(typeof LEGAL_FORMS)[number], string> = {
  dnnvv: "Doanh nghiệp nhỏ và vừa",
  htx: "Hợp tác xã",
  tht: "Tổ hợp tác",
  hkd: "Hộ kinh doanh",
};

/** A required text field with a Vietnamese message for empty and for too long. */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `Vui lòng nhập ${label}.` })
    .trim()
    .min(1, `Vui lòng nhập ${label}.`)
    .max(max, `${label[0].toUpperCase()}${label.slice(1)} dài quá ${max} ký tự.`);

export const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label[0].toUpperCase()}${label.slice(1)} dài quá ${max} ký tự.`)
    .optional()
    .transform((v) => (v ? v : null));

export const FacilitySchema = z.object({
  name: requiredText("tên cơ sở", 200),
  legalForm: z.enum(LEGAL_FORMS, { error: "Vui lòng chọn loại hình cơ sở." }),
  registrationNo: requiredText("số đăng ký kinh doanh / mã số thuế", 30).pipe(
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9./-]*$/, "Số đăng ký chỉ gồm chữ số, chữ cái không dấu và các ký tự . / -"),
  ),
  provinceCode: z.string({ error: "Vui lòng chọn tỉnh/thành phố." }).trim().min(1, "Vui lòng chọn tỉnh/thành phố."),
  legacyProvinceCode: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null)),
  district: optionalText("quận/huyện (cũ)", 120),
  commune: optionalText("xã/phường", 120),
  address: requiredText("địa chỉ", 300),
  phone: z
    .string()
    .trim()
    .max(20, "Số điện thoại dài quá 20 ký tự.")
    .regex(/^(\+?[0-9 .-]{8,20})?$/, "Số điện thoại chỉ gồm chữ số (8–15 số), có thể có dấu +, dấu cách hoặc dấu chấm.")
    .optional()
    .transform((v) => (v ? v : null)),
  email: z
    .union([z.literal(""), z.email("Email không hợp lệ.").max(200, "Email dài quá 200 ký tự.")])
    .optional()
    .transform((v) => (v ? v.toLowerCase() : null)),
  representative: requiredText("họ tên người đại diện", 120),
  representativeTitle: optionalText("chức vụ người đại diện", 120),
});
export type FacilityInput = z.infer<typeof FacilitySchema>;

export const InviteSchema = z.object({
  email: z.email("Email không hợp lệ.").trim().max(200, "Email dài quá 200 ký tự."),
});

export const ProductSchema = z.object({
  name: requiredText("tên sản phẩm", 200),
  groupNo: z.coerce
    .number({ error: "Vui lòng chọn nhóm sản phẩm." })
    .int("Vui lòng chọn nhóm sản phẩm.")
    .min(1, "Vui lòng chọn nhóm sản phẩm (1–4).")
    .max(4, "Vui lòng chọn nhóm sản phẩm (1–4)."),
  description: requiredText("mô tả sản phẩm", 5000),
});
export type ProductInput = z.infer<typeof ProductSchema>;

/** Letters of a script other than Latin (Chinese, Cyrillic, …): not English, refused in the English fields. */
const NON_LATIN_LETTER = /(?![\p{Script=Latin}])\p{L}/u;
const englishText = (label: string, max: number) =>
  optionalText(label, max).refine((v) => v === null || !NON_LATIN_LETTER.test(v), `${label[0].toUpperCase()}${label.slice(1)} chỉ gồm chữ cái Latinh (tiếng Anh).`);

/**
 * The optional English texts of a product (issue 19), shown on the English public pages marked as
 * provided by the facility. A description needs a name: the English page is headed by it.
 */
export const ProductEnglishSchema = z
  .object({
    nameEn: englishText("tên tiếng Anh", 200),
    descriptionEn: englishText("mô tả bằng tiếng Anh", 5000),
  })
  .refine((v) => v.descriptionEn === null || v.nameEn !== null, { path: ["nameEn"], message: "Vui lòng nhập tên tiếng Anh khi đã có mô tả bằng tiếng Anh." });
export type ProductEnglishInput = z.infer<typeof ProductEnglishSchema>;
