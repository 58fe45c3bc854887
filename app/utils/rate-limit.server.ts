/**
 * Fixed-window request limits per client address, answered with 429 and a Vietnamese message.
 * Counters live in this process: behind several app servers each enforces its own share (the
 * sign-in lock in the database, app/models/account/user.server.ts, is the shared one). Limits are generous
 * because rural users often share one address behind carrier NAT.
 */
export interface LimitRule {
  name: string;
  /** Which requests count. */
  match(method: string, path: string, contentType: string): boolean;
  limit: number;
  windowMs: number;
  message: string;
}

const MINUTE = 60_000;

export const RULES: LimitRule[] = [
  {
    name: "sign-in",
    match: (m, p) => m === "POST" && p === "/login",
    limit: 30,
    windowMs: 5 * MINUTE,
    message: "Bạn đã thử đăng nhập quá nhiều lần. Vui lòng chờ vài phút rồi thử lại.",
  },
  {
    name: "sign-up",
    match: (m, p) => m === "POST" && p === "/signup",
    limit: 20,
    windowMs: 60 * MINUTE,
    message: "Đã có quá nhiều tài khoản được tạo từ địa chỉ này. Vui lòng thử lại sau.",
  },
  {
    name: "mail-links",
    match: (m, p) => m === "POST" && ["/forgot-password", "/reset-password", "/verify-email", "/unlock", "/resend-verification"].includes(p),
    limit: 20,
    windowMs: 15 * MINUTE,
    message: "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng chờ 15 phút rồi thử lại.",
  },
  {
    name: "password",
    match: (m, p) => m === "POST" && p === "/account",
    limit: 10,
    windowMs: 15 * MINUTE,
    message: "Bạn đã thử đổi mật khẩu quá nhiều lần. Vui lòng chờ 15 phút rồi thử lại.",
  },
  {
    name: "verify",
    match: (m, p) => m === "GET" && (p.startsWith("/verify/") || p.startsWith("/api/v1/certificates/")),
    limit: 120,
    windowMs: 5 * MINUTE,
    message: "Bạn đã tra cứu quá nhiều mã trong thời gian ngắn. Vui lòng chờ vài phút rồi thử lại.",
  },
  {
    name: "upload",
    match: (m, _p, type) => m === "POST" && type.startsWith("multipart/form-data"),
    limit: 120,
    windowMs: 10 * MINUTE,
    message: "Bạn đã tải lên quá nhiều tệp trong thời gian ngắn. Vui lòng chờ vài phút rồi thử lại.",
  },
];

/**
 * The path as Remix matches it: case-insensitive, percent-decoded, repeated and trailing slashes
 * ignored. `/LOGIN`, `/login/` and `/%6Cogin` reach the sign-in route, so they count as `/login`.
 */
export function routePath(path: string): string {
  let p = path;
  try {
    p = decodeURIComponent(p);
  } catch {
    // keep it raw: Remix answers 400 to a malformed path anyway
  }
  p = p.toLowerCase().replace(/\/{2,}/g, "/");
  if (p.length > 1) p = p.replace(/\/+$/, "");
  return p || "/";
}

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  /** `factor` multiplies every limit (RATE_LIMIT_FACTOR; the browser tests sign in dozens of times from one address). */
  constructor(
    private rules: LimitRule[] = RULES,
    private factor = 1,
  ) {}

  /** The rule refused, with seconds to wait, or null when the request may go on. */
  hit(client: string, method: string, rawPath: string, contentType = "", now = Date.now()): { rule: LimitRule; retryAfter: number } | null {
    const path = routePath(rawPath);
    for (const rule of this.rules) {
      if (!rule.match(method, path, contentType)) continue;
      const key = `${rule.name}:${client}`;
      let w = this.windows.get(key);
      if (!w || now - w.start >= rule.windowMs) {
        w = { start: now, count: 0 };
        this.windows.set(key, w);
      }
      w.count++;
      if (w.count > rule.limit * this.factor) return { rule, retryAfter: Math.ceil((w.start + rule.windowMs - now) / 1000) };
    }
    if (this.windows.size > 50_000) this.sweep(now);
    return null;
  }

  private sweep(now: number) {
    const longest = Math.max(...this.rules.map((r) => r.windowMs));
    for (const [key, w] of this.windows) if (now - w.start >= longest) this.windows.delete(key);
  }
}
