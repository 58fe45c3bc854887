/**
 * PostgreSQL goes away in the middle of a light load (jurors submitting sheets, visitors reading):
 * the app answers 503 while it is gone (never a 500), /healthz says so, and it recovers by itself
 * once PostgreSQL is back — same process, no restart. Every submit the app acknowledged is in the
 * database exactly once.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type DatabaseHandle } from "../../app/utils/db.server";
import { scoreSheets } from "../../db/schema";
import { pointsForTotal, scoringRound } from "../factories/scoring";
import { acknowledgedByRedirect, type AppProcess, JURY_ROUTE_DATA, type FaultWorld, startFaultWorld, stopFaultWorld } from "./lib";

const cluster = () => fs.readdirSync("/etc/postgresql").sort()[0];
const pgctl = (action: "stop" | "start") =>
  execFileSync(
    "pg_ctlcluster",
    ["--skip-systemctl-redirect", cluster(), "main", action, ...(action === "stop" ? ["-m", "fast"] : [])],
    { stdio: "pipe" },
  );
const pgReady = () => {
  try {
    execFileSync("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-q"]);
    return true;
  } catch {
    return false;
  }
};

let scratch: FaultWorld["scratch"];
let app: AppProcess;
let handle: DatabaseHandle;
let tmp: string;

beforeAll(async () => {
  ({ scratch, tmp, app, handle } = await startFaultWorld("cnnt-fault-pg-"));
});

afterAll(async () => {
  if (!pgReady()) pgctl("start");
  await stopFaultWorld({ app, handle, scratch, tmp });
});

describe("PostgreSQL restart under load", () => {
  it("answers 503 during the outage, recovers without a restart, loses no acknowledged submit", async () => {
    const { round, jurors, entries } = await scoringRound({ entryCount: 30, jurorCount: 4 });
    const points = await pointsForTotal(round.id, 80);
    const statuses = new Map<number, number>();
    const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
    const acknowledged: { jurorId: string; entryId: number }[] = [];
    const pending = jurors.map((j) => ({ juror: j, queue: entries.map((e) => e.id) }));
    let stop = false;
    const healthDuringOutage: number[] = [];
    let outage = false;
    let outageStarted = false;
    let resumed = false;
    const serverPid = app.child.pid;

    // Before the outage each juror does at most half of its sheets, so on a fast machine too there is
    // work left to meet the outage and to finish after the recovery.
    const half = Math.ceil(entries.length / 2);
    const juror = async (p: (typeof pending)[number]) => {
      while (!stop && p.queue.length) {
        if (!outageStarted && p.queue.length <= entries.length - half) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        // From the database's restart until the test has seen /healthz recover, the jurors wait: on a
        // fast machine they otherwise finished every sheet before the first 200, and "submits go on
        // after the recovery" had nothing left to show.
        if (outageStarted && !outage && !resumed) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        const entryId = p.queue[0];
        const body = new URLSearchParams({ intent: "submit", comment: "Đạt yêu cầu", confirm: "1" });
        for (const [k, v] of Object.entries(points)) body.set(`p.${k}`, v);
        let status = 0;
        try {
          const res = await fetch(`${app.baseUrl}/jury/entries/${entryId}?_data=${encodeURIComponent(JURY_ROUTE_DATA)}`, {
            method: "POST",
            headers: { Cookie: p.juror.cookie, Origin: app.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
            body,
            signal: AbortSignal.timeout(20_000),
          });
          status = res.status;
          if (acknowledgedByRedirect(res)) {
            acknowledged.push({ jurorId: p.juror.id, entryId });
            p.queue.shift();
          } else if (status === 409) {
            // Submitted by the attempt the outage cut off (committed, answer lost): not acknowledged, but there.
            p.queue.shift();
          }
        } catch {
          status = -1;
        }
        count(status);
        await new Promise((r) => setTimeout(r, status === 204 ? 40 : 250));
      }
    };
    const visitor = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${app.baseUrl}/rounds`, { signal: AbortSignal.timeout(20_000) });
          await res.arrayBuffer();
          count(res.status);
        } catch {
          count(-1);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const health = async () => {
      while (!stop) {
        const res = await fetch(`${app.baseUrl}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
        if (outage) healthDuringOutage.push(res?.status ?? -1);
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    const workers = [...pending.map(juror), visitor(), visitor(), health()];
    await new Promise((r) => setTimeout(r, 2500));
    const beforeOutage = acknowledged.length;
    outage = true;
    outageStarted = true;
    pgctl("stop");
    await new Promise((r) => setTimeout(r, 4000));
    const duringOutage = [...healthDuringOutage];
    pgctl("start");
    for (let i = 0; i < 60 && !pgReady(); i++) await new Promise((r) => setTimeout(r, 500));
    outage = false;
    // Recovery: /healthz back to 200 within 20 s, from the same process.
    let recovered = false;
    for (let i = 0; i < 80 && !recovered; i++) {
      recovered = (await fetch(`${app.baseUrl}/healthz`).catch(() => null))?.status === 200;
      if (!recovered) await new Promise((r) => setTimeout(r, 250));
    }
    const afterRecovery = acknowledged.length;
    resumed = true;
    // Let the load run on until the jurors finish (or 30 s).
    const deadline = Date.now() + 30_000;
    while (pending.some((p) => p.queue.length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    stop = true;
    await Promise.all(workers);

    const summary = Object.fromEntries(statuses);
    console.log(
      `PostgreSQL restart: statuses ${JSON.stringify(summary)}, /healthz during outage ${JSON.stringify(duringOutage)}, acknowledged ${beforeOutage} before, ${afterRecovery} at recovery, ${acknowledged.length} in all`,
    );
    expect(recovered, `healthz recovered; statuses ${JSON.stringify(summary)}`).toBe(true);
    expect(app.child.pid).toBe(serverPid);
    expect(app.child.exitCode).toBeNull();
    expect(beforeOutage).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(afterRecovery);
    expect(duringOutage).toContain(503);
    expect(duringOutage.filter((s) => s !== 503)).toEqual([]);
    // Only 200 (a page), 204 (a submit's redirect-after-POST), 409 (a submit whose answer the outage cut
    // off) or 503: no 500, no dropped connection.
    expect(
      Object.keys(summary)
        .map(Number)
        .filter((s) => ![200, 204, 409, 503].includes(s)),
      JSON.stringify(summary),
    ).toEqual([]);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(pending.every((p) => p.queue.length === 0)).toBe(true);

    // Every acknowledged submit is in the database, submitted, once.
    const sheets = await handle.db
      .select({ jurorId: scoreSheets.jurorId, entryId: scoreSheets.entryId, status: scoreSheets.status })
      .from(scoreSheets)
      .where(and(eq(scoreSheets.roundId, round.id)));
    const key = (s: { jurorId: string; entryId: number }) => `${s.jurorId}:${s.entryId}`;
    const stored = new Map<string, number>();
    for (const s of sheets) if (s.status === "submitted") stored.set(key(s), (stored.get(key(s)) ?? 0) + 1);
    for (const a of acknowledged) expect(stored.get(key(a)), key(a)).toBe(1);
    expect(new Set(acknowledged.map(key)).size).toBe(acknowledged.length);
    expect(sheets.length).toBe(jurors.length * entries.length);
  });
});
