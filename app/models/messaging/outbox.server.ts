/**
 * The outbox (issue 16 §1): a message is a row written in the transaction of the event that causes
 * it, so a rolled-back event sends nothing and a committed one is never lost. The worker claims due
 * rows, hands them to the channel's sender and records the outcome; a failure waits with
 * exponential backoff, and after MAX_ATTEMPTS the row is "failed" with the channel's error until an
 * admin resends it.
 */
import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";

import { outbox, type OutboxMessage, type OutboxStatus } from "../../../db/schema";
import { type Database, db, isDbId } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { type MessageSender, senderFor } from "../../utils/sender.server";
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

/**
 * Sends every due message once: each row is claimed (`queued` → `sending`) by one UPDATE … SKIP
 * LOCKED, so two workers never send the same row, then marked sent or rescheduled.
 * @returns how many were sent and how many failed this pass.
 */
export async function deliverDue(options: { now?: Date; sender?: (channel: string) => MessageSender; limit?: number } = {}) {
  const now = options.now ?? new Date();
  const pick = options.sender ?? senderFor;
  const claimed = await db().transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.status, "queued"), lte(outbox.nextAttemptAt, now)))
      .orderBy(outbox.id)
      .limit(options.limit ?? 50)
      .for("update", { skipLocked: true });
    if (!due.length) return [];
    return tx
      .update(outbox)
      .set({ status: "sending", attempts: sql`${outbox.attempts} + 1` })
      .where(inArray(outbox.id, due.map((d) => d.id)))
      .returning();
  });
  let sent = 0;
  let failed = 0;
  for (const message of claimed.sort((a, b) => a.id - b.id)) {
    try {
      const sender = pick(message.channel);
      await sender.send({ channel: message.channel, to: message.recipient, subject: message.subject, text: message.bodyText, html: message.bodyHtml });
      await db()
        .update(outbox)
        .set({ status: "sent", sentAt: new Date(), transport: sender.transport, lastError: null })
        .where(eq(outbox.id, message.id));
      sent++;
    } catch (error) {
      failed++;
      const giveUp = message.attempts >= MAX_ATTEMPTS;
      await db()
        .update(outbox)
        .set({
          status: giveUp ? "failed" : "queued",
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + backoffMs(message.attempts)),
        })
        .where(eq(outbox.id, message.id));
    }
  }
  return { sent, failed };
}

/**
 * Rows left in `sending` by a process that stopped mid-send go back to the queue at start (the
 * channel may or may not have taken them: at-least-once is the honest promise across a crash).
 */
export async function requeueInterrupted(database: Database = db()) {
  const rows = await database.update(outbox).set({ status: "queued" }).where(eq(outbox.status, "sending")).returning({ id: outbox.id });
  return rows.length;
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
 * How messages get sent in the background. In-process today (a timer and a kick after each
 * enqueue); issue 18 moves jobs to a PostgreSQL queue, which only has to implement this.
 */
export interface MailWorker {
  /** Something was queued: look soon. */
  kick(): void;
  stop(): Promise<void>;
}

let current: MailWorker | undefined;
export function mailWorker() {
  return current;
}

/** Starts the in-process worker (server.ts); `intervalMs` is the poll for retries that fall due. */
export function startMailWorker(options: { intervalMs?: number; onError?: (e: unknown) => void } = {}): MailWorker {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pass = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await deliverDue().catch(options.onError ?? ((e) => console.warn("Gửi thư thất bại:", e)));
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(pass, options.intervalMs ?? 10_000);
  timer.unref();
  const worker: MailWorker = {
    // A little later: the enqueueing transaction commits first.
    kick: () => void setTimeout(pass, 200).unref(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      if (current === worker) current = undefined;
    },
  };
  current = worker;
  pass();
  return worker;
}
