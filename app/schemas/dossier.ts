/**
 * The dossier of a product: the fields of the registration form (Mẫu 01) and the product
 * description (Mẫu 02) of Thông tư 26/2014/TT-BCT. Kept on the product and reused from round to
 * round; copied into the entry's snapshot at submission.
 */
import { z } from "zod";

export const DOSSIER_FIELDS = [
  { name: "productionCapacity", label: "Năng lực sản xuất (sản lượng/năm)", max: 300, long: false, hint: "Ví dụ: 12.000 hộp/năm" },
  { name: "annualRevenue", label: "Doanh thu từ sản phẩm năm gần nhất (triệu đồng)", max: 100, long: false, hint: "Ví dụ: 850" },
  { name: "workers", label: "Số lao động", max: 100, long: false, hint: "Ví dụ: 25 (trong đó 18 nữ)" },
  { name: "rawMaterials", label: "Nguyên liệu chính", max: 1000, long: true, hint: "" },
  { name: "rawMaterialOrigin", label: "Nguồn gốc nguyên liệu", max: 1000, long: true, hint: "Nơi mua/trồng, tỷ lệ nguyên liệu trong nước" },
  { name: "markets", label: "Thị trường tiêu thụ", max: 1000, long: true, hint: "Trong tỉnh, toàn quốc, xuất khẩu (nước nào)" },
  { name: "standards", label: "Tiêu chuẩn, chứng nhận đạt được", max: 1000, long: true, hint: "TCVN, VSATTP, OCOP, ISO…" },
  { name: "price", label: "Giá bán (đồng)", max: 200, long: false, hint: "Ví dụ: 120.000 đồng/hộp 500 g" },
  { name: "story", label: "Câu chuyện, nét văn hóa của sản phẩm", max: 5000, long: true, hint: "Nguồn gốc, truyền thống, điểm đặc sắc" },
] as const;

export type DossierFieldName = (typeof DOSSIER_FIELDS)[number]["name"];
export type Dossier = Record<DossierFieldName, string>;

/** A draft may leave fields empty but never exceed their length. */
export const DossierDraftSchema = z.object(
  Object.fromEntries(
    DOSSIER_FIELDS.map((f) => [
      f.name,
      z
        .string()
        .trim()
        .max(f.max, `“${f.label}” dài quá ${f.max} ký tự.`)
        .optional()
        .transform((v) => v ?? ""),
    ]),
  ) as unknown as Record<DossierFieldName, z.ZodType<string, string | undefined>>,
);

/** Kinds of documents (PDF). The business registration is always required. */
export const DOC_TYPES = {
  business_registration: "Giấy chứng nhận đăng ký kinh doanh / đăng ký HTX / hộ kinh doanh",
  quality_certificate: "Giấy chứng nhận chất lượng, tiêu chuẩn",
  food_safety: "Giấy chứng nhận đủ điều kiện an toàn thực phẩm",
  earlier_certificate: "Giấy chứng nhận sản phẩm CNNT tiêu biểu cấp dưới, quyết định công nhận",
  other: "Tài liệu khác (giấy khen, bằng khen…)",
} as const;
export type DocType = keyof typeof DOC_TYPES;
export const DOC_TYPE_KEYS = Object.keys(DOC_TYPES) as DocType[];
export const REQUIRED_DOC_TYPES: DocType[] = ["business_registration"];
export const MIN_PHOTOS = 3;

/** The lower-level certificate a province/region/national entry comes with. */
export const LowerCertificateSchema = z.object({
  serial: z.string().trim().max(40, "Số chứng nhận dài quá 40 ký tự.").optional().transform((v) => v ?? ""),
  issuer: z.string().trim().max(200, "Cơ quan cấp dài quá 200 ký tự.").optional().transform((v) => v ?? ""),
  decisionNo: z.string().trim().max(60, "Số quyết định dài quá 60 ký tự.").optional().transform((v) => v ?? ""),
  year: z
    .string()
    .trim()
    .regex(/^(|\d{4})$/, "Năm cấp gồm 4 chữ số.")
    .optional()
    .transform((v) => v ?? ""),
});
export type LowerCertificate = z.infer<typeof LowerCertificateSchema>;

export const ScreeningSchema = z
  .object({
    decision: z.enum(["eligible", "returned", "ineligible"], { error: "Vui lòng chọn kết quả thẩm định." }),
    note: z.string().trim().max(2000, "Ghi chú dài quá 2000 ký tự.").optional().transform((v) => v ?? ""),
  })
  .refine((v) => v.decision === "eligible" || v.note.length > 0, {
    path: ["note"],
    message: "Trả lại hoặc không hợp lệ cần ghi rõ lý do để cơ sở biết cần sửa gì.",
  });

/** Levels whose entries come with a lower-level certificate. */
export const NEEDS_LOWER_CERTIFICATE = new Set(["province", "region", "national"]);

export const ENTRY_STATUS_NAMES: Record<string, string> = {
  draft: "Bản nháp",
  submitted: "Đã nộp, chờ thẩm định",
  returned: "Bị trả lại, cần bổ sung",
  eligible: "Hợp lệ",
  ineligible: "Không hợp lệ",
  selected: "Được công nhận",
  not_selected: "Không được công nhận",
  withdrawn: "Đã rút",
  judging: "Đang chấm",
};

/**
 * What the facility sees of its entry's status (issue 13): until the round is published the outcome
 * is not decided for them — "selected / not selected" shows as "đang chấm", like an eligible entry
 * being scored.
 */
export function ownerEntryStatus(entryStatus: string, roundStatus: string): string {
  if (roundStatus === "published" || roundStatus === "archived") return entryStatus;
  if (["selected", "not_selected"].includes(entryStatus)) return "judging";
  if (entryStatus === "eligible" && ["scoring", "deliberation"].includes(roundStatus)) return "judging";
  return entryStatus;
}

export const SCREENING_STATUSES = ["submitted", "returned", "eligible", "ineligible", "withdrawn"] as const;

/** Upload limits, shown in the forms and enforced in uploads.server.ts. */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
