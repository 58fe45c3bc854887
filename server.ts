/**
 * The express entry: security headers, compression, static build assets, /healthz, then Remix.
 * Opens the database (PostgreSQL with DATABASE_URL, else the embedded PGlite), applies the
 * migrations and, on a first embedded start, the demo data — all inside this one process.
 */
import cluster from "node:cluster";
import crypto from "node:crypto";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import { sql } from "drizzle-orm";
import express from "express";
import helmet from "helmet";

import { countRequest } from "./app/models/account/throttle.server";
import { startBackground } from "./app/models/shared/background.server";
import { cleanupStorage } from "./app/models/shared/storage-cleanup.server";
import { admission } from "./app/utils/admission.server";
import { compressInOnePiece } from "./app/utils/compress.server";
import { shareConnections, takeConnections } from "./app/utils/connections.server";
import { scriptPolicyOnHead } from "./app/utils/csp.server";
import { openPglite, openPostgres, ping, setDatabase, type DatabaseHandle } from "./app/utils/db.server";
import { env, flag, trustProxySetting } from "./app/utils/env.server";
import { expressClasses } from "./app/utils/express-classes.server";
import { databaseSuspect, markDatabaseHealthy, markDatabaseSuspect } from "./app/utils/health.server";
import { requestLogging, routeConsoleToLogger } from "./app/utils/log.server";
import { addressMatcher, registry as metricsRegistry } from "./app/utils/metrics.server";
import { capturePublicPage, pageBeingRendered, serveFromPageCache } from "./app/utils/page-cache.server";
import { startPublicStateListener } from "./app/utils/public-state.server";
import { noteRequestHost, startupWarning } from "./app/utils/public-url.server";
import { RateLimiter } from "./app/utils/rate-limit.server";
import { createRequestHandler } from "./app/utils/remix-express.server";
import { bodyBudget, bodyBudgetErrors, queryScreen, refusedOnLingeringConnection } from "./app/utils/request-limits.server";
import { startSessionCacheListener } from "./app/utils/session-cache.server";
import { storageDescription } from "./app/utils/storage/index.server";
import { prepareDatabase } from "./db/migrate";
import { assertRestrictedRole, grantAppRole, roleOfUrl } from "./db/roles";

export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const config = env();
  return config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : openPglite(config.dataDir);
}

/** Answers from the page cache if it can, noting the request's host (the answer skips the middleware that does). */
function fromPageCache(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (!serveFromPageCache(req, res)) return false;
  const warning = noteRequestHost(req.headers["x-forwarded-host"]?.toString() ?? req.headers.host);
  if (warning) console.warn(warning);
  return true;
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
    // The timer cleared once answered: left running it would hold this request (its closure) 3 s.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), 3000)));
    await Promise.race([ping(), timeout]).finally(() => clearTimeout(timer));
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
  // Requests and responses born with express's prototypes (what V8 makes of express's setPrototypeOf: express-classes.server.ts).
  expressClasses(app);
  // Rendered public pages from memory (app/utils/page-cache.server.ts; main() asks once before
  // express). A page another visitor is rendering right now: wait for it rather than render it again.
  app.use((req, res, next) => {
    if (fromPageCache(req, res)) return;
    const rendering = pageBeingRendered(req, res);
    if (!rendering) return next();
    void rendering.then(() => {
      if (!fromPageCache(req, res)) next();
    });
  });
  // Whose X-Forwarded-For to believe is configuration (TRUST_PROXY); by default nobody's.
  app.set("trust proxy", trustProxySetting(config.TRUST_PROXY));
  // A request id on every log line and the latency histogram by Remix route (issue 18, item 4).
  app.use(requestLogging(build));
  // Prometheus metrics, only for METRICS_ALLOW (the client address as TRUST_PROXY decides it).
  const metricsAllowed = addressMatcher(config.METRICS_ALLOW);
  app.get("/metrics", async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (!metricsAllowed(req.ip)) return void res.status(404).type("text/plain; charset=utf-8").send("Không tìm thấy trang.");
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });

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
  // Streams what is too long to hold; everything else is compressed in one piece (compress.server.ts).
  app.use(compression());
  app.use(compressInOnePiece);

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
  app.use((_req, res, next) => ((res.locals.staticFile = true), next()));
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // public/ holds files with an extension (favicon.svg): a page path is not looked up on disk (a stat
  // per request that always failed, on every signed-in page).
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((req, res, next) => (/\.[^/]+$/.test(req.path) ? publicFiles(req, res, next) : next()));
  app.use((_req, res, next) => ((res.locals.staticFile = false), next()));

  // Counted in the database, so a limit holds across every app process (issue 18).
  const limiter = new RateLimiter(undefined, config.RATE_LIMIT_FACTOR, { count: (input) => countRequest(input) });
  app.use(async (req, res, next) => {
    // The database down: let the request on to the 503 answer below rather than wait or fail here.
    if (databaseSuspect()) return next();
    const refused = await limiter.hit(req.ip ?? "?", req.method, req.path, req.get("content-type") ?? "").catch(() => null);
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

  // At most ACTIVE_REQUESTS at once in this process, page views first; a page stored meanwhile is
  // answered from the cache (app/utils/admission.server.ts).
  app.use(admission(config.ACTIVE_REQUESTS));
  app.use((req, res, next) => {
    if (!serveFromPageCache(req, res)) next();
  });
  // An anonymous GET that renders a public page leaves it in the page cache for the next visitors.
  app.use(capturePublicPage);

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

/**
 * The workers' V8 flags: the primary's, two heap bounds, the old space's growth and (with a worker for every core) GC on the
 * worker's own thread, unless the operator gave them (argv or NODE_OPTIONS win). V8 grows the young
 * generation to 3 × 16 MB under load; 8 MB semi-spaces cost a few more (cheap) scavenges and save ~30 MB per worker. An old-space limit of 512 MB (the used
 * heap right after the load mix, garbage included, is ~95 MB): under 1 GB V8 lets the old space
 * grow to ~1.6× what survived the last full collection instead of 4×, which left ~100 MB of
 * garbage in a worker's RSS after the mix (283 / 276 MB → 217 / 213 MB, same throughput).
 */
export function workerExecArgv(
  execArgv: string[],
  nodeOptions: string | undefined,
  spare: { workers: number; cores: number },
): string[] {
  const given = (flag: string) => [...execArgv, nodeOptions ?? ""].some((a) => a.includes(flag));
  return [
    ...execArgv,
    ...(given("--max-semi-space-size") ? [] : ["--max-semi-space-size=8"]),
    ...(given("--max-old-space-size") ? [] : ["--max-old-space-size=512"]),
    // Under 1 GB V8 lets the old space grow only ~1.5× what survived the last full collection; a
    // worker under load promotes ~13 MB/s of request objects (the same with 8 or 32 MB
    // semi-spaces), so it marked its whole heap every ~1.5 s, each time for ~140 ms at half speed
    // — the requests queued meanwhile were the sheet page's p99. Twice what survived: half as many
    // full collections (sheet page p99 / a reference's at the same CPU: 1.10–1.23× against
    // 1.16–1.65×, same CPU per page). The memory this costs is paid for by the libraries loaded
    // on first use (app/utils/on-first-use.server.ts).
    ...(given("--heap-growing-percent") ? [] : ["--heap-growing-percent=100"]),
    // As many workers as cores: V8's GC helper threads only take a core from another worker (and
    // from PostgreSQL on the same machine). On 2 cores with 2 workers, collecting on the worker's own
    // thread cost ~0.6 ms less CPU per sheet page (~12 % more pages per second) at the same p99.
    // `--no-single-threaded-gc` (argv or NODE_OPTIONS) keeps the helpers.
    ...(given("single-threaded-gc") || spare.workers < spare.cores ? [] : ["--single-threaded-gc"]),
  ];
}

export async function loadBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
}

/** Migrations (as the owner role when MIGRATION_DATABASE_URL is set), role check, demo data, start-up cleanup. */
async function prepare(handle: DatabaseHandle) {
  const config = env();
  if (handle.kind === "postgres") {
    // Migrations as the owner role (MIGRATION_DATABASE_URL); the app keeps its restricted role
    // (README, Configuration). One connection holding a lock: processes starting at once migrate in turn.
    const owner = openPostgres(config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL!, { max: 1 });
    try {
      await owner.db.execute(sql`select pg_advisory_lock(hashtext('cnnt:migrate'))`);
      await prepareDatabase(owner);
      if (config.MIGRATION_DATABASE_URL) await grantAppRole(owner.db, roleOfUrl(config.DATABASE_URL!));
      await owner.db.execute(sql`select pg_advisory_unlock(hashtext('cnnt:migrate'))`);
    } finally {
      await owner.close();
    }
  } else await prepareDatabase(handle);
  if (handle.kind === "postgres") await assertRestrictedRole(handle.db, { allowOwner: flag(config.ALLOW_OWNER_ROLE) });
  const wantDemo = flag(config.SEED_DEMO) || (config.SEED_DEMO === undefined && handle.kind === "pglite");
  if (wantDemo) {
    // The demo data lives outside the app (scripts/seed/), loaded only when asked — like the build.
    const { seedDemo } = await import("./scripts/seed/demo");
    await seedDemo(handle.db, { log: (m: string) => console.log(m) });
  }
  // Files an interrupted process left behind (no row owns them) go before anything new is written.
  const swept = await cleanupStorage().catch((error) => {
    console.warn("Dọn tệp thừa thất bại:", error);
    return [];
  });
  if (swept.length) console.log(`Đã dọn ${swept.length} tệp/thư mục thừa trong kho tệp (${storageDescription()}).`);
}

/**
 * WEB_CONCURRENCY > 1 on PostgreSQL: this primary prepares the database once, then forks that many
 * workers (node:cluster), hands each connection to the one with the fewest open
 * (connections.server.ts) and replaces one that dies. Jobs, rate limits and sessions are in the
 * database, so any worker answers any request.
 */
async function primary(workers: number, address: { port: number; host: string }) {
  const handle = await openConfiguredDatabase();
  setDatabase(handle);
  try {
    await prepare(handle);
  } finally {
    await handle.close();
  }
  let stopping = false;
  // glibc gives each thread that allocates its own malloc arena (libuv's pool, libvips, zlib): in a
  // worker that is tens of MB of RSS for nothing. Two arenas keep a worker within its 300 MB (issue 18);
  // an operator's own MALLOC_ARENA_MAX wins. glibc reads it at process start, so only workers get it.
  cluster.setupPrimary({
    execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS, { workers, cores: os.availableParallelism() }),
  });
  const connections = shareConnections(address);
  // A fixed mmap threshold: glibc otherwise raises it after each large free (up to 32 MB), and the
  // request bodies and pages of a busy worker then stay in its heap after they are freed.
  const fork = () =>
    connections.add(
      cluster.fork({
        CNNT_CLUSTER_WORKER: "1",
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2",
        MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? "131072",
      }),
    );
  for (let i = 0; i < workers; i++) fork();
  console.log(`Chạy ${workers} tiến trình (WEB_CONCURRENCY=${workers}) trên PostgreSQL.`);
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
      return;
    }
    console.warn(`Tiến trình ${worker.process.pid} dừng (${signal ?? code}); khởi động tiến trình thay thế.`);
    fork();
  });
  const stop = () => {
    stopping = true;
    connections.close();
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

async function main() {
  // One JSON object a line (pino), with the request id while a request is handled.
  routeConsoleToLogger();
  const config = env();
  const workers = config.WEB_CONCURRENCY;
  const inCluster = cluster.isWorker && process.env.CNNT_CLUSTER_WORKER === "1";
  if (!inCluster && workers > 1) {
    if (config.DATABASE_URL) return primary(workers, { port: config.PORT, host: config.HOST });
    console.warn(
      `WEB_CONCURRENCY=${workers}: cơ sở dữ liệu nhúng PGlite chỉ mở được trong một tiến trình, máy chủ chạy 1 tiến trình. Dùng PostgreSQL (DATABASE_URL) để chạy nhiều tiến trình.`,
    );
  }
  const handle = await openConfiguredDatabase();
  setDatabase(handle);
  if (!inCluster) await prepare(handle);

  // Jobs (certificate batches, mail, integrity check, sweeps, reminders) on the queue (issue 18).
  const background = await startBackground(handle);
  if (!config.SMTP_URL && !inCluster) {
    const warn = config.NODE_ENV === "production" ? console.warn : console.log;
    warn(
      "Chưa cấu hình SMTP_URL: thư được giữ ở hộp thư thử nghiệm /dev/mail (ai mở được trang này cũng đọc được thư; chỉ dùng cho bản chạy thử).",
    );
  }

  // The public-state version in memory, changed by the database (LISTEN cnnt_public_state).
  const unlisten = await startPublicStateListener(handle);
  // The signed-in user of a session in memory for GETs, dropped by the database (LISTEN cnnt_sessions).
  const unlistenSessions = await startSessionCacheListener(handle);

  const app = await createApp(await loadBuild());
  const urlWarning = startupWarning();
  if (urlWarning && !inCluster) console.warn(urlWarning);
  // A stored public page is answered before express runs (no middleware, no routing).
  const server = http.createServer(expressClasses(app), (req, res) => {
    if (refusedOnLingeringConnection(req)) return;
    if (!fromPageCache(req, res)) app(req, res);
  });
  const running = () =>
    console.log(
      `CNNT Tiêu biểu đang chạy tại http://localhost:${config.PORT} (${handle.kind === "pglite" ? `PGlite ${config.dataDir}` : "PostgreSQL"}${inCluster ? `, tiến trình ${process.pid}` : ""}); PUBLIC_URL=${config.PUBLIC_URL}`,
    );
  // A worker serves the connections its primary hands it; a process of its own listens.
  if (inCluster) {
    takeConnections(server);
    running();
  } else server.listen(config.PORT, config.HOST, running);
  const stop = async () => {
    server.close();
    await Promise.all([unlisten(), unlistenSessions()]).catch(() => {});
    await background.stop().catch(() => {});
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
