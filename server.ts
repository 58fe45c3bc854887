/**
 * The express entry: security headers, compression, static build assets, /healthz, then Remix.
 * Opens the database (PostgreSQL with DATABASE_URL, else the embedded PGlite), applies the
 * migrations and, on a first embedded start, the demo data — all inside this one process.
 */
import crypto from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";

import { requeueInterrupted, startMailWorker } from "./app/models/messaging/outbox.server";
import { scheduleDailyIntegrityCheck } from "./app/models/results/integrity.server";
import { sendScoringReminders } from "./app/models/round/notices.server";
import { resumeJobs } from "./app/models/shared/jobs.server";
import { cleanupStorage } from "./app/models/shared/storage-cleanup.server";
import { scriptPolicyOnHead } from "./app/utils/csp.server";
import { openPglite, openPostgres, ping, setDatabase, type DatabaseHandle } from "./app/utils/db.server";
import { env, flag, trustProxySetting } from "./app/utils/env.server";
import { databaseSuspect, markDatabaseHealthy, markDatabaseSuspect } from "./app/utils/health.server";
import { noteRequestHost, startupWarning } from "./app/utils/public-url.server";
import { RateLimiter } from "./app/utils/rate-limit.server";
import { bodyBudget, bodyBudgetErrors, queryScreen } from "./app/utils/request-limits.server";
import { prepareDatabase } from "./db/migrate";
import { assertRestrictedRole, grantAppRole, roleOfUrl } from "./db/roles";
import type { seedDemo as SeedDemo } from "./scripts/seed/demo";

export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const config = env();
  return config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : openPglite(config.dataDir);
}

/** Refuses a state-changing request whose Origin (or Referer) is another site. */
export function sameOrigin(req: express.Request): boolean {
  const source = req.get("origin") ?? req.get("referer");
  if (!source) return true; // non-browser clients send neither; SameSite=Lax still guards cookies
  try {
    const host = req.get("x-forwarded-host") ?? req.get("host");
    return new URL(source).host === host;
  } catch {
    return false;
  }
}

/** Pings the database (3 s at most) and updates the shared health state. */
export async function databaseAnswers(): Promise<boolean> {
  try {
    await Promise.race([ping(), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000))]);
    markDatabaseHealthy();
    return true;
  } catch {
    markDatabaseSuspect();
    return false;
  }
}

const UNAVAILABLE_PAGE = `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hệ thống tạm thời gián đoạn — CNNT Tiêu biểu</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5">
<p style="color:#555">Mã lỗi 503</p><h1>Hệ thống tạm thời gián đoạn</h1>
<p>Cơ sở dữ liệu đang tạm thời không truy cập được. Dữ liệu của bạn không bị mất. Vui lòng thử lại sau ít phút.</p>
<p><a href="/">Về trang chủ</a></p></body></html>`;

export async function createApp(build: ServerBuild) {
  const config = env();
  const app = express();
  app.disable("x-powered-by");
  // Whose X-Forwarded-For to believe is configuration (TRUST_PROXY); by default nobody's.
  app.set("trust proxy", trustProxySetting(config.TRUST_PROXY));

  // Request limits (issue 17), before anything reads a body or a query: a byte budget counted
  // while reading (413, connection closed) and a screen for NUL / invalid UTF-8 in query strings.
  app.use(bodyBudget());
  app.use(queryScreen());

  app.use((_req, res, next) => {
    res.locals.nonce = crypto.randomBytes(16).toString("base64");
    // Cacheable pages swap the nonce for their scripts' hashes; a 304 keeps the stored policy.
    scriptPolicyOnHead(res);
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.nonce}'`],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:", "blob:"],
          "font-src": ["'self'"],
          "connect-src": ["'self'"],
          "object-src": ["'none'"],
          "base-uri": ["'self'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
        },
      },
      strictTransportSecurity: flag(config.HSTS) ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    next();
  });
  app.use(compression());

  // Requests on a host other than PUBLIC_URL's: QR codes would point elsewhere (logged once per host).
  app.use((req, _res, next) => {
    const warning = noteRequestHost(req.get("x-forwarded-host") ?? req.get("host"));
    if (warning) console.warn(warning);
    next();
  });

  app.get("/healthz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (await databaseAnswers()) res.json({ status: "ok", db: "ok" });
    else res.status(503).json({ status: "error", db: "unreachable" });
  });

  // Browsers ask for /favicon.ico on their own; the icon is an SVG.
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));

  const limiter = new RateLimiter(undefined, config.RATE_LIMIT_FACTOR);
  app.use((req, res, next) => {
    const refused = limiter.hit(req.ip ?? "?", req.method, req.path, req.get("content-type") ?? "");
    if (!refused) return next();
    res.setHeader("Retry-After", String(refused.retryAfter));
    if (req.path.startsWith("/api/")) res.status(429).json({ error: refused.rule.message });
    else res.status(429).type("text/plain; charset=utf-8").send(refused.rule.message);
  });

  app.use((req, res, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method) || sameOrigin(req)) return next();
    res.status(403).type("text/plain; charset=utf-8").send("Yêu cầu bị từ chối: nguồn gửi không hợp lệ (kiểm tra CSRF).");
  });

  // While the database looks down, answer 503 at once (Vietnamese page or JSON) instead of 500s;
  // each request re-checks, so the first one after the database returns goes through.
  app.use(async (req, res, next) => {
    if (!databaseSuspect() || (await databaseAnswers())) return next();
    res.setHeader("Retry-After", "10");
    res.setHeader("Cache-Control", "no-store");
    if (req.path.startsWith("/api/")) {
      res.status(503).json({ error: "Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau." });
    } else {
      res.status(503).type("html").send(UNAVAILABLE_PAGE);
    }
  });

  // Remix strips `?_data` from the URL before a loader runs, so the loader cannot tell a client-router
  // data request from a document request. A 304 to a data request reaches the router without its
  // X-Remix-Response header and shows the error page: data requests are never made conditional.
  app.use((req, _res, next) => {
    if ("_data" in req.query) {
      delete req.headers["if-none-match"];
      delete req.headers["if-modified-since"];
    }
    next();
  });

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: config.NODE_ENV,
      getLoadContext: (req, res) => ({ nonce: res.locals.nonce as string, clientIp: req.ip }),
    }),
  );
  app.use(bodyBudgetErrors);
  return app;
}

export async function loadBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
}

async function main() {
  const config = env();
  const handle = await openConfiguredDatabase();
  setDatabase(handle);
  if (handle.kind === "postgres" && config.MIGRATION_DATABASE_URL) {
    // Migrations as the owner role; the app keeps its restricted role (README, Configuration).
    const owner = openPostgres(config.MIGRATION_DATABASE_URL, { max: 1 });
    try {
      await prepareDatabase(owner);
      await grantAppRole(owner.db, roleOfUrl(config.DATABASE_URL!));
    } finally {
      await owner.close();
    }
  } else await prepareDatabase(handle);
  if (handle.kind === "postgres") await assertRestrictedRole(handle.db, { allowOwner: flag(config.ALLOW_OWNER_ROLE) });
  const wantDemo = flag(config.SEED_DEMO) || (config.SEED_DEMO === undefined && handle.kind === "pglite");
  if (wantDemo) {
    // The demo data lives outside the app (scripts/seed/), loaded only when asked — like the build.
    const { seedDemo } = (await import(pathToFileURL(path.resolve("scripts/seed/demo.ts")).href)) as { seedDemo: typeof SeedDemo };
    await seedDemo(handle.db, { log: (m: string) => console.log(m) });
  }
  // Files an interrupted process left behind (no row owns them) go before anything new is written.
  const swept = await cleanupStorage().catch((error) => {
    console.warn("Dọn tệp thừa thất bại:", error);
    return [];
  });
  if (swept.length) console.log(`Đã dọn ${swept.length} tệp/thư mục thừa trong thư mục tải lên.`);
  // Certificate batches a stop interrupted carry on (each certificate is rendered at most once).
  const resumed = await resumeJobs();
  if (resumed) console.log(`Tiếp tục ${resumed} lượt phát hành giấy chứng nhận.`);

  // The stored result hashes are recomputed daily; a mismatch is audited and logged (issue 13).
  scheduleDailyIntegrityCheck((m) => console.warn(m));
  // Messages a stop interrupted go back to the queue; the worker sends what is due (issue 16).
  await requeueInterrupted();
  const mail = startMailWorker();
  // Scoring reminders (3 days and 1 day before scoring closes), checked hourly.
  const reminders = setInterval(() => void sendScoringReminders().catch((e) => console.warn("Nhắc hạn chấm thất bại:", e)), 60 * 60_000);
  reminders.unref();
  if (!config.SMTP_URL) {
    const warn = config.NODE_ENV === "production" ? console.warn : console.log;
    warn("Chưa cấu hình SMTP_URL: thư được giữ ở hộp thư thử nghiệm /dev/mail (ai mở được trang này cũng đọc được thư; chỉ dùng cho bản chạy thử).");
  }

  const app = await createApp(await loadBuild());
  const urlWarning = startupWarning();
  if (urlWarning) console.warn(urlWarning);
  const server = app.listen(config.PORT, config.HOST, () => {
    console.log(
      `CNNT Tiêu biểu đang chạy tại http://localhost:${config.PORT} (${handle.kind === "pglite" ? `PGlite ${config.dataDir}` : "PostgreSQL"}); PUBLIC_URL=${config.PUBLIC_URL}`,
    );
  });
  const stop = async () => {
    server.close();
    await mail.stop().catch(() => {});
    await handle.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
