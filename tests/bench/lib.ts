/**
 * Shared pieces for `npm run bench`: start the production server, a plain node:http baseline that
 * answers the same bytes, and autocannon runs reported as req/s, p50, p99 and ratios.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import autocannon from "autocannon";

import { freePort, startApp } from "../setup/app-process";

export { freePort };

export interface RunningServer {
  baseUrl: string;
  pid: number;
  /** WEB_CONCURRENCY the server runs with (1: the process itself answers). */
  workers: number;
  /** The processes that answer requests: the cluster's workers, or the server itself. */
  workerPids(): number[];
  /** What the server has written to stdout so far (its JSON log lines). */
  log(): string;
  stop(): Promise<void>;
}

/** The cluster primary's workers: its child processes that run the server (not a helper such as esbuild's). */
export function childPids(pid: number): number[] {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return children.filter((child) => {
      try {
        const cmdline = fs.readFileSync(`/proc/${child}/cmdline`, "utf8");
        return cmdline.includes("server.ts") || cmdline.includes("build/server/index.js");
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}

/** Resident memory of a process, in MB (0 once it is gone). */
export function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * Issue 18 measures on PostgreSQL with 2 workers (BENCH_WORKERS); PGlite is one process whatever is asked.
 */
export function benchWorkers(databaseUrl: string | undefined): number {
  return databaseUrl ? Math.max(1, Number(process.env.BENCH_WORKERS ?? 2)) : 1;
}

/**
 * Node flags for a benchmarked server. BENCH_CPU_PROF=folder: every server process writes a V8 CPU
 * profile there when it stops (issue 18, item 5); BENCH_NODE_ARGS: more flags (e.g.
 * "--heapsnapshot-signal=SIGUSR2").
 */
export function benchNodeArgs(): string[] {
  return [
    ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
  ];
}

/** The production build on a free port, with a fresh database and the demo data. */
export async function startAppServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-bench-"));
  const workers = benchWorkers(extraEnv.DATABASE_URL);
  const app = await startApp({
    databaseUrl: extraEnv.DATABASE_URL,
    dataDir: path.join(tmp, "data"),
    uploadsDir: path.join(tmp, "uploads"),
    // BENCH_NO_DEMO=1 (with BENCH_SKIP_PAGES=1): no demo data, for profiling the juror and vote figures.
    seedDemo: !process.env.BENCH_NO_DEMO,
    startTimeoutMs: 300_000,
    // The load comes from one address; the per-client limits would answer it with 429s.
    env: { RATE_LIMIT_FACTOR: "100000", WEB_CONCURRENCY: String(workers), ...extraEnv },
    nodeArgs: benchNodeArgs(),
  });
  const pid = app.child.pid!;
  if (workers > 1) {
    // /healthz answered once one worker listens: wait for all of them.
    for (let i = 0; i < 400 && childPids(pid).length < workers; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000));
  }
  return {
    baseUrl: app.baseUrl,
    pid,
    workers,
    workerPids: () => (workers > 1 ? childPids(pid) : [pid]),
    log: () => app.log(),
    async stop() {
      await app.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** CPU time (ms) a process has used so far (user + system; 0 once it is gone). */
function cpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving the current database (the app's pool among them; this process's own too). */
async function databaseBackendPids(): Promise<number[]> {
  const { db } = await import("../../app/utils/db.server");
  const { sql } = await import("drizzle-orm");
  const result = (await db().execute(sql`select pid from pg_stat_activity where datname = current_database()`)) as unknown as
    { pid: number }[] | { rows: { pid: number }[] };
  return (Array.isArray(result) ? result : result.rows).map((r) => Number(r.pid));
}

export interface CpuShare {
  /** CPU (ms) per counted unit: the server's workers, PostgreSQL's backends, this load-generating process. */
  workers: number;
  database: number;
  client: number;
}

/**
 * Runs `work` and says where the machine's CPU went during it, per unit of what `work` returns (a
 * request, a submission): the figure behind a throughput on 2 shared cores (issue 18, item 5).
 */
export async function cpuPer(
  server: Pick<RunningServer, "workerPids">,
  work: () => Promise<number>,
): Promise<CpuShare & { units: number }> {
  // Per process: one that starts during the run counts from 0, one that ends during it is lost.
  const sample = (pids: number[]) => new Map(pids.map((pid) => [pid, cpuMs(pid)]));
  const spent = (before: Map<number, number>, pids: number[]) =>
    pids.reduce((total, pid) => total + cpuMs(pid) - (before.get(pid) ?? 0), 0);
  const workerPids = server.workerPids();
  const before = { workers: sample(workerPids), database: sample(await databaseBackendPids()), client: process.cpuUsage() };
  const units = await work();
  const client = process.cpuUsage(before.client);
  const per = (ms: number) => ms / Math.max(1, units);
  return {
    units,
    workers: per(spent(before.workers, workerPids)),
    database: per(spent(before.database, await databaseBackendPids())),
    client: per((client.user + client.system) / 1000),
  };
}

export const formatCpu = (share: CpuShare) =>
  `CPU per unit: workers ${share.workers.toFixed(2)} ms, PostgreSQL ${share.database.toFixed(2)} ms, load generator ${share.client.toFixed(2)} ms`;

/**
 * Waits until the server's processes are quiet (each under 10% of a core over half a second, twice
 * in a row; at most `maxMs`): what a benchmark's setup started in the background (the public state
 * read again after its NOTIFYs, mail to the council, jobs) is not counted in the next figure.
 */
export async function settle(server: Pick<RunningServer, "workerPids">, maxMs = 30_000): Promise<void> {
  const started = Date.now();
  let quiet = 0;
  let before = server.workerPids().map(cpuMs);
  while (quiet < 2 && Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 500));
    const now = server.workerPids().map(cpuMs);
    quiet = now.every((ms, i) => ms - (before[i] ?? 0) < 50) ? quiet + 1 : 0;
    before = now;
  }
}

/** A plain node:http server answering fixed bytes: the ceiling this machine allows. */
export async function startBaseline(body: Buffer, contentType: string): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": contentType, "Content-Length": body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

export interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** The answers' status codes and how many of each ("200 × 1,812, 429 × 40"). */
  statuses: string;
  /** The mean latency of the slowest and of the fastest connection (a worker that has more of them, or less CPU, shows here). */
  spread: string;
  bytes: number;
  /** Answers counted in the run, and its length in seconds. */
  total: number;
  seconds: number;
}

/** Seconds of the same load, not counted, before a measured run (BENCH_WARMUP; issue 18's figures are a running server's). */
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 2);

export async function load(
  name: string,
  url: string,
  options: { connections?: number; duration?: number; headers?: Record<string, string>; warmup?: number } = {},
): Promise<Figures> {
  const connections = options.connections ?? 50;
  if (options.warmup) await autocannon({ url, connections, duration: options.warmup, headers: options.headers });
  const run = autocannon({
    url,
    connections,
    duration: options.duration ?? Number(process.env.BENCH_SECONDS ?? 5),
    headers: options.headers,
  }) as ReturnType<typeof autocannon> & { on(event: "response", listener: (client: object, status: number, bytes: number, ms: number) => void): void };
  const perConnection = new Map<object, { sum: number; n: number }>();
  run.on("response", (client, _status, _bytes, ms) => {
    const seen = perConnection.get(client) ?? { sum: 0, n: 0 };
    seen.sum += ms;
    seen.n++;
    perConnection.set(client, seen);
  });
  const result = await run;
  const means = [...perConnection.values()].map((c) => c.sum / c.n);
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses: Object.entries((result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})
      .map(([code, stat]) => `${code} × ${stat.count}`)
      .join(", "),
    spread: means.length ? `${Math.min(...means).toFixed(0)}–${Math.max(...means).toFixed(0)} ms` : "—",
    bytes: result.throughput.average / Math.max(1, result.requests.average),
    total: result.requests.total,
    seconds: result.duration,
  };
}

export function printTable(title: string, rows: Figures[], baseline?: Figures) {
  console.log(`\n## ${title}`);
  console.log("| target | req/s | p50 ms | p99 ms | errors | non-2xx | ratio to baseline |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const ratio = baseline ? (r.rps / baseline.rps).toFixed(2) : "—";
    console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${ratio} |`);
  }
}
