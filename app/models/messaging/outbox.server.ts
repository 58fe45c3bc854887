/**
 * The outbox (issue 16 §1): a message is a row written in the transaction of the event that causes
 * it, so a rolled-back event sends nothing and a committed one is never lost. The worker claims due
 * rows, hands them to the channel's sender and records the outcome; a failure waits with
 * exponential backoff, and after MAX_ATTEMPTS the row is "failed" with the channel's error until an
 * admin resends it.
 */
import { and, desc, eq, inArray, or, sql } from "drizzle-orm";

import { outbox, type OutboxMessage, type OutboxStatus } from "../../../db/schema";
import { type Database, db, isDbId } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { defineJob, queue } from "../../utils/queue.server";
import { describeSendError, type MessageSender, senderFor } from "../../utils/sender.server";
import { recordAudit } from "../shared/audit.server";
import type { MessageContent } from "./templates";

export const MAX_ATTEMPTS = 8;
/** 30 s, 1 min, 2 min … capped at 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/** Writes a message to the outbox; call it inside the event's transaction. */
export async function enqueueMessage(
  input: { to: string; userId?: string | null; kind: string; content: MessageContent; channel?: string },
  tx: Database = db(),
) {
  const [row] = await tx
    .insert(outbox)
    .values({
      channel: input.channel ?? "email",
      recipient: input.to,
      userId: input.userId ?? null,
      kind: input.kind,
      subject: input.content.subject,
      bodyText: input.content.text,
      bodyHtml: input.content.html,
    })
    .returning({ id: outbox.id });
  mailWorker()?.kick();
  return row;
}

/** How long a deliverer holds the rows it claimed; a row still "sending" after that is taken again. */
export const LEASE_MS = 5 * 60_000;

/**
 * Sends every due message once. Rows are claimed atomically: one transaction locks the due rows it
 * can (`FOR UPDATE SKIP LOCKED`: a row another deliverer holds is skipped, never waited for) and
 * marks them `sending` with a lease, so two deliverers — the worker's timer, a kick after an
 * enqueue, a test's explicit pass, another app server — never take the same row. Each outcome is
 * recorded only while the lease this pass took still holds, so a message is sent and counted by
 * one deliverer. A row whose deliverer died mid-send is due again when its lease runs out (at least
 * once across a crash: the channel may have taken it).
 *
 * "Due" is decided by the database's clock (or `now` when given), the same clock that stamped the
 * rows: a row queued a moment ago is never "in the future" for a process clock read at a coarser
 * precision.
 * @returns how many this pass sent and how many failed.
 */
export async function deliverDue(options: { now?: Date; sender?: (channel: string) => MessageSender; limit?: number } = {}) {
  const pick = options.sender ?? senderFor;
  const at = options.now ? sql`${options.now.toISOString()}::timestamptz` : sql`now()`;
  const claimed = await db().transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        or(
          and(eq(outbox.status, "queued"), sql`${outbox.nextAttemptAt} <= ${at}`),
          and(eq(outbox.status, "sending"), sql`${outbox.claimedUntil} < ${at}`),
        ),
      )
      .orderBy(outbox.id)
      .limit(options.limit ?? 50)
      .for("update", { skipLocked: true });
    if (!due.length) return [];
    return tx
      .update(outbox)
      .set({
        status: "sending",
        attempts: sql`${outbox.attempts} + 1`,
        claimedUntil: sql`${at} + ${`${LEASE_MS} milliseconds`}::interval`,
      })
      .where(
        and(
          inArray(
            outbox.id,
            due.map((d) => d.id),
          ),
          inArray(outbox.status, ["queued", "sending"]),
        ),
      )
      .returning();
  });
  // The same instant as the claim, for the backoff.
  const base = options.now ?? new Date();
  let sent = 0;
  let failed = 0;
  // Each claim counts an attempt, so the attempt number identifies this pass's claim of the row.
  const mine = (m: OutboxMessage) => and(eq(outbox.id, m.id), eq(outbox.status, "sending"), eq(outbox.attempts, m.attempts));
  for (const message of claimed.sort((a, b) => a.id - b.id)) {
    try {
      const sender = pick(message.channel);
      await sender.send({
        channel: message.channel,
        to: message.recipient,
        subject: message.subject,
        text: message.bodyText,
        html: message.bodyHtml,
      });
      const done = await db()
        .update(outbox)
        .set({ status: "sent", sentAt: new Date(), transport: sender.transport, lastError: null, claimedUntil: null })
        .where(mine(message))
        .returning({ id: outbox.id });
      if (done.length) sent++;
    } catch (error) {
      const giveUp = message.attempts >= MAX_ATTEMPTS;
      const done = await db()
        .update(outbox)
        .set({
          status: giveUp ? "failed" : "queued",
          lastError: describeSendError(error),
          nextAttemptAt: new Date(base.getTime() + backoffMs(message.attempts)),
          claimedUntil: null,
        })
        .where(mine(message))
        .returning({ id: outbox.id });
      if (done.length) failed++;
    }
  }
  return { sent, failed };
}

/** Admin: put a failed (or sent) message back in the queue now. */
export async function resendMessage(input: { actorId: string; id: number }) {
  if (!isDbId(input.id)) throw notFound("Không tìm thấy thư.");
  await db().transaction(async (tx) => {
    const [row] = await tx.select().from(outbox).where(eq(outbox.id, input.id)).for("update");
    if (!row) throw notFound("Không tìm thấy thư.");
    if (row.status === "sending" || row.status === "queued") throw new AppError(409, "Thư này đang chờ gửi; không cần gửi lại.");
    await tx.update(outbox).set({ status: "queued", attempts: 0, nextAttemptAt: new Date(), lastError: null }).where(eq(outbox.id, row.id));
    await recordAudit({ actorId: input.actorId, action: "outbox.resend", entity: "outbox", entityId: row.id, before: { status: row.status } }, tx);
  });
  mailWorker()?.kick();
}

export async function listOutbox(input: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxMessage[]> {
  return db()
    .select()
    .from(outbox)
    .where(input.status ? eq(outbox.status, input.status) : undefined)
    .orderBy(desc(outbox.id))
    .limit(input.limit ?? 200);
}

export async function outboxCounts() {
  const rows = await db().select({ status: outbox.status, n: sql<number>`count(*)::int` }).from(outbox).groupBy(outbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<OutboxStatus, number>>;
}

/** The local mailbox (/dev/mail): e-mails newest first, optionally to one address. */
export async function listMailbox(input: { to?: string; limit?: number } = {}) {
  return db()
    .select()
    .from(outbox)
    .where(and(eq(outbox.channel, "email"), input.to ? sql`lower(${outbox.recipient}) = ${input.to.toLowerCase()}` : undefined))
    .orderBy(desc(outbox.id))
    .limit(input.limit ?? 100);
}

export async function getMessage(id: number) {
  if (!isDbId(id)) throw notFound("Không tìm thấy thư.");
  const [row] = await db().select().from(outbox).where(eq(outbox.id, id));
  if (!row) throw notFound("Không tìm thấy thư.");
  return row;
}

// ─── the worker ───

/**
 * How messages get sent in the background: on the job queue (app/utils/queue.server.ts): each
 * enqueue kicks an `outbox` job (debounced, so a burst is one pass), and every process asks for one
 * every 10 s (throttled: one per 10 s for the whole cluster) for retries that fall due. A pass sends
 * what is due, rows whose sending process died (lease run out) included.
 */
export interface MailWorker {
  /** Something was queued: look soon. */
  kick(): void;
  stop(): Promise<void>;
}

defineJob("outbox", async () => {
  await deliverDue();
});

let current: MailWorker | undefined;
export function mailWorker() {
  return current;
}

/** Starts asking the queue for passes (server.ts); `intervalMs` is the poll for retries that fall due. */
export function startMailWorker(options: { intervalMs?: number; onError?: (e: unknown) => void } = {}): MailWorker {
  const onError = options.onError ?? ((e) => console.warn("Gửi thư thất bại:", e));
  let stopped = false;
  const ask = (send: () => Promise<void>) => {
    if (!stopped) send().catch(onError);
  };
  const every = options.intervalMs ?? 10_000;
  const timer = setInterval(() => ask(() => queue().send("outbox", {}, { throttleSeconds: Math.max(1, Math.round(every / 1000)) })), every);
  timer.unref();
  const worker: MailWorker = {
    // A little later: the enqueueing transaction commits first.
    kick: () => void setTimeout(() => ask(() => queue().send("outbox", {}, { debounceSeconds: 1 })), 200).unref(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (current === worker) current = undefined;
    },
  };
  current = worker;
  ask(() => queue().send("outbox"));
  return worker;
}
