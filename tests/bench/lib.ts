/**
 * Shared pieces for `npm run bench`: start the production server, a plain node:http baseline that
 * answers the same bytes, and autocannon runs reported as req/s, p50, p99 and ratios.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import autocannon from "autocannon";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface RunningServer {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** The production build on a free port, with a fresh database and the demo data. */
export async function startAppServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-bench-"));
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: path.join(tmp, "data"),
      UPLOADS_DIR: path.join(tmp, "uploads"),
      PUBLIC_URL: baseUrl,
      SEED_DEMO: "1",
      // The load comes from one address; the per-client limits would answer it with 429s.
      RATE_LIMIT_FACTOR: "100000",
      ...extraEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error("server exited during start");
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    baseUrl,
    pid: child.pid!,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      child.kill("SIGKILL");
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
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
  bytes: number;
}

export async function load(name: string, url: string, options: { connections?: number; duration?: number; headers?: Record<string, string> } = {}): Promise<Figures> {
  const result = await autocannon({
    url,
    connections: options.connections ?? 50,
    duration: options.duration ?? Number(process.env.BENCH_SECONDS ?? 5),
    headers: options.headers,
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    bytes: result.throughput.average / Math.max(1, result.requests.average),
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
