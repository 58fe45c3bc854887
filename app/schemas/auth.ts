import { z } from "zod";

export const PASSWORD_MIN = 10;

/** A short list of passwords too common to accept, whatever their length. */
const COMMON_PASSWORDS = new Set([
  "1234567890",
  "12345678910",
  "123456789a",
  "0123456789",
  "1111111111",
  "0000000000",
  "qwertyuiop",
  "password123",
  "password12",
  "matkhau123",
  "matkhau1234",
  "abc1234567",
  "iloveyou123",
  "admin12345",
  "123456789@",
  "vietnam123",
  "1qaz2wsx3edc",
  "qwerty12345",
]);

export const email = z
  .string({ error: "Vui lòng nhập email." })
  .trim()
  .min(1, "Vui lòng nhập email.")
  .max(254, "Email quá dài (tối đa 254 ký tự).")
  .pipe(z.email({ error: "Email không đúng định dạng (ví dụ: ten@donvi.vn)." }))
  .transform((v) => v.toLowerCase());

export const newPassword = z
  .string({ error: "Vui lòng nhập mật khẩu." })
  .min(PASSWORD_MIN, `Mật khẩu phải có ít nhất ${PASSWORD_MIN} ký tự.`)
  .max(200, "Mật khẩu quá dài (tối đa 200 ký tự).")
  .refine((v) => !COMMON_PASSWORDS.has(v.toLowerCase()), "Mật khẩu này quá phổ biến, vui lòng chọn mật khẩu khác.");

export const fullName = z
  .string({ error: "Vui lòng nhập họ và tên." })
  .trim()
  .min(2, "Vui lòng nhập họ và tên.")
  .max(120, "Họ và tên quá dài (tối đa 120 ký tự).");

export const SignUpSchema = z
  .object({
    fullName,
    email,
    password: newPassword,
    confirm: z.string({ error: "Vui lòng nhập lại mật khẩu." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Mật khẩu nhập lại không khớp." });

export const SignInSchema = z.object({
  email,
  password: z.string({ error: "Vui lòng nhập mật khẩu." }).min(1, "Vui lòng nhập mật khẩu.").max(200),
  redirectTo: z.string().optional(),
  remember: z.literal("on").optional(),
});

export const ChangePasswordSchema = z
  .object({
    current: z.string({ error: "Vui lòng nhập mật khẩu hiện tại." }).min(1, "Vui lòng nhập mật khẩu hiện tại."),
    password: newPassword,
    confirm: z.string({ error: "Vui lòng nhập lại mật khẩu mới." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Mật khẩu nhập lại không khớp." });

export const GrantRoleSchema = z.object({
  userId: z.string().min(1, "Thiếu tài khoản."),
  role: z.enum(["facility", "juror", "organizer", "ministry", "admin"], { error: "Vai trò không hợp lệ." }),
  scopeLevel: z
    .enum(["commune", "district", "province", "region", "national"], { error: "Cấp không hợp lệ." })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  scopeRegion: z
    .enum(["BAC", "TRUNG_TN", "NAM"], { error: "Khu vực không hợp lệ." })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  scopeProvince: z
    .string()
    .max(60)
    .optional()
    .transform((v) => v || undefined),
});

// Browsers drop tabs and newlines inside URLs and read "\\" as "/": "/\t/evil.example" is "//evil.example".
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/**
 * Only same-origin paths: never an open redirect, never a header that cannot be sent. The value is
 * checked raw and percent-decoded, then resolved against a placeholder origin that must not change.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length > 2000 || !to.startsWith("/")) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(to);
  } catch {
    return fallback;
  }
  for (const form of [to, decoded]) if (UNSAFE.test(form) || form.startsWith("//")) return fallback;
  const base = "http://same-origin.invalid";
  const url = new URL(to, base);
  if (url.origin !== base) return fallback;
  return url.pathname + url.search + url.hash;
}

export const ForgotPasswordSchema = z.object({ email });

export const ResetPasswordSchema = z
  .object({
    token: z.string().min(1, "Thiếu mã trong liên kết.").max(200),
    password: newPassword,
    confirm: z.string({ error: "Vui lòng nhập lại mật khẩu." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Mật khẩu nhập lại không khớp." });
