/**
 * Prometheus metrics (prom-client) of this process, served at /metrics to the addresses in
 * METRICS_ALLOW (server.ts). Other modules import the counters they feed:
 *   the public page cache's counters and size are read from app/utils/page-cache.server.ts on each scrape;
 *   jobFailures — a job queue's failed runs (`.inc({ queue })`);
 *   setQueueDepthSource — a queue's depth, read on each scrape.
 * Request latency is recorded per Remix route id (`routes/rounds.$slug`), never per raw URL, so the
 * number of series stays bounded.
 */
import { BlockList, isIP } from "node:net";

import type { ServerBuild } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { sql } from "drizzle-orm";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

import { admissionStats } from "./admission.server";
import { databaseHandle } from "./db.server";
import { PAGE_CACHE_LIMITS, pageCacheSize, pageCacheStats } from "./page-cache.server";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "cnnt_" });

export const httpDuration = new Histogram({
  name: "cnnt_http_request_duration_seconds",
  help: "Time to answer a request, by Remix route id (or a fixed name for non-Remix paths), method and status class",
  labelNames: ["route", "method", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

// The public page cache (app/utils/page-cache.server.ts) counts in this process; read on each scrape.
const pageCounter = (name: string, help: string, read: () => number) =>
  new Counter({
    name,
    help,
    labelNames: ["cache"] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ cache: "page" }, read());
    },
  });
const pageGauge = (name: string, help: string, read: () => number) =>
  new Gauge({
    name,
    help,
    labelNames: ["cache"] as const,
    registers: [registry],
    collect() {
      this.set({ cache: "page" }, read());
    },
  });
const admissionGauge = (name: string, help: string, read: (stats: NonNullable<ReturnType<typeof admissionStats>>) => number) =>
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const stats = admissionStats();
      if (stats) this.set(read(stats));
    },
  });
admissionGauge("cnnt_admission_active", "Requests being worked on now (at most ACTIVE_REQUESTS)", (s) => s.active);
admissionGauge("cnnt_admission_waiting", "Requests waiting for their turn now", (s) => s.waiting);
admissionGauge("cnnt_admission_queued_total", "Requests that had to wait for a turn, since start", (s) => s.queued);
admissionGauge("cnnt_admission_lease_expired_total", "Requests that held their turn until the 5 s lease ran out, since start", (s) => s.leaseExpired);
pageCounter("cnnt_page_cache_hits_total", "Anonymous public requests answered from the page cache (200 and 304)", () => pageCacheStats.hits + pageCacheStats.notModified);
pageCounter("cnnt_page_cache_not_modified_total", "Of the hits, answers 304 to a matching If-None-Match", () => pageCacheStats.notModified);
pageCounter("cnnt_page_cache_misses_total", "Anonymous public GETs the cache could not answer (rendered, then stored if cacheable)", () => pageCacheStats.misses);
pageCounter("cnnt_page_cache_waited_total", "Anonymous requests that waited for another request's render of the same page (then answered from the cache)", () => pageCacheStats.waited);
pageCounter("cnnt_page_cache_stored_total", "Pages stored in the page cache", () => pageCacheStats.stored);
pageCounter("cnnt_page_cache_evicted_total", "Pages pushed out of the page cache by its bounds (least recently used)", () => pageCacheStats.evicted);
pageCounter("cnnt_page_cache_cleared_total", "Times the page cache emptied because the public state changed", () => pageCacheStats.cleared);
pageGauge("cnnt_page_cache_entries", `Pages in the page cache now (at most ${PAGE_CACHE_LIMITS.entries})`, () => pageCacheSize().entries);
pageGauge("cnnt_page_cache_bytes", `Bytes held by the page cache now, every encoding counted (at most ${PAGE_CACHE_LIMITS.bytes})`, () => pageCacheSize().bytes);
export const jobFailures = new Counter({ name: "cnnt_job_failures_total", help: "Failed job runs, by queue", labelNames: ["queue"] as const, registers: [registry] });

const queueSources = new Map<string, () => Promise<number>>();
/** Registers how to read a queue's depth; read on every scrape (a queue module calls this at start). */
export function setQueueDepthSource(queue: string, read: () => Promise<number>) {
  queueSources.set(queue, read);
}

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await databaseHandle().db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

// Until a job queue exists the outbox is the queue: messages waiting to be sent, and those given up.
setQueueDepthSource("outbox", async () => Number((await rows<{ n: number }>(sql`select count(*)::int as n from outbox where status in ('queued', 'sending')`))[0]?.n ?? 0));

new Gauge({
  name: "cnnt_queue_depth",
  help: "Work waiting in a queue (today: outbox messages not yet sent)",
  labelNames: ["queue"] as const,
  registers: [registry],
  async collect() {
    for (const [queue, read] of queueSources) this.set({ queue }, await read().catch(() => Number.NaN));
  },
});

new Gauge({
  name: "cnnt_outbox_backlog",
  help: "Outbox messages by status (queued and sending are the backlog; failed were given up after 8 attempts)",
  labelNames: ["status"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const found = await rows<{ status: string; n: number }>(sql`select status, count(*)::int as n from outbox group by status`).catch(() => []);
    for (const s of ["queued", "sending", "sent", "failed"]) this.set({ status: s }, found.find((r) => r.status === s)?.n ?? 0);
  },
});

new Gauge({
  name: "cnnt_job_failed",
  help: "Failed work on record, by queue (outbox messages given up, certificate batches failed)",
  labelNames: ["queue"] as const,
  registers: [registry],
  async collect() {
    const [mail] = await rows<{ n: number }>(sql`select count(*)::int as n from outbox where status = 'failed'`).catch(() => [{ n: Number.NaN }]);
    const [jobs] = await rows<{ n: number }>(sql`select count(*)::int as n from jobs where status = 'failed'`).catch(() => [{ n: Number.NaN }]);
    this.set({ queue: "outbox" }, mail?.n ?? 0);
    this.set({ queue: "certificates" }, jobs?.n ?? 0);
  },
});

new Gauge({
  name: "cnnt_db_pool_connections",
  help: "Database connections of this process by state (PostgreSQL: pg_stat_activity of this process's application_name; PGlite: one in-process connection)",
  labelNames: ["state"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const handle = databaseHandle();
    if (handle.kind === "pglite") {
      this.set({ state: "max" }, 1);
      return;
    }
    this.set({ state: "max" }, handle.poolMax ?? 0);
    const found = await rows<{ state: string | null; n: number }>(
      sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity where application_name = ${applicationName()} group by 1`,
    ).catch(() => []);
    for (const r of found) this.set({ state: r.state ?? "unknown" }, r.n);
  },
});

/** The application_name this process's PostgreSQL connections carry (db.server.ts sets it). */
export function applicationName() {
  return `cnnt-${process.pid}`;
}

// ───────────────────────── route ids ─────────────────────────

const ROUTE_MEMO = 5000;

/** Finds the Remix route id (the deepest match) for a path, from the server build's route table. */
export function routeIdMatcher(build: ServerBuild): (pathname: string) => string {
  const manifest = build.routes;
  const childrenOf = (parentId: string | undefined): AgnosticRouteObject[] =>
    Object.values(manifest)
      .filter((r) => r?.parentId === parentId)
      .map((r) => (r!.index ? { id: r!.id, index: true as const, path: r!.path } : { id: r!.id, path: r!.path, children: childrenOf(r!.id) }));
  const tree = childrenOf(undefined);
  // matchRoutes ranks the whole route table on every call (a tenth of a signed-in page's CPU in the
  // issue-18 profile): answers are remembered per path, at most ROUTE_MEMO paths, then started afresh.
  const memo = new Map<string, string>();
  return (pathname) => {
    let id = memo.get(pathname);
    if (id === undefined) {
      const matches = matchRoutes(tree, pathname);
      id = (matches?.length ? matches[matches.length - 1].route.id : undefined) ?? "unmatched";
      if (memo.size >= ROUTE_MEMO) memo.clear();
      memo.set(pathname, id);
    }
    return id;
  };
}

// ───────────────────────── who may read /metrics ─────────────────────────

/**
 * METRICS_ALLOW as a matcher: addresses and CIDRs separated by commas; "loopback" stands for
 * 127.0.0.0/8 and ::1. IPv4 addresses seen as IPv6 (`::ffff:127.0.0.1`) are compared as IPv4.
 * @throws Error for an entry that is neither.
 */
export function addressMatcher(setting: string): (address: string | undefined) => boolean {
  const list = new BlockList();
  for (const raw of setting.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (raw === "loopback") {
      list.addSubnet("127.0.0.0", 8, "ipv4");
      list.addAddress("::1", "ipv6");
      continue;
    }
    const [addr, bits] = raw.split("/");
    const family = isIP(addr);
    if (!family || (bits !== undefined && !/^\d{1,3}$/.test(bits))) throw new Error(`METRICS_ALLOW: “${raw}” không phải địa chỉ IP hoặc CIDR.`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return (address) => {
    if (!address) return false;
    const a = address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(a);
    return family ? list.check(a, family === 4 ? "ipv4" : "ipv6") : false;
  };
}
