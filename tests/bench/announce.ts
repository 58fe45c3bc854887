/**
 * Issue 18's benchmark table (announcement day), printed by `npm run bench` first: each public page
 * with `Accept-Encoding: gzip` and 50 connections against a plain node:http server in its own process
 * answering the very same status, headers and compressed bytes; the 304 of the round page against
 * the plain server's 304; the RSS of the app process after the load. Every figure is printed with its
 * target and whether it is met (read, not asserted). Each measured run, the app's and the plain
 * server's, follows WARMUP_SECONDS of the same load that is not counted.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import { type Figures, load, rssMb, type RunningServer, WARMUP_SECONDS } from "./lib";

const ROUND = "/rounds/2016-khu-vuc-phia-bac";

export interface Raw {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** One GET with node:http (fetch would decode the body): the bytes as sent. */
export function rawGet(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !["date", "connection", "keep-alive", "transfer-encoding"].includes(k)) out[k] = v;
          resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
        });
      })
      .on("error", reject);
  });
}

/**
 * A server in its own process answering `raw`: the plain one (baseline-process.ts), or another
 * script of this folder reading the same spec with `extra` fields (reference-process.ts).
 */
export async function baselineProcess(raw: Raw, script = "baseline-process.ts", extra: Record<string, unknown> = {}): Promise<{ url: string; stop(): void }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-baseline-")), "spec.json");
  const headers = { ...raw.headers };
  if (raw.status !== 304 && !headers["content-length"]) headers["content-length"] = String(raw.body.length);
  fs.writeFileSync(file, JSON.stringify({ ...extra, status: raw.status, headers, body: raw.body.toString("base64") }));
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/bench", script), file], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", () => reject(new Error("baseline exited")));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill("SIGTERM") };
}

interface Row {
  figure: string;
  value: string;
  target: string;
  met: boolean | null;
}
const rows: Row[] = [];
const GZIP = { "Accept-Encoding": "gzip" };

async function pageAgainstPlain(server: RunningServer, name: string, pathname: string, headers: Record<string, string> = GZIP, conditional = false) {
  // Warm: the first anonymous GET renders and stores the page.
  for (let i = 0; i < 3; i++) await rawGet(server.baseUrl + pathname, GZIP);
  const sample = await rawGet(server.baseUrl + pathname, GZIP);
  const h = conditional ? { ...headers, "If-None-Match": String(sample.headers.etag ?? "") } : headers;
  const answer = conditional ? await rawGet(server.baseUrl + pathname, h) : sample;
  const plain = await baselineProcess(answer);
  let base: Figures;
  try {
    base = await load(`plain`, plain.url, { headers: h, warmup: WARMUP_SECONDS });
  } finally {
    plain.stop();
  }
  const app = await load(name, server.baseUrl + pathname, { headers: h, warmup: WARMUP_SECONDS });
  const ratio = app.rps / base.rps;
  console.log(
    `| ${name} | ${answer.status} | ${answer.body.length} | ${answer.headers["x-cache"] ?? "—"} | ${base.rps.toFixed(0)} | ${base.p99} | ${app.rps.toFixed(0)} | ${ratio.toFixed(2)}× | ${app.p50} | ${app.p99} | ${app.errors + app.non2xx - (conditional ? app.non2xx : 0)} |`,
  );
  rows.push({ figure: `${name}: ratio to plain`, value: `${ratio.toFixed(2)}×`, target: "≥ 0.5×", met: ratio >= 0.5 });
  if (!conditional) rows.push({ figure: `${name}: p99`, value: `${app.p99} ms`, target: "≤ 50 ms", met: app.p99 <= 50 });
}

export async function benchAnnouncement(server: RunningServer) {
  const firstProduct = /<loc>[^<]*(\/products\/\d+)<\/loc>/.exec(await (await fetch(`${server.baseUrl}/sitemap.xml`)).text())?.[1] ?? "/products/1";
  console.log(`\n# Announcement day (issue 18): PostgreSQL=${process.env.DATABASE_URL ? "yes" : "no (PGlite)"}, workers: ${server.workers}${server.workers > 1 ? ` (WEB_CONCURRENCY, node:cluster; pids ${server.workerPids().join(", ")})` : " (one app process)"}, 50 connections, Accept-Encoding: gzip, plain node:http in its own process`);
  console.log("| page | status | bytes sent | X-Cache | plain req/s | plain p99 ms | app req/s | ratio | app p50 ms | app p99 ms | errors |");
  console.log("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
  await pageAgainstPlain(server, "round page (2016 Bắc, 73 products)", ROUND);
  await pageAgainstPlain(server, "home page", "/");
  await pageAgainstPlain(server, "product page", firstProduct);
  await pageAgainstPlain(server, "commendations", "/commendations");
  await pageAgainstPlain(server, "round page 304 (If-None-Match)", ROUND, GZIP, true);
  return rows;
}

/** Each worker's RSS (the largest decides), after everything run so far. */
export function workerMemoryRow(server: RunningServer, after: string): Row {
  const each = server.workerPids().map((pid) => rssMb(pid));
  const max = Math.max(0, ...each);
  return { figure: `RSS of each worker after ${after}`, value: `${each.map((m) => m.toFixed(0)).join(" / ")} MB`, target: "≤ 300 MB per worker", met: each.length > 0 && max <= 300 };
}

/** The closing table: every figure with its target and whether it is met. */
export function printTargets(extra: Row[] = []) {
  console.log("\n## Issue 18 targets");
  console.log("| figure | measured | target | met |");
  console.log("|---|---:|---|---|");
  for (const r of [...rows, ...extra]) console.log(`| ${r.figure} | ${r.value} | ${r.target} | ${r.met === null ? "not measured" : r.met ? "yes" : "NO"} |`);
}
export type { Row };
