import path from "node:path";

import { z } from "zod";

/** Configuration from the environment, validated once at start. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL phải là địa chỉ postgres://…")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().default(".data"),
  UPLOADS_DIR: z.string().default("uploads"),
  PUBLIC_URL: z.string().url().default("http://localhost:3000"),
  /** Load the demo data even on PostgreSQL or in production (never by default there). */
  SEED_DEMO: z.enum(["0", "1", "true", "false"]).optional(),
  /** Multiplies every request limit (app/utils/rate-limit.server.ts); the browser tests raise it. */
  RATE_LIMIT_FACTOR: z.coerce.number().positive().default(1),
  /** Disk budget for uploaded files in MB (originals + variants + documents); unset = no limit. */
  UPLOADS_QUOTA_MB: z.coerce.number().positive().optional().or(z.literal("").transform(() => undefined)),
  /** Outgoing mail (smtp://user:pass@host:port or smtps://…); unset = the local mailbox /dev/mail. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "SMTP_URL phải là địa chỉ smtp://… hoặc smtps://…")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  MAIL_FROM: z.string().default("CNNT Tiêu biểu <no-reply@cnnt.local>"),
  /**
   * Which proxies' X-Forwarded-For to believe (express "trust proxy": a hop count, "loopback",
   * addresses/CIDRs separated by commas). Unset = none: the socket address is the client.
   */
  TRUST_PROXY: z.string().optional(),
  /** Send Strict-Transport-Security (only behind TLS). */
  HSTS: z.enum(["0", "1", "true", "false"]).optional(),
});

export type Env = z.infer<typeof EnvSchema> & { uploadsDir: string; dataDir: string };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Cấu hình môi trường không hợp lệ:\n${lines}`);
  }
  cached = {
    ...parsed.data,
    uploadsDir: path.resolve(parsed.data.UPLOADS_DIR),
    dataDir: path.resolve(parsed.data.DATA_DIR),
  };
  return cached;
}

export function flag(value: string | undefined): boolean {
  return value === "1" || value === "true";
}

/** For tests: forget the cached configuration after changing process.env. */
export function resetEnv() {
  cached = undefined;
}

/**
 * express's "trust proxy" from TRUST_PROXY: unset or "none" = false (the socket address is the
 * client), a number = that many hops, anything else = addresses, CIDRs or names (loopback,
 * uniquelocal) separated by commas.
 */
export function trustProxySetting(value: string | undefined): boolean | number | string {
  const v = value?.trim();
  if (!v || v === "none" || v === "false" || v === "0") return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
