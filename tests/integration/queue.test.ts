/**
 * The job queue (issue 18): in-process on PGlite; on PostgreSQL pg-boss as the restricted app role
 * (its schema made by the owner at migrate time), a job whose worker died taken over by another
 * worker once its lease runs out, a certificate batch run through it once, and the database rate
 * limit shared by two limiters (two processes).
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";

import { countRequest } from "../../app/models/account/throttle.server";
import { jobSettled, startCertificateBatch, targetCertificateIds } from "../../app/models/shared/jobs.server";
import { databaseHandle, db, rowsOf } from "../../app/utils/db.server";
import { defineJob, InProcessQueue, PgBossQueue, queue, setQueue } from "../../app/utils/queue.server";
import { RateLimiter, RULES } from "../../app/utils/rate-limit.server";
import { certificates } from "../../db/schema";
import { createOfficer, createTestDecision } from "../factories/commendation";

const onPostgres = () => databaseHandle().kind === "postgres";
const started: PgBossQueue[] = [];

afterEach(async () => {
  for (const q of started.splice(0)) await q.stop().catch(() => {});
  setQueue(undefined);
  delete process.env.JOB_LEASE_SECONDS;
  delete process.env.JOB_MAINTENANCE_SECONDS;
});

async function boss(options: { work?: boolean } = {}) {
  const q = new PgBossQueue({ url: databaseHandle().url!, work: options.work, onError: () => {} });
  await q.start();
  started.push(q);
  return q;
}

const until = async (check: () => Promise<boolean> | boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe("job queue, in-process", () => {
  it("runs each job once per send, and once more when sent again while it runs", async () => {
    const q = new InProcessQueue();
    setQueue(q);
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    defineJob("reminders", async (data) => {
      seen.push(String(data.n));
      if (data.n === 1) await gate;
    });
    await q.send("reminders", { n: 1 }, { key: "k" });
    await new Promise((r) => setTimeout(r, 20));
    await q.send("reminders", { n: 1 }, { key: "k" });
    await q.send("reminders", { n: 1 }, { key: "k" });
    release();
    await q.settled();
    // The two sends during the run make exactly one more run.
    expect(seen).toEqual(["1", "1"]);
    await q.send("reminders", { n: 2 }, { throttleSeconds: 60 });
    await q.send("reminders", { n: 2 }, { throttleSeconds: 60 });
    await q.settled();
    expect(seen).toEqual(["1", "1", "2"]);
    await q.stop();
  });
});

describe("job queue on PostgreSQL (pg-boss)", () => {
  it("runs as the restricted app role: the schema and queues are the owner's", async () => {
    if (!onPostgres()) return;
    const [role] = rowsOf<{ owner: string; me: string }>(
      await db().execute(
        sql`select (select nspowner::regrole::text from pg_namespace where nspname = 'pgboss') as owner, current_user as me`,
      ),
    );
    expect(role.owner).not.toBe(role.me);
    // The app role cannot make a queue (DDL).
    await expect(db().execute(sql`select pgboss.create_queue('rogue', '{}'::json)`)).rejects.toThrow();
    const q = await boss();
    const ran: unknown[] = [];
    defineJob("reminders", async (data) => void ran.push(data.n));
    await q.send("reminders", { n: 7 });
    await until(() => ran.length > 0, 10_000);
    expect(ran).toEqual([7]);
  });

  it("a job whose worker died is taken over by another worker once its lease runs out", async () => {
    if (!onPostgres()) return;
    process.env.JOB_LEASE_SECONDS = "2";
    process.env.JOB_MAINTENANCE_SECONDS = "1";
    // Worker A takes the job and dies with it (never completes it).
    const a = await boss({ work: false });
    const ran: number[] = [];
    defineJob("sweep", async (data) => void ran.push(Number(data.n)));
    await a.send("sweep", { n: 1 });
    const [taken] = await a.boss.fetch<{ n: number }>("sweep");
    expect(taken?.data.n).toBe(1);
    await a.stop();
    const takenAt = Date.now();
    // Worker B only sees it after the lease (2 s) and the next maintenance (1 s).
    await boss();
    await until(() => ran.length > 0, 20_000);
    expect(ran).toEqual([1]);
    expect(Date.now() - takenAt).toBeGreaterThanOrEqual(1500);
  });

  it("a certificate batch on the queue issues and renders every certificate once", async () => {
    if (!onPostgres()) return;
    setQueue(await boss());
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: 5, issue: true });
    const { job } = await startCertificateBatch({ target: { type: "decision", id: d.id }, actorId: officer.id });
    expect(queue().kind).toBe("pg-boss");
    const done = await jobSettled(job.id, 60_000);
    expect(done).toMatchObject({ status: "done", done: 5, total: 5 });
    const ids = await targetCertificateIds({ type: "decision", id: d.id });
    for (const id of ids) {
      const [c] = await db().select().from(certificates).where(eq(certificates.id, id));
      expect(c.pdfKey).toBeTruthy();
    }
  });
});

describe("rate limits in the database", () => {
  it("two limiters (two processes) share one sign-in budget", async () => {
    const store = { count: (input: Parameters<typeof countRequest>[0]) => countRequest(input) };
    const one = new RateLimiter(undefined, 1, store);
    const two = new RateLimiter(undefined, 1, store);
    const rule = RULES.find((r) => r.name === "sign-in")!;
    const client = `10.9.${Math.floor(Math.random() * 200)}.1`;
    for (let i = 0; i < rule.limit; i++) expect(await (i % 2 ? one : two).hit(client, "POST", "/login")).toBeNull();
    const refused = await one.hit(client, "POST", "/login");
    expect(refused?.rule.name).toBe("sign-in");
    expect(refused!.retryAfter).toBeGreaterThan(0);
    expect(refused!.retryAfter).toBeLessThanOrEqual(rule.windowMs / 1000);
    expect((await two.hit(client, "POST", "/login"))?.rule.name).toBe("sign-in");
    // Another client is not affected.
    expect(await two.hit(`${client}0`, "POST", "/login")).toBeNull();
  });
});
