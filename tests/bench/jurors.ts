/**
 * Issue 18's juror figures, on the app process of `npm run bench` (PostgreSQL): a signed-in juror's
 * sheet page under 50 connections (not cacheable), and 30 jurors submitting score sheets at the same
 * moment, 10 times over (each POST a real form submission with the juror's session).
 */
import http from "node:http";

import { eq } from "drizzle-orm";

import { autoAssign } from "../../app/models/scoring/assignment.server";
import { db } from "../../app/utils/db.server";
import { assignments } from "../../db/schema";
import { councilJurors, createEligibleEntry, createOrganizer, createTestRound, pointsForTotal, setRoundStatus } from "../factories/scoring";
import { JURY_ROUTE_DATA } from "../faults/lib";
import { baselineProcess, rawGet, type Row } from "./announce";
import { type CpuShare, cpuPer, type Figures, formatCpu, freePort, load, type RunningServer, settle, WARMUP_SECONDS } from "./lib";

const JURORS = 30;
const WAVES = 10;
const WARM_WAVES = 5;
const ENTRIES = 40;
/** The sheet page's load before its figure (BENCH_JUROR_WARMUP), and the figure's own seconds. */
const JUROR_WARMUP_SECONDS = Number(process.env.BENCH_JUROR_WARMUP ?? 30);
const JUROR_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** The value at fraction `q` of the times (0 when there are none). */
function percentile(times: number[], q: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : 0;
}

/**
 * The server's request log lines for `method` `path` (JSON lines; other output skipped): each one's
 * time in the worker, the part waiting for an admission slot, and the rest.
 */
function serverTimes(log: string, method: string, path: string): { total: number[]; queued: number[]; working: number[] } {
  const times = { total: [] as number[], queued: [] as number[], working: [] as number[] };
  for (const line of log.split("\n")) {
    if (!line.includes(path)) continue;
    let entry: { msg?: string; method?: string; path?: string; ms?: number; queuedMs?: number };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue; // not a log line
    }
    if (entry.msg !== "request" || entry.method !== method || entry.path !== path || typeof entry.ms !== "number") continue;
    const queued = entry.queuedMs ?? 0;
    times.total.push(entry.ms);
    times.queued.push(queued);
    times.working.push(entry.ms - queued);
  }
  return times;
}

/** One POST through node:http on a keep-alive agent: its status and X-Remix-Redirect. */
function post(
  agent: http.Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; redirect: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { ...headers, "Content-Length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, redirect: res.headers["x-remix-redirect"]?.toString() }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function benchJurors(server: RunningServer): Promise<Row[]> {
  const baseUrl = server.baseUrl;
  const organizer = await createOrganizer();
  const round = await createTestRound({ actorId: organizer.id, slug: `bench-jury-${Date.now().toString(36)}` });
  const jurors = await councilJurors({ roundId: round.id, actorId: organizer.id, count: JURORS, name: "Giám khảo đo" });
  const entryIds: number[] = [];
  for (let i = 0; i < ENTRIES; i++) entryIds.push((await createEligibleEntry({ roundId: round.id, groupNo: (i % 4) + 1 })).id);
  await setRoundStatus(round.id, "screening");
  await autoAssign({ roundId: round.id, actorId: organizer.id });
  await setRoundStatus(round.id, "scoring");
  const points = await pointsForTotal(round.id, 82);
  const mine = new Map<string, number[]>();
  for (const a of await db()
    .select({ jurorId: assignments.jurorId, entryId: assignments.entryId })
    .from(assignments)
    .where(eq(assignments.roundId, round.id))) {
    mine.set(a.jurorId, [...(mine.get(a.jurorId) ?? []), a.entryId]);
  }
  const firstEntry = mine.get(jurors[0].id)![0];
  await settle(server);

  // The sheet page of one juror, 50 connections. A running server's figure: V8 goes on compiling
  // the route's code for some 20–30 s of this load (in the lab the page's CPU per request fell by
  // ~30 % over that time), so the first 3 s are printed apart and the figure follows
  // JUROR_WARMUP_SECONDS of the same load.
  const sheetUrl = `${baseUrl}/jury/entries/${firstEntry}`;
  const sheetHeaders = { Cookie: jurors[0].cookie, "Accept-Encoding": "gzip" };
  // BENCH_JUROR_PAGE=0 leaves the page out (a CPU profile of the submissions alone): no figure, not met.
  const withPage = process.env.BENCH_JUROR_PAGE !== "0";
  const cold = await load("juror's sheet page, first seconds", sheetUrl, { headers: sheetHeaders, duration: withPage ? 3 : 0.1 });
  // Each run opens its 50 connections anew: the previous run's must have closed first, or the
  // workers' counts of open connections (connections.server.ts) are still the old ones and the new
  // connections are split unevenly (measured: 8 and 42, waits of ~7 and ~190 ms).
  await settle(server);
  if (withPage && JUROR_WARMUP_SECONDS > 3) await load("warm-up", sheetUrl, { headers: sheetHeaders, duration: JUROR_WARMUP_SECONDS - 3 });
  await settle(server);
  let page!: Awaited<ReturnType<typeof load>>;
  const logFrom = server.log().length;
  const pageCpu = await cpuPer(server, async () => {
    page = await load("juror's sheet page", sheetUrl, { headers: sheetHeaders, duration: withPage ? JUROR_SECONDS : 0.1 });
    return page.total;
  });
  console.log(
    `\n## juror's sheet page (signed in, not cacheable), after ${JUROR_WARMUP_SECONDS} s of the same load: ${page.rps.toFixed(0)} req/s, p50 ${page.p50} ms, p99 ${page.p99} ms, errors ${page.errors}, non-2xx ${page.non2xx} (${page.statuses}); mean latency of a connection ${page.spread}`,
  );
  const inServer = serverTimes(server.log().slice(logFrom), "GET", new URL(sheetUrl).pathname);
  const ms = (times: number[], q: number) => percentile(times, q).toFixed(0);
  console.log(
    `   in the workers (their log: the first middleware to the last byte): p50 ${ms(inServer.total, 0.5)} ms, p99 ${ms(inServer.total, 0.99)} ms; of which waiting for a slot p50 ${ms(inServer.queued, 0.5)}, p99 ${ms(inServer.queued, 0.99)}; working p50 ${ms(inServer.working, 0.5)}, p99 ${ms(inServer.working, 0.99)} (${inServer.total.length} lines)`,
  );
  console.log(`   its first 3 s: ${cold.rps.toFixed(0)} req/s, p99 ${cold.p99} ms (${cold.statuses})`);
  console.log(`   ${formatCpu(pageCpu)} (a request)`);
  if (withPage) await printReference(server, sheetUrl, sheetHeaders, pageCpu, page);

  // 30 jurors submit at the same moment (confirmed, as the dialog sends it), each on the next of
  // their assigned entries: WARM_WAVES not counted (the action's code and each database
  // connection's plans are new), then WAVES counted. Sent through node:http with keep-alive, as 30
  // browsers would: undici's fetch cost ~2.7 ms of CPU per submission on the same 2 cores, against
  // ~0.9 ms (the load generator's cost, not the server's).
  await settle(server);
  const waves = Math.min(WARM_WAVES + WAVES, ...jurors.map((j) => mine.get(j.id)?.length ?? 0));
  const agent = new http.Agent({ keepAlive: true, maxSockets: JURORS });
  const submitWave = async (wave: number, times: number[]) => {
    let failed = 0;
    await Promise.all(
      jurors.map(async (juror, index) => {
        const entryId = mine.get(juror.id)![wave];
        const body = new URLSearchParams({
          intent: "submit",
          confirm: "1",
          comment: `Phiếu đo hiệu năng của giám khảo ${index + 1}.`,
        });
        for (const [k, v] of Object.entries(points)) body.set(`p.${k}`, v);
        const started = performance.now();
        try {
          const res = await post(
            agent,
            `${baseUrl}/jury/entries/${entryId}?_data=${encodeURIComponent(JURY_ROUTE_DATA)}`,
            body.toString(),
            {
              Cookie: juror.cookie,
              Origin: baseUrl,
              "Content-Type": "application/x-www-form-urlencoded",
            },
          );
          // Success is the redirect after the POST (204 + X-Remix-Redirect for a data request).
          if (!(res.status === 204 && res.redirect)) failed++;
        } catch {
          failed++;
        }
        times.push(performance.now() - started);
      }),
    );
    return failed;
  };
  const warmTimes: number[] = [];
  let errors = 0;
  for (let wave = 0; wave < Math.min(WARM_WAVES, waves); wave++) errors += await submitWave(wave, warmTimes);
  const times: number[] = [];
  const submitCpu = await cpuPer(server, async () => {
    for (let wave = WARM_WAVES; wave < waves; wave++) errors += await submitWave(wave, times);
    return times.length;
  });
  agent.destroy();
  const p99 = percentile(times, 0.99);
  const p50 = percentile(times, 0.5);
  console.log(
    `## ${JURORS} jurors submitting at once × ${waves - WARM_WAVES}, after ${WARM_WAVES} waves not counted: ${times.length} submissions, p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, errors ${errors}`,
  );
  console.log(`   the first ${WARM_WAVES} waves: p99 ${percentile(warmTimes, 0.99).toFixed(0)} ms`);
  console.log(`   ${formatCpu(submitCpu)} (a submission)`);
  return [
    // A page answered with anything but 200 (or not at all) is not a page served.
    {
      figure: "juror sheet page: req/s",
      value: page.non2xx || page.errors ? `${page.rps.toFixed(0)} (${page.non2xx} non-2xx, ${page.errors} errors)` : page.rps.toFixed(0),
      target: "≥ 400 req/s, all 200",
      met: withPage && page.rps >= 400 && page.non2xx === 0 && page.errors === 0,
    },
    // No answer within the run (every request slower than BENCH_SECONDS) is no p99, and not a met target.
    {
      figure: "juror sheet page: p99",
      value: page.total ? `${page.p99} ms` : `— (no answer within ${page.seconds.toFixed(0)} s)`,
      target: "≤ 150 ms",
      met: withPage && page.total > 0 && page.p99 <= 150,
    },
    { figure: "30 jurors submitting at once: p99", value: `${p99.toFixed(0)} ms`, target: "≤ 100 ms", met: p99 <= 100 },
    { figure: "30 jurors submitting at once: errors", value: String(errors), target: "0", met: errors === 0 },
  ];
}

/**
 * What this machine allows at the page's CPU cost: the same load against servers that do nothing but
 * spend, on each request, the CPU the app's workers and PostgreSQL spent on one (reference-process.ts:
 * as many workers, in their own processes, answering the page's bytes). Its req/s is the ceiling of
 * that cost on these cores; its p99 is the tail the machine itself adds to a queue of that length
 * (the closing note of issue 18 reads the app's figures against it).
 */
async function printReference(server: RunningServer, url: string, headers: Record<string, string>, cpu: CpuShare, page: Figures) {
  const answer = await rawGet(url, headers);
  delete answer.headers["set-cookie"];
  const cpuMs = cpu.workers + cpu.database;
  const reference = await baselineProcess(answer, "reference-process.ts", { cpuMs, workers: server.workers, port: await freePort() });
  let ref: Figures;
  try {
    ref = await load("reference", reference.url, { headers: { "Accept-Encoding": "gzip" }, warmup: WARMUP_SECONDS, duration: JUROR_SECONDS });
  } finally {
    reference.stop();
  }
  console.log(
    `   reference — ${server.workers} processes that only spend ${cpuMs.toFixed(2)} ms of CPU per request (the workers' and PostgreSQL's above) and answer the page's ${answer.body.length} bytes: ${ref.rps.toFixed(0)} req/s, p50 ${ref.p50} ms, p99 ${ref.p99} ms, mean latency of a connection ${ref.spread} (the app: ${(page.rps / Math.max(1, ref.rps)).toFixed(2)}× its req/s, ${(page.p99 / Math.max(1, ref.p99)).toFixed(2)}× its p99)`,
  );
  // A closed loop's latency is its queue's length times the time per request: at a p99 ∝ CPU per
  // request, the reference's p99 reaches 150 ms at this much CPU (an estimate, on this machine now).
  console.log(`   on this machine now, the reference's p99 would be 150 ms at ≈ ${((cpuMs * 150) / Math.max(1, ref.p99)).toFixed(2)} ms of CPU per request (p99 ∝ CPU per request)`);
}
