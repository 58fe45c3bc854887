/**
 * `npm run bench:load`: a publication-day load on loopback against PostgreSQL, for a bounded time.
 * - 200 visitors browse public pages (home, the 2016 round, product pages, search, verify, commendations);
 * - 30 jurors open, save and submit score sheets of a round in scoring (40 entries each);
 * - 10 owners upload photos through the real multipart form of /facility/products/:id.
 * Prints throughput and p50/p99 per action, then checks in the database and on disk: 0 errors,
 * every acknowledged submit stored exactly once, every acknowledged upload stored with all its
 * variant files. Exits 1 when a check fails.
 *
 * Environment: DATABASE_URL (default: a fresh database on postgres://postgres@127.0.0.1:5432,
 * dropped at the end), LOAD_SECONDS (30), LOAD_VISITORS (200), LOAD_JURORS (30), LOAD_OWNERS (10),
 * LOAD_THINK_MS (visitors' pause between pages, 0–2× this, default 250), LOAD_WARMUP_SECONDS (10: the
 * same mix first, not timed; its errors count), BENCH_CPU_PROF and BENCH_NODE_ARGS (lib.ts benchNodeArgs), BENCH_WORKERS (WEB_CONCURRENCY
 * of the server, 2 as issue 18 measures). Ends with issue 18's targets for this mix: public pages p99
 * ≤ 200 ms, 0 errors, 0 lost or doubled writes, each worker ≤ 300 MB RSS.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";

import { autoAssign } from "../../app/models/scoring/assignment.server";
import { certificates, entries, media, rounds, scoreSheets } from "../../db/schema";
import { createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { createTestUser, type TestUser } from "../factories/index";
import { councilJurors, createEligibleEntry, createOrganizer, createTestRound, pointsForTotal, setRoundStatus } from "../factories/scoring";
import {
  type AppProcess,
  createScratchDatabase,
  JURY_ROUTE_DATA,
  mediaFolder,
  PHOTO_FILES,
  photoForm,
  PRODUCT_ROUTE_DATA,
  startApp,
  tempDir,
  useDatabase,
} from "../faults/lib";
import { benchNodeArgs, benchWorkers, childPids, load, rssMb, startBaseline } from "./lib";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
/**
 * The same mix for this long first, its timings not counted (its errors are): the figures are those
 * of a server that has been answering, not of its first seconds (a new process's JIT, every page's
 * first render in each worker). Set 0 to measure a cold start.
 */
const WARMUP_SECONDS = Number(process.env.LOAD_WARMUP_SECONDS ?? 10);
const VISITORS = Number(process.env.LOAD_VISITORS ?? 200);
const JURORS = Number(process.env.LOAD_JURORS ?? 30);
const OWNERS = Number(process.env.LOAD_OWNERS ?? 10);
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 250);
/** Identical "Nộp phiếu" requests a juror sends at once (double clicks, several tabs): one wins, the rest get 409. */
const PARALLEL_SUBMITS = Number(process.env.LOAD_PARALLEL_SUBMITS ?? 5);
const ENTRIES = 40;
const PRODUCTS_PER_OWNER = 10;
const MAX_PHOTOS = 12;
const REQUEST_TIMEOUT_MS = 60_000;
const ROUND_SLUG = "2016-khu-vuc-phia-bac";
const SEARCHES = ["dau phu", "ninh binh", "gốm", "nuoc mam", "mây tre", "banh da", "hà nam", "cơ khí"];

interface Sample {
  ms: number;
  ok: boolean;
}
const samples = new Map<string, Sample[]>();
const failures: string[] = [];
let serverErrors = 0;
/** False during the warm-up: a request is only checked, not timed. */
let measuring = false;
let warmupRequests = 0;
let warmupErrors = 0;
function record(action: string, ms: number, ok: boolean, detail: string) {
  if (!ok && failures.length < 20) failures.push(`${measuring ? "" : "(warm-up) "}${action}: ${detail}`);
  if (!measuring) {
    warmupRequests++;
    if (!ok) warmupErrors++;
    return;
  }
  let list = samples.get(action);
  if (!list) samples.set(action, (list = []));
  list.push({ ms, ok });
}

/** One request, timed (body read included); a thrown error or an unexpected status counts as an error. */
async function timed<T>(
  action: string,
  url: string,
  init: RequestInit,
  accept: (res: Response, body: string) => T | undefined,
): Promise<T | undefined> {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await res.text();
    if (res.status >= 500) serverErrors++;
    const result = accept(res, body);
    record(action, performance.now() - started, result !== undefined, `${res.status} ${body.slice(0, 160)}`);
    return result;
  } catch (error) {
    record(action, performance.now() - started, false, String(error));
    return undefined;
  }
}

/**
 * A page (a visitor's, or a juror's sheet), timed to its last byte, as a browser would fetch it (compressed), through a
 * keep-alive connection of its own. The body is counted, not decompressed or decoded: with fetch,
 * decoding 200 visitors' pages took this process about a core and a half of the machine's two
 * (perf: UTF-8 decoding, inflate, GC), and its latencies were its own queue, not the server's.
 */
const pageAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
function timedPage(action: string, url: string, headers: Record<string, string> = {}): Promise<boolean> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (ok: boolean, detail: string) => {
      record(action, performance.now() - started, ok, detail);
      resolve(ok);
    };
    const send = (retry: boolean) => {
      const req = http.get(url, { agent: pageAgent, headers: { "Accept-Encoding": "gzip, deflate, br", ...headers }, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 500) serverErrors++;
        res.on("data", () => {});
        res.on("end", () => done(status === 200, String(status)));
        res.on("error", (error) => done(false, String(error)));
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed (idle past its keepAliveTimeout) just as this
        // request went out on it: sent again on a fresh one, once, as browsers do for a GET.
        const stale = req.reusedSocket && (error.code === "ECONNRESET" || error.message === "socket hang up");
        if (stale && retry) send(false);
        else done(false, String(error));
      });
    };
    send(true);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * A form accepted: since every successful POST redirects (with a one-time message), a data request
 * answers 204 with X-Remix-Redirect; a JSON `{ ok: true }` is accepted too.
 */
function succeeded(res: Response, body: string): boolean {
  if (res.status === 204 && res.headers.get("x-remix-redirect")) return true;
  try {
    return res.status === 200 && Boolean((JSON.parse(body) as { ok?: boolean }).ok);
  } catch {
    return false;
  }
}
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0;

async function main() {
  const startedAt = new Date();
  const external = process.env.DATABASE_URL;
  const scratch = external ? null : await createScratchDatabase("cnnt_load");
  const databaseUrl = external ?? scratch!.url;
  const tmp = tempDir("cnnt-load-");
  const uploadsDir = path.join(tmp, "uploads");
  let app: AppProcess | undefined;
  let handle: ReturnType<typeof useDatabase> | undefined;
  let failed = false;
  try {
    console.log(
      `# CNNT Tiêu biểu — load (${startedAt.toISOString()}, Node ${process.version}, PostgreSQL ${external ? "DATABASE_URL" : scratch!.name})`,
    );
    let t = Date.now();
    const workers = benchWorkers(databaseUrl);
    app = await startApp({
      databaseUrl,
      uploadsDir,
      seedDemo: true,
      env: { RATE_LIMIT_FACTOR: "100000", WEB_CONCURRENCY: String(workers) },
      startTimeoutMs: 300_000,
      nodeArgs: benchNodeArgs(),
    });
    for (let i = 0; workers > 1 && i < 400 && childPids(app.child.pid!).length < workers; i++) await sleep(50);
    const answering = () => (workers > 1 ? childPids(app!.child.pid!) : [app!.child.pid!]);
    console.log(`server started with the demo data in ${((Date.now() - t) / 1000).toFixed(1)} s, workers: ${workers} (pids ${answering().join(", ")})`);
    handle = useDatabase(databaseUrl);
    const database = handle.db;

    // ── the world: a round in scoring with 30 jurors on 40 entries, 10 owners with products ──
    t = Date.now();
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id, slug: `tai-thu-${Date.now().toString(36)}` });
    const jurors = await councilJurors({ roundId: round.id, actorId: organizer.id, count: JURORS, name: "Giám khảo tải" });
    const entryIds: number[] = [];
    for (let i = 0; i < ENTRIES; i++) entryIds.push((await createEligibleEntry({ roundId: round.id, groupNo: (i % 4) + 1 })).id);
    await setRoundStatus(round.id, "screening");
    if (jurors.length) await autoAssign({ roundId: round.id, actorId: organizer.id });
    await setRoundStatus(round.id, "scoring");
    const full = await pointsForTotal(round.id, 100);
    const leafIds = Object.keys(full);

    const owners: { user: TestUser; products: number[] }[] = [];
    for (let i = 0; i < OWNERS; i++) {
      const user = await createTestUser({ roles: ["facility"], fullName: `Chủ cơ sở tải ${i + 1}` });
      const facility = await createTestFacility(user.id, { name: `Cơ sở tải ${i + 1}` });
      const products: number[] = [];
      for (let k = 0; k < PRODUCTS_PER_OWNER; k++)
        products.push((await createTestProduct(user.id, facility.id, { name: `Sản phẩm tải ${i + 1}.${k + 1}` })).id);
      owners.push({ user, products });
    }
    const photos = ["camera-landscape.jpg", "camera-portrait.jpg", "camera-3.jpg", "phone.png"].map((name) => ({
      name,
      bytes: fixture(name),
      type: name.endsWith(".png") ? "image/png" : "image/jpeg",
    }));

    // Public targets from the demo data.
    const [published] = await database.select({ id: rounds.id }).from(rounds).where(eq(rounds.slug, ROUND_SLUG));
    if (!published) throw new Error(`demo round ${ROUND_SLUG} missing`);
    const productIds = (
      await database
        .select({ id: entries.productId })
        .from(entries)
        .where(and(eq(entries.roundId, published.id), eq(entries.status, "selected")))
    ).map((r) => r.id);
    const codes = (
      await database.select({ code: certificates.code }).from(certificates).where(isNotNull(certificates.code)).limit(500)
    ).map((r) => r.code);
    if (!productIds.length || !codes.length) throw new Error("demo data without published products or certificates");
    const pages: { action: string; path: () => string }[] = [
      { action: "visitor: home", path: () => "/" },
      { action: "visitor: round 2016", path: () => `/rounds/${ROUND_SLUG}` },
      { action: "visitor: product page", path: () => `/products/${pick(productIds)}` },
      { action: "visitor: search", path: () => `/search?q=${encodeURIComponent(pick(SEARCHES))}` },
      { action: "visitor: verify", path: () => `/verify/${pick(codes)}` },
      { action: "visitor: commendations", path: () => "/commendations" },
    ];
    console.log(
      `world ready in ${((Date.now() - t) / 1000).toFixed(1)} s: ${jurors.length} jurors × ${entryIds.length} entries, ${owners.length} owners × ${PRODUCTS_PER_OWNER} products, ${productIds.length} public products, ${codes.length} certificate codes`,
    );

    // ── the load ──
    const base = app.baseUrl;
    const deadline = Date.now() + (WARMUP_SECONDS + SECONDS) * 1000;
    const live = () => Date.now() < deadline;
    const submitted: { jurorId: string; entryId: number }[] = [];
    let badBursts = 0;
    const uploaded = new Map<number, number>();
    // The peak RSS of each process answering requests (the workers, or the server itself).
    const rssPeak = new Map<number, number>();
    const rssTimer = setInterval(() => {
      for (const pid of answering()) rssPeak.set(pid, Math.max(rssPeak.get(pid) ?? 0, rssMb(pid)));
    }, 500);

    const visitor = async () => {
      await sleep(Math.random() * 1000);
      while (live()) {
        const page = pick(pages);
        await timedPage(page.action, base + page.path());
        await sleep(Math.random() * 2 * THINK_MS);
      }
    };

    const juror = async (j: TestUser, index: number) => {
      // Each juror starts at a different entry so sheets are written all over the table.
      const order = entryIds.map((_, i) => entryIds[(i + index * 7) % entryIds.length]);
      for (const entryId of order) {
        if (!live()) return;
        const url = `${base}/jury/entries/${entryId}`;
        const opened = await timedPage("juror: open sheet", url, { Cookie: j.cookie });
        if (!opened || !live()) continue;
        const total = 60 + ((index * 13 + entryId) % 40);
        const points = await pointsForTotal(round.id, total).catch(() => full);
        const form = (intent: "save" | "submit", keys: string[]) => {
          // A submit is sent confirmed, as the dialog sends it (unconfirmed, the answer is the question).
          const body = new URLSearchParams({
            intent,
            ...(intent === "submit" ? { confirm: "1" } : {}),
            comment: `Phiếu của giám khảo ${index + 1}: đạt yêu cầu, trình bày rõ ràng.`,
          });
          for (const k of keys) body.set(`p.${k}`, points[k]);
          return body;
        };
        const post = (body: URLSearchParams) => ({
          method: "POST",
          headers: { Cookie: j.cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
          body,
        });
        const dataUrl = `${url}?_data=${encodeURIComponent(JURY_ROUTE_DATA)}`;
        const ok = (res: Response, body: string) => (succeeded(res, body) ? true : undefined);
        await timed("juror: save draft", dataUrl, post(form("save", leafIds.slice(0, Math.ceil(leafIds.length / 2)))), ok);
        await sleep(100);
        if (!live()) return;
        // The parallel-submit mix: a burst of identical submits; exactly one may be acknowledged.
        const burst = await Promise.all(
          Array.from({ length: Math.max(1, PARALLEL_SUBMITS) }, () =>
            timed("juror: submit sheet (burst)", dataUrl, post(form("submit", leafIds)), (res, body) =>
              res.status === 409 ? ("lost" as const) : ok(res, body) ? ("won" as const) : undefined,
            ),
          ),
        );
        const wins = burst.filter((b) => b === "won").length;
        if (wins === 1) submitted.push({ jurorId: j.id, entryId });
        if (wins > 1 || (wins === 0 && burst.every((b) => b === "lost"))) badBursts++;
        await sleep(100);
      }
    };

    const owner = async (o: (typeof owners)[number], index: number) => {
      let productIndex = 0;
      for (let n = 0; live(); n++) {
        const productId = o.products[productIndex];
        if ((uploaded.get(productId) ?? 0) >= MAX_PHOTOS) {
          if (++productIndex >= o.products.length) return;
          continue;
        }
        const photo = photos[(n + index) % photos.length];
        const done = await timed(
          "owner: upload photo",
          `${base}/facility/products/${productId}?_data=${encodeURIComponent(PRODUCT_ROUTE_DATA)}`,
          {
            method: "POST",
            headers: { Cookie: o.user.cookie, Origin: base },
            body: photoForm(photo.bytes, photo.name, photo.type),
          },
          (res, body) => (succeeded(res, body) ? true : undefined),
        );
        if (done) uploaded.set(productId, (uploaded.get(productId) ?? 0) + 1);
        await sleep(300);
      }
    };

    t = Date.now();
    measuring = WARMUP_SECONDS <= 0;
    const warmup = setTimeout(() => {
      measuring = true;
      t = Date.now();
    }, WARMUP_SECONDS * 1000);
    await Promise.all([
      ...Array.from({ length: VISITORS }, () => visitor()),
      ...jurors.map((j, i) => juror(j, i)),
      ...owners.map((o, i) => owner(o, i)),
    ]);
    clearInterval(rssTimer);
    clearTimeout(warmup);
    pageAgent.destroy();
    const elapsed = (Date.now() - t) / 1000;

    // ── the report ──
    let all: Sample[] = [];
    console.log(
      `\n## Load: ${VISITORS} visitors, ${JURORS} jurors, ${OWNERS} owners for ${SECONDS} s (ran ${elapsed.toFixed(1)} s), after ${WARMUP_SECONDS} s of the same mix not timed (${warmupRequests} requests, ${warmupErrors} errors)`,
    );
    console.log("| action | requests | req/s | p50 ms | p99 ms | max ms | errors |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const [action, list] of [...samples.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      all = all.concat(list);
      const ms = list.map((s) => s.ms).sort((a, b) => a - b);
      const errors = list.filter((s) => !s.ok).length;
      console.log(
        `| ${action} | ${list.length} | ${(list.length / elapsed).toFixed(1)} | ${quantile(ms, 0.5).toFixed(0)} | ${quantile(ms, 0.99).toFixed(0)} | ${ms[ms.length - 1].toFixed(0)} | ${errors} |`,
      );
    }
    const allMs = all.map((s) => s.ms).sort((a, b) => a - b);
    const errors = all.filter((s) => !s.ok).length;
    console.log(
      `| **all** | ${all.length} | ${(all.length / elapsed).toFixed(1)} | ${quantile(allMs, 0.5).toFixed(0)} | ${quantile(allMs, 0.99).toFixed(0)} | ${allMs[allMs.length - 1]?.toFixed(0)} | ${errors} |`,
    );
    const afterMix = answering().map((pid) => ({ pid, now: rssMb(pid), peak: rssPeak.get(pid) ?? 0 }));
    console.log(`RSS per worker after the mix (peak during it): ${afterMix.map((w) => `${w.pid}: ${w.now.toFixed(0)} MB (${w.peak.toFixed(0)} MB)`).join(", ")}`);
    for (const f of failures) console.log(`  error: ${f}`);

    // What one visitor alone sees on the warm server (the cost of each page without queueing), and
    // what a plain node:http server answering the home page's bytes reaches at the same concurrency
    // on this machine (its ceiling, shared with whatever else runs here).
    console.log("\n## One visitor alone (warm, 10 sequential requests per page)");
    console.log("| page | p50 ms | max ms | bytes |");
    console.log("|---|---:|---:|---:|");
    for (const page of pages) {
      const ms: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        const res = await fetch(base + page.path());
        bytes = (await res.arrayBuffer()).byteLength;
        ms.push(performance.now() - started);
      }
      ms.sort((a, b) => a - b);
      console.log(
        `| ${page.action.replace("visitor: ", "")} | ${quantile(ms, 0.5).toFixed(1)} | ${ms[ms.length - 1].toFixed(1)} | ${bytes} |`,
      );
    }
    const homeBytes = Buffer.from(await (await fetch(`${base}/`)).arrayBuffer());
    const baseline = await startBaseline(homeBytes, "text/html; charset=utf-8");
    try {
      const ceiling = await load("node:http, same bytes as /", baseline.url, { connections: VISITORS, duration: 5 });
      console.log(
        `machine ceiling: node:http answering the home page's ${homeBytes.length} bytes to ${VISITORS} connections: ${ceiling.rps.toFixed(0)} req/s, p99 ${ceiling.p99} ms`,
      );
    } finally {
      await baseline.close();
    }

    // ── the checks ──
    const checks: { name: string; ok: boolean; detail: string }[] = [];
    checks.push({ name: "no request failed", ok: errors + warmupErrors === 0, detail: `${errors + warmupErrors} errors of ${all.length + warmupRequests} (warm-up included)` });
    checks.push({ name: "no 5xx answer", ok: serverErrors === 0, detail: `${serverErrors} answers ≥ 500 (bursts of ${PARALLEL_SUBMITS} parallel submits included)` });
    checks.push({ name: "each parallel-submit burst acknowledged exactly once", ok: badBursts === 0, detail: `${badBursts} bursts with no winner or several` });

    const sheets = await database
      .select({ jurorId: scoreSheets.jurorId, entryId: scoreSheets.entryId, n: sql<number>`count(*)::int` })
      .from(scoreSheets)
      .where(and(eq(scoreSheets.roundId, round.id), eq(scoreSheets.status, "submitted")))
      .groupBy(scoreSheets.jurorId, scoreSheets.entryId);
    const stored = new Map(sheets.map((s) => [`${s.jurorId}:${s.entryId}`, s.n]));
    const lost = submitted.filter((s) => stored.get(`${s.jurorId}:${s.entryId}`) !== 1).length;
    const duplicated = sheets.filter((s) => s.n > 1).length;
    const unacknowledged = sheets.length - new Set(submitted.map((s) => `${s.jurorId}:${s.entryId}`)).size;
    checks.push({
      name: "every acknowledged submit stored once",
      ok: lost === 0 && duplicated === 0 && unacknowledged === 0 && (submitted.length > 0 || !JURORS),
      detail: `${submitted.length} acknowledged, ${sheets.length} submitted sheets in the database, ${lost} lost, ${duplicated} duplicated, ${unacknowledged} never acknowledged`,
    });

    const ownerProducts = owners.flatMap((o) => o.products);
    const rows = await database
      .select({ id: media.id, productId: media.productId })
      .from(media)
      .where(inArray(media.productId, ownerProducts));
    const acked = [...uploaded.values()].reduce((a, b) => a + b, 0);
    const perProductOk = ownerProducts.every((p) => rows.filter((r) => r.productId === p).length === (uploaded.get(p) ?? 0));
    const incomplete = rows.filter((r) => {
      const dir = mediaFolder(uploadsDir, r.id);
      return !fs.existsSync(dir) || JSON.stringify(fs.readdirSync(dir).sort()) !== JSON.stringify(PHOTO_FILES);
    });
    checks.push({
      name: "every acknowledged upload stored with all its variants",
      ok: perProductOk && incomplete.length === 0 && (acked > 0 || !OWNERS),
      detail: `${acked} acknowledged, ${rows.length} media rows, ${incomplete.length} without all ${PHOTO_FILES.length} files`,
    });

    console.log("\n## Checks");
    for (const c of checks) console.log(`- ${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`);
    failed = checks.some((c) => !c.ok);

    // Issue 18's targets for this mix (read, not asserted, like npm run bench).
    const publicMs = [...samples.entries()].filter(([a]) => a.startsWith("visitor: ")).flatMap(([, l]) => l.map((x) => x.ms)).sort((a, b) => a - b);
    const publicP99 = quantile(publicMs, 0.99);
    const maxRss = Math.max(0, ...afterMix.map((w) => w.now));
    const writesBad = lost + duplicated + unacknowledged + (perProductOk ? 0 : 1) + incomplete.length;
    const targets = [
      { figure: "public pages p99 (200 visitors)", value: `${publicP99.toFixed(0)} ms`, target: "≤ 200 ms", met: publicP99 <= 200 },
      { figure: "errors (every request of the mix, warm-up included)", value: String(errors + warmupErrors + serverErrors), target: "0", met: errors + warmupErrors + serverErrors === 0 },
      { figure: "lost or doubled writes (sheets, uploads)", value: String(writesBad), target: "0", met: writesBad === 0 },
      { figure: `RSS of each worker after the mix (${workers} workers)`, value: `${afterMix.map((w) => w.now.toFixed(0)).join(" / ")} MB`, target: "≤ 300 MB per worker", met: afterMix.length > 0 && maxRss <= 300 },
    ];
    console.log("\n## Issue 18 targets (bench:load)");
    console.log("| figure | measured | target | met |");
    console.log("|---|---:|---|---|");
    for (const r of targets) console.log(`| ${r.figure} | ${r.value} | ${r.target} | ${r.met ? "yes" : "NO"} |`);
  } finally {
    await app?.stop();
    await handle?.close().catch(() => {});
    await scratch?.drop().catch((error) => console.warn(`could not drop ${scratch.name}: ${String(error)}`));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
