/**
 * Eligibility as a checklist at screening (issue 15 §4) and the lower-level certificate check
 * (§3). Each condition gets a tick (đạt / không đạt) and a note; "không đủ điều kiện" needs at least
 * one failed condition, "hợp lệ" needs every one passed. Pure: the screening form imports it.
 */

export const ELIGIBILITY_CONDITIONS = [
  {
    key: "rural_facility",
    label: "Là cơ sở công nghiệp nông thôn (loại hình; đặt tại xã, thị trấn hoặc phường được hưởng chính sách khuyến công)",
  },
  { key: "own_product", label: "Sản phẩm do chính cơ sở sản xuất" },
  { key: "no_ip_dispute", label: "Không có tranh chấp về quyền sở hữu trí tuệ" },
  { key: "standards", label: "Đáp ứng tiêu chuẩn, quy chuẩn đã công bố" },
  { key: "series", label: "Sản xuất được hàng loạt (không phải sản phẩm độc bản)" },
] as const;

export type ConditionKey = (typeof ELIGIBILITY_CONDITIONS)[number]["key"];

export interface ConditionResult {
  key: ConditionKey;
  label: string;
  ok: boolean;
  note: string;
}

export interface Checklist {
  conditions: ConditionResult[];
}

/**
 * Reads the checklist from form fields `c_<key>` (= "ok" | "fail") and `n_<key>` (the note).
 * Returns the field errors (Vietnamese) beside the parsed list.
 */
export function parseChecklist(form: Record<string, unknown>): { checklist: Checklist; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const conditions: ConditionResult[] = [];
  for (const c of ELIGIBILITY_CONDITIONS) {
    const tick = String(form[`c_${c.key}`] ?? "");
    const note = String(form[`n_${c.key}`] ?? "").trim();
    if (note.length > 500) errors[`n_${c.key}`] = "Ghi chú mỗi điều kiện tối đa 500 ký tự.";
    if (tick !== "ok" && tick !== "fail") {
      errors[`c_${c.key}`] = `Chưa đánh dấu điều kiện “${c.label}”.`;
      continue;
    }
    if (tick === "fail" && !note) errors[`n_${c.key}`] = `Ghi rõ vì sao không đạt “${c.label}” để cơ sở biết.`;
    conditions.push({ key: c.key, label: c.label, ok: tick === "ok", note });
  }
  return { checklist: { conditions }, errors };
}

/** Why the decision does not fit the checklist (Vietnamese), or null. */
export function checklistDecisionProblem(decision: string, checklist: Checklist | null): string | null {
  const failed = checklist?.conditions.filter((c) => !c.ok) ?? [];
  if (decision === "ineligible" && failed.length === 0) {
    return "“Không đủ điều kiện” cần ít nhất một điều kiện không đạt, có ghi rõ lý do.";
  }
  if (decision === "eligible" && failed.length > 0) {
    return `Hồ sơ không đạt điều kiện “${failed[0].label}” nên không thể xác nhận hợp lệ.`;
  }
  return null;
}

// ───────────────────────────── the lower certificate ─────────────────────────────

/** The level of certificate an entry at each level must hold (the level immediately below). */
export const LOWER_LEVELS: Record<string, readonly string[]> = {
  // District certificates before 1 July 2025, commune certificates after (the transition is unconfirmed: both pass).
  province: ["district", "commune"],
  region: ["province"],
  national: ["region"],
};

export const CERTIFICATE_LEVEL_NAMES: Record<string, string> = {
  commune: "cấp xã",
  district: "cấp huyện",
  province: "cấp tỉnh",
  region: "cấp khu vực",
  national: "cấp quốc gia",
};

export interface LowerCertificateFacts {
  level: string;
  /** yyyy-mm-dd, null when the certificate states no end. */
  validUntil: string | null;
  revoked: boolean;
  serial?: string;
  /** The kind of one of our certificates (a paper one has none): only a product certificate recognises. */
  kind?: string;
}

/**
 * Why the certificate cannot carry an entry of `roundLevel` whose registration closes on
 * `closesOn` (yyyy-mm-dd): not a recognition (a Bằng khen, the people's-choice award), wrong level,
 * expired on that day or revoked; null when it is valid.
 */
export function lowerCertificateProblem(roundLevel: string, closesOn: string, cert: LowerCertificateFacts): string | null {
  const wanted = LOWER_LEVELS[roundLevel];
  if (!wanted) return null;
  const name = cert.serial ? `Giấy chứng nhận ${cert.serial}` : "Giấy chứng nhận cấp dưới";
  if (cert.kind && cert.kind !== "product") {
    const what = cert.kind === "favourite" ? "giấy chứng nhận “Sản phẩm được công chúng yêu thích” (bình chọn của công chúng)" : "Bằng khen";
    return `Số ${cert.serial ?? ""} là ${what}, không phải giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu, nên không dùng được để tham gia đợt này.`;
  }
  if (cert.revoked) return `${name} đã bị thu hồi nên không dùng được để tham gia đợt này.`;
  if (!wanted.includes(cert.level)) {
    return `${name} là chứng nhận ${CERTIFICATE_LEVEL_NAMES[cert.level] ?? cert.level}; đợt ${CERTIFICATE_LEVEL_NAMES[roundLevel]} cần chứng nhận ${wanted.map((l) => CERTIFICATE_LEVEL_NAMES[l]).join(" hoặc ")} (cấp liền dưới).`;
  }
  if (cert.validUntil && cert.validUntil < closesOn) {
    const [y, m, d] = cert.validUntil.split("-");
    const [cy, cm, cd] = closesOn.split("-");
    return `${name} hết hiệu lực ngày ${d}/${m}/${y}, trước hạn nộp hồ sơ của đợt (${cd}/${cm}/${cy}).`;
  }
  return null;
}

export function needsLowerCertificate(level: string): boolean {
  return level in LOWER_LEVELS;
}

/** A paper lower certificate as the screener records it from the original. */
export interface PaperCertificate {
  serial: string;
  issuer: string;
  level: string;
  issuedOn: string;
  validUntil: string;
  /** The scan among the dossier's documents. */
  scanId: string;
  revoked: boolean;
  /** The screener ticked that the scan matches the original. */
  checked: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a paper certificate from form fields `pc_*`; null when none was filled in. Errors are
 * Vietnamese, by field.
 */
export function parsePaperCertificate(form: Record<string, unknown>): { paper: PaperCertificate | null; errors: Record<string, string> } {
  const v = (k: string) => String(form[`pc_${k}`] ?? "").trim();
  const filled = ["serial", "issuer", "issuedOn", "validUntil"].some((k) => v(k));
  if (!filled) return { paper: null, errors: {} };
  const errors: Record<string, string> = {};
  if (!v("serial")) errors.pc_serial = "Nhập số giấy chứng nhận.";
  if (v("serial").length > 60) errors.pc_serial = "Số giấy chứng nhận tối đa 60 ký tự.";
  if (!v("issuer")) errors.pc_issuer = "Nhập cơ quan cấp.";
  if (v("issuer").length > 200) errors.pc_issuer = "Cơ quan cấp tối đa 200 ký tự.";
  if (!(v("level") in CERTIFICATE_LEVEL_NAMES)) errors.pc_level = "Chọn cấp của giấy chứng nhận.";
  if (!DAY.test(v("issuedOn"))) errors.pc_issuedOn = "Ngày cấp không hợp lệ.";
  if (!DAY.test(v("validUntil"))) errors.pc_validUntil = "Ngày hết hiệu lực không hợp lệ.";
  else if (DAY.test(v("issuedOn")) && v("validUntil") < v("issuedOn")) errors.pc_validUntil = "Ngày hết hiệu lực phải sau ngày cấp.";
  if (!v("scan")) errors.pc_scan = "Chọn bản chụp giấy chứng nhận trong hồ sơ.";
  const checked = ["on", "1", "true"].includes(v("checked"));
  if (!checked) errors.pc_checked = "Đánh dấu đã đối chiếu bản chụp với bản gốc giấy chứng nhận.";
  return {
    paper: {
      serial: v("serial"),
      issuer: v("issuer"),
      level: v("level"),
      issuedOn: v("issuedOn"),
      validUntil: v("validUntil"),
      scanId: v("scan"),
      revoked: ["on", "1", "true"].includes(v("revoked")),
      checked,
    },
    errors,
  };
}

/** The failed conditions of a stored checklist (what the owner sees). */
export function failedConditions(stored: unknown): { key: string; label: string; note: string }[] {
  const conditions = (stored as { conditions?: ConditionResult[] } | null)?.conditions ?? [];
  return conditions.filter((c) => !c.ok).map((c) => ({ key: c.key, label: c.label, note: c.note }));
}
