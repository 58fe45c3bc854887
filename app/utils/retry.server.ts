/**
 * Transactions that a race may abort are run again rather than answered with a 500: PostgreSQL
 * aborts one side of a deadlock (40P01) or of a serialisation conflict (40001), and the other side
 * commits, so a fresh attempt sees the winner's work and usually answers "already done" (409) or
 * joins it. Bounded (5 attempts) with jittered backoff so twenty clicks do not retry in lockstep.
 */
import { type Database, db, pgErrorCode } from "./db.server";

/** Deadlock and serialisation failure: the transaction did nothing and may simply run again. */
export const RETRYABLE_CODES = ["40P01", "40001"] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn`, again after a retryable failure (and after `also`, e.g. a unique violation a second
 * attempt resolves by finding the winner's row), at most `attempts` times.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: { attempts?: number; also?: readonly string[] } = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const codes = new Set<string>([...RETRYABLE_CODES, ...(options.also ?? [])]);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !codes.has(pgErrorCode(error) ?? "")) throw error;
      await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
}

/**
 * A transaction of its own, retried on a race — or, inside a caller's transaction (`tx` given and
 * not the root client), a savepoint in it: the caller's transaction is the one to retry then.
 */
export function inTransaction<T>(tx: Database | undefined, fn: (t: Database) => Promise<T>, options: { also?: readonly string[] } = {}): Promise<T> {
  const root = db();
  if (tx && tx !== root) return tx.transaction(fn);
  return withRetry(() => root.transaction(fn), options);
}
