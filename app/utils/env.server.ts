import crypto from "node:crypto";
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
  /** The owner role that runs the migrations (PostgreSQL); the app itself then uses DATABASE_URL. */
  MIGRATION_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "MIGRATION_DATABASE_URL phải là địa chỉ postgres://…")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Let the app run as the owner of the tables or a superuser (logged loudly; the triggers can then be bypassed). */
  ALLOW_OWNER_ROLE: z
    .enum(["0", "1", "true", "false"])
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().default(".data"),
  UPLOADS_DIR: z.string().default("uploads"),
  /** The address printed in certificate QR codes; defaults to http://localhost:$PORT. */
  PUBLIC_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  /** Load the demo data even on PostgreSQL or in production (never by default there). */
  SEED_DEMO: z.enum(["0", "1", "true", "false"]).optional(),
  /** Multiplies every request limit (app/utils/rate-limit.server.ts); the browser tests raise it. */
  RATE_LIMIT_FACTOR: z.coerce.number().positive().default(1),
  /** Worker processes (node:cluster) on PostgreSQL; PGlite runs one whatever this says. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Requests worked on at once per process; the rest wait their turn, page views first (app/utils/admission.server.ts). */
  ACTIVE_REQUESTS: z.coerce.number().int().min(1).max(1000).default(4),
  /** Seconds a background job may run unfinished before another process takes it over (app/utils/queue.server.ts). */
  JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).optional().or(z.literal("").transform(() => undefined)),
  /** Disk budget for uploaded files in MB (originals + variants + documents); unset = no limit. */
  UPLOADS_QUOTA_MB: z.coerce.number().positive().optional().or(z.literal("").transform(() => undefined)),
  /** Largest urlencoded/JSON/other non-multipart request body, in MB (app/utils/request-limits.server.ts). */
  BODY_LIMIT_MB: z.coerce.number().positive().default(1),
  /** Photos' variants made in a separate process at a lower CPU priority (app/utils/image-worker.server.ts); "0" = in the web process. */
  IMAGE_PROCESS: z.enum(["0", "1", "true", "false"]).optional(),
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
  /** S3-compatible object storage for uploads and certificate PDFs (app/utils/storage); both set = on, else UPLOADS_DIR. */
  S3_ENDPOINT: z.string().url("S3_ENDPOINT phải là địa chỉ http(s)://…").optional().or(z.literal("").transform(() => undefined)),
  S3_BUCKET: z.string().optional().or(z.literal("").transform(() => undefined)),
  S3_REGION: z.string().default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().optional().or(z.literal("").transform(() => undefined)),
  S3_SECRET_ACCESS_KEY: z.string().optional().or(z.literal("").transform(() => undefined)),
  /** Path-style addressing (endpoint/bucket/key), on unless "0": what MinIO and most self-hosted servers expect. */
  S3_FORCE_PATH_STYLE: z.enum(["0", "1", "true", "false"]).optional(),
  /** Who may read /metrics: addresses or CIDRs separated by commas, or "loopback" (the default). */
  METRICS_ALLOW: z.string().default("loopback"),
  /** pino level: fatal, error, warn, info (default), debug, trace, silent. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Send Strict-Transport-Security (only behind TLS). */
  HSTS: z.enum(["0", "1", "true", "false"]).optional(),
  /** Signs the one-time message cookie (app/utils/toast.server.ts); at least 32 characters. */
  SESSION_SECRET: z
    .string()
    .min(32, "SESSION_SECRET phải dài ít nhất 32 ký tự.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

export type Env = Omit<z.infer<typeof EnvSchema>, "PUBLIC_URL"> & { PUBLIC_URL: string; uploadsDir: string; dataDir: string; sessionSecret: string };

// Development and tests sign with a fixed secret, so a message survives a restart of `npm run dev`.
const DEV_SESSION_SECRET = "cnnt-dev-only-session-secret-not-for-production";

let cached: Env | undefined;
const VIETNAMESE = z.locales.vi();

export function env(): Env {
  if (cached) return cached;
  // zod's own messages in Vietnamese (the schema's specific messages still win): this runs before
  // anything else could have set the locale (app/utils/forms.ts sets it for the forms).
  const parsed = EnvSchema.safeParse(process.env, { error: VIETNAMESE.localeError });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Cấu hình môi trường không hợp lệ:\n${lines}`);
  }
  if (Boolean(parsed.data.S3_ENDPOINT) !== Boolean(parsed.data.S3_BUCKET)) {
    throw new Error("Cấu hình môi trường không hợp lệ:\n  S3_ENDPOINT và S3_BUCKET phải được đặt cùng nhau (hoặc bỏ cả hai để lưu tệp trong UPLOADS_DIR).");
  }
  cached = {
    ...parsed.data,
    PUBLIC_URL: (parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/$/, ""),
    uploadsDir: path.resolve(parsed.data.UPLOADS_DIR),
    dataDir: path.resolve(parsed.data.DATA_DIR),
    sessionSecret: parsed.data.SESSION_SECRET ?? productionSecretOrDefault(parsed.data.NODE_ENV),
  };
  return cached;
}

/**
 * In production an unset SESSION_SECRET must not fall back to a secret anyone can read in this
 * repository: the process makes a random one and says loudly that it should be set. Only the
 * one-time messages after a form depend on it (sign-in sessions live in the database), so a
 * restart costs at most a message nobody has read yet, but several processes behind one address
 * need the same secret.
 */
function productionSecretOrDefault(nodeEnv: string): string {
  if (nodeEnv !== "production") return DEV_SESSION_SECRET;
  console.warn(
    "CẢNH BÁO: chưa đặt SESSION_SECRET (ít nhất 32 ký tự). Máy chủ dùng một khóa ngẫu nhiên cho lần chạy này; " +
      "hãy đặt SESSION_SECRET giống nhau cho mọi tiến trình trong môi trường thật.",
  );
  return crypto.randomBytes(32).toString("hex");
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
