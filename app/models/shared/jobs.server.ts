/**
 * Certificate batches: render and store the PDF of every certificate of a decision or of a
 * published round, with the progress kept in the `jobs` table so a reload or a second browser
 * sees the same bar. One active job per target (a partial unique index): two officers starting
 * the same batch get the same job. Work per certificate is idempotent (a certificate with a stored
 * PDF is skipped, and only the first render records its file), so a job resumed after a restart —
 * or, with several app servers, run twice — never issues a certificate twice.
 *
 * The work runs on the job queue (app/utils/queue.server.ts, issue 18). On PostgreSQL (pg-boss) a
 * run holds a transaction-level advisory lock on the batch while it renders, in slices of a third
 * of the lease: a second process that picks up the same batch finds the lock taken and leaves it;
 * when the running process dies its connection — and with it the lock — goes, its queue job's
 * lease runs out and another process takes the batch over where the stored PDFs end.
 */
import { and, asc, count, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";

import { certificates, commendationRecipients, jobs, rounds } from "../../../db/schema";
import { type Database, db, pgErrorCode, rowsOf } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { defineJob, InProcessQueue, leaseSeconds, queue } from "../../utils/queue.server";
import { withRetry } from "../../utils/retry.server";
import { createProductCertificates } from "../certificate/certificate.server";
import { ensureCertificatePdf } from "../certificate/pdf.server";
import { recordAudit } from "./audit.server";
import { notify, roundOrganizers } from "./notification.server";

export const CERTIFICATE_JOB = "certificates";
export type JobTarget = { type: "decision"; id: number } | { type: "round"; id: number };
export type Job = typeof jobs.$inferSelect;

export const targetKey = (t: JobTarget) => `${t.type}:${t.id}`;

export function parseTarget(key: string): JobTarget | null {
  const m = /^(decision|round):(\d+)$/.exec(key);
  return m ? { type: m[1] as JobTarget["type"], id: Number(m[2]) } : null;
}

/** Certificate ids of a target, in print order (decision order, or rank order for a round). */
export async function targetCertificateIds(target: JobTarget, tx: Database = db()): Promise<number[]> {
  if (target.type === "decision") {
    const rows = await tx
      .select({ id: certificates.id })
      .from(certificates)
      .innerJoin(commendationRecipients, eq(commendationRecipients.id, certificates.recipientId))
      .where(eq(commendationRecipients.decisionId, target.id))
      .orderBy(asc(commendationRecipients.ordinal), asc(certificates.id));
    return rows.map((r) => r.id);
  }
  // A round's batch is its product certificates (the people's-choice award's are issued one by one).
  const rows = await tx
    .select({ id: certificates.id })
    .from(certificates)
    .where(and(eq(certificates.roundId, target.id), eq(certificates.kind, "product")))
    .orderBy(asc(certificates.serial));
  return rows.map((r) => r.id);
}

async function storedCount(ids: number[], tx: Database): Promise<number> {
  if (!ids.length) return 0;
  const [{ n }] = await tx.select({ n: count() }).from(certificates).where(and(inArray(certificates.id, ids), isNotNull(certificates.pdfKey)));
  return n;
}

export async function activeJob(target: JobTarget, tx: Database = db()): Promise<Job | null> {
  const [job] = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, CERTIFICATE_JOB), eq(jobs.target, targetKey(target)), inArray(jobs.status, ["queued", "running"])));
  return job ?? null;
}

/** The latest job of a target (active or not), for the pages. */
export async function latestJob(target: JobTarget, tx: Database = db()): Promise<Job | null> {
  const [job] = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, CERTIFICATE_JOB), eq(jobs.target, targetKey(target))))
    .orderBy(sql`${jobs.id} desc`)
    .limit(1);
  return job ?? null;
}

export async function getJob(id: number, tx: Database = db()): Promise<Job> {
  if (!Number.isInteger(id) || id <= 0) throw notFound("Không tìm thấy lượt phát hành.");
  const [job] = await tx.select().from(jobs).where(eq(jobs.id, id));
  if (!job) throw notFound("Không tìm thấy lượt phát hành.");
  return job;
}

/**
 * Starts (or joins) the batch of a target. For a published round the product certificate records
 * are completed first (idempotent). Returns the job and whether this call created it.
 * @throws AppError 404, 409 (the decision is not issued or the round not published)
 */
export async function startCertificateBatch(input: { target: JobTarget; actorId: string }, tx: Database = db()): Promise<{ job: Job; created: boolean }> {
  const existing = await activeJob(input.target, tx);
  if (existing) {
    // Joining: make sure someone runs it (a no-op while a live process holds the batch).
    await scheduleJob(existing.id);
    return { job: existing, created: false };
  }
  let result: { job: Job; created: boolean };
  try {
    // Twenty clicks at once: a per-target lock makes them start one after another, so each later
    // one finds the first one's job (active, or finished with nothing left to render) and joins it.
    result = await withRetry(() =>
      tx.transaction(async (t) => {
        await t.execute(sql`select pg_advisory_xact_lock(hashtext(${`job:${targetKey(input.target)}`}))`);
        const running = await activeJob(input.target, t);
        if (running) return { job: running, created: false };
        if (input.target.type === "round") {
          const [round] = await t.select().from(rounds).where(eq(rounds.id, input.target.id));
          if (!round) throw notFound("Không tìm thấy đợt bình chọn.");
          if (round.status !== "published") throw new AppError(409, "Đợt chưa công bố kết quả: chưa có giấy chứng nhận để phát hành.");
          await createProductCertificates({ roundId: round.id, actorId: input.actorId }, t);
        } else {
          const status = rowsOf<{ status: string }>(await t.execute(sql`select status from commendation_decisions where id = ${input.target.id}`))[0]?.status;
          if (!status) throw notFound("Không tìm thấy quyết định khen thưởng.");
          if (status !== "issued") throw new AppError(409, "Quyết định chưa ban hành: ban hành trước khi phát hành Bằng khen.");
        }
        const ids = await targetCertificateIds(input.target, t);
        const done = await storedCount(ids, t);
        const latest = await latestJob(input.target, t);
        if (latest?.status === "done" && done >= ids.length && latest.total === ids.length) return { job: latest, created: false };
        const [job] = await t
          .insert(jobs)
          .values({ kind: CERTIFICATE_JOB, target: targetKey(input.target), status: done >= ids.length ? "done" : "queued", total: ids.length, done, createdBy: input.actorId })
          .returning();
        await recordAudit({ actorId: input.actorId, action: "certificate.batch", entity: "job", entityId: job.id, roundId: input.target.type === "round" ? input.target.id : null, after: { target: job.target, total: ids.length } }, t);
        return { job, created: true };
      }),
    );
  } catch (error) {
    // Another app server's start won the race: join their job.
    if (pgErrorCode(error) === "23505") {
      const job = await activeJob(input.target, tx);
      if (job) return { job, created: false };
    }
    throw error;
  }
  if (result.created && result.job.status === "queued") await scheduleJob(result.job.id);
  return result;
}

async function scheduleJob(id: number) {
  await queue().send(CERTIFICATE_JOB, { jobId: id }, { key: `job:${id}` });
}

/** A slice of work on PostgreSQL: a third of the lease, so a live run always finishes its slice in time. */
const sliceMs = () => Math.max(1000, (leaseSeconds() * 1000) / 3);

/** The queue's handler: one slice (pg-boss) or the whole batch (in-process). */
async function runBatch(data: Record<string, unknown>) {
  const id = Number(data.jobId);
  if (!Number.isInteger(id) || id <= 0) return;
  if (queue().kind === "in-process") {
    await runJob(id);
    return;
  }
  const outcome = await db().transaction(async (lock) => {
    const [row] = rowsOf<{ ok: boolean }>(await lock.execute(sql`select pg_try_advisory_xact_lock(hashtext(${`batch:${id}`})) as ok`));
    // Another live process is rendering this batch; it queues the next slice itself.
    if (!row?.ok) return "busy" as const;
    console.log(`Lượt phát hành ${id}: tiến trình ${process.pid} tạo giấy chứng nhận.`);
    return (await runJob(id, db(), { until: Date.now() + sliceMs() })) ? ("finished" as const) : ("more" as const);
  });
  // The next slice is queued once the lock is released, so whoever takes it can lock it.
  if (outcome === "more") await scheduleJob(id);
}
defineJob(CERTIFICATE_JOB, runBatch);

/** Resolves when the job has finished or failed (tests and the bench wait on it). */
export async function jobSettled(id: number, timeoutMs = 120_000): Promise<Job> {
  const q = queue();
  if (q instanceof InProcessQueue) await q.settled();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(id);
    if (job.status === "done" || job.status === "failed" || Date.now() > deadline) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs a job (to the end, or until `until`): renders and stores the PDF of each certificate that
 * has none, updating the progress as it goes and yielding between certificates so pages stay
 * responsive. Returns whether the job is over (done or failed).
 */
export async function runJob(id: number, database: Database = db(), options: { until?: number } = {}): Promise<boolean> {
  const [job] = await database
    .update(jobs)
    .set({ status: "running", updatedAt: new Date() })
    .where(and(eq(jobs.id, id), inArray(jobs.status, ["queued", "running"])))
    .returning();
  if (!job) return true;
  const target = parseTarget(job.target);
  if (!target) {
    await database.update(jobs).set({ status: "failed", error: "Đích của lượt phát hành không hợp lệ.", updatedAt: new Date() }).where(eq(jobs.id, id));
    return true;
  }
  const ids = await targetCertificateIds(target, database);
  // Progress counts what is stored, so a run taken over or continued never goes backwards.
  let done = await storedCount(ids, database);
  let lastWrite = 0;
  try {
    // Certificates without a PDF, 50 at a time; each is re-checked by ensureCertificatePdf's guarded update.
    for (let i = 0; i < ids.length; i += 50) {
      const chunk = await database
        .select()
        .from(certificates)
        .where(and(inArray(certificates.id, ids.slice(i, i + 50)), isNull(certificates.pdfKey)));
      for (const cert of chunk.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))) {
        await ensureCertificatePdf(cert, database);
        done++;
        if (Date.now() - lastWrite > 250) {
          lastWrite = Date.now();
          await database.update(jobs).set({ done, total: ids.length, updatedAt: new Date() }).where(eq(jobs.id, id));
        }
        if (options.until && Date.now() > options.until && done < ids.length) {
          await database.update(jobs).set({ done, total: ids.length, updatedAt: new Date() }).where(eq(jobs.id, id));
          return false;
        }
        await new Promise((r) => setImmediate(r));
      }
    }
    done = await storedCount(ids, database);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishJob(
      job,
      target,
      {
        status: "failed",
        done,
        total: ids.length,
        error: `Dừng ở giấy thứ ${done + 1}/${ids.length}: ${message.slice(0, 300)}. Bấm “Phát hành” lần nữa để tiếp tục (các giấy đã tạo được giữ nguyên).`,
      },
      database,
    );
    return true;
  }
  await finishJob(job, target, { status: "done", done, total: ids.length, error: null }, database);
  return true;
}

/**
 * Records the end of a run and, in the same transaction, tells whoever started the batch (and the
 * round's organisers for a round's batch). Only the run that moves the job out of "running" writes
 * the notice, so a job run twice (two app servers) is announced once.
 */
async function finishJob(
  job: Job,
  target: JobTarget,
  end: { status: "done" | "failed"; done: number; total: number; error: string | null },
  database: Database,
) {
  await database.transaction(async (t) => {
    const [row] = await t
      .update(jobs)
      .set({ status: end.status, done: end.done, total: end.total, error: end.error, updatedAt: new Date() })
      .where(and(eq(jobs.id, job.id), inArray(jobs.status, ["queued", "running"])))
      .returning();
    if (!row) return;
    let what = "";
    let link = "";
    const recipients = new Set<string>(job.createdBy ? [job.createdBy] : []);
    if (target.type === "round") {
      const [round] = await t.select().from(rounds).where(eq(rounds.id, target.id));
      if (!round) return;
      what = `giấy chứng nhận đợt “${round.title}”`;
      link = `/organizer/rounds/${round.slug}/certificates`;
      for (const id of await roundOrganizers(round, t)) recipients.add(id);
    } else {
      const [d] = rowsOf<{ number: string | null }>(
        await t.execute(sql`select number from commendation_decisions where id = ${target.id}`),
      );
      what = `Bằng khen của quyết định ${d?.number ?? `#${target.id}`}`;
      link = `/ministry/decisions/${target.id}`;
    }
    const ok = end.status === "done";
    for (const userId of recipients)
      await notify(
        {
          userId,
          kind: "batch_finished",
          title: ok ? `Đã phát hành xong ${what}` : `Lượt phát hành ${what} bị dừng`,
          body: ok
            ? `Đã tạo đủ ${row.total} tệp PDF của ${what}.`
            : `Lượt phát hành ${what} dừng ở ${row.done}/${row.total}. ${end.error ?? ""}`,
          link,
        },
        t,
      );
  });
}

/**
 * Called once at server start: resumes the batches a stop interrupted. Each resumed job skips the
 * certificates already stored, so nothing is issued twice.
 */
export async function resumeJobs(database: Database = db()): Promise<number> {
  const pending = await database.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.kind, CERTIFICATE_JOB), inArray(jobs.status, ["queued", "running"])));
  for (const j of pending) await scheduleJob(j.id);
  return pending.length;
}

/** Progress as a whole percentage (0–100). */
export function jobPercent(job: Pick<Job, "done" | "total" | "status">): number {
  if (job.status === "done") return 100;
  if (!job.total) return 0;
  return Math.min(100, Math.floor((job.done / job.total) * 100));
}
