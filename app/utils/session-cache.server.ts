/**
 * The signed-in user of a session, kept in memory for GETs (issue 18, item 5): the session's one
 * statement (account, roles and the header's badges, app/utils/auth.server.ts) was half the
 * database round trips of a signed-in page, ~9 % of the juror's sheet page's CPU (workers' and
 * PostgreSQL's). The database says when a copy is no longer true: triggers on sessions, users,
 * user_roles, notifications and invitations notify `cnnt_sessions` with the user's id, or '*'
 * (db/migrations/0023_session_cache_notify.sql); each process LISTENs and drops that user's entries
 * (everyone's for '*'). So a sign-out, a disabled account or a role taken away through any process
 * holds in every process within the notification's delivery (milliseconds).
 *
 * What is never answered from memory: anything but a GET or HEAD (every write is checked against
 * the database; auth.server.ts also drops the writer's entries here, so the page after their own
 * change is read again); anything while no listener runs (tests in one process: every read asks the
 * database, as before); anything while this process has not heard its own heartbeat (a
 * `ping:` notification it sends every HEARTBEAT_MS) within LIVENESS_MS: a listening connection that
 * was lost (postgres.js re-establishes it, with a back-off of up to ~20 s) or hangs half-open hears
 * nothing, and what changed meanwhile was not heard; the memory starts empty when it hears again.
 * An entry lives at most MAX_AGE_MS (the
 * invitation badge changes when an invitation expires, with no statement to notify), never past the
 * session's expiry, and not once the session is due for its extension (that read writes it).
 * A read that a notification overtook is not stored. At most MAX_ENTRIES entries (the oldest go).
 */
import crypto from "node:crypto";

import { sql } from "drizzle-orm";

import type { DatabaseHandle } from "./db.server";

export const SESSION_CHANNEL = "cnnt_sessions";
export const SESSION_CACHE_MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 30_000;
const HEARTBEAT_MS = 2_000;
const LIVENESS_MS = 5_000;
const PING = "ping:";

interface Entry {
  value: unknown;
  userId: string;
  until: number;
}

// On globalThis: server.ts (source) starts the listener, the Remix build's copy reads the entries.
interface Memory {
  listening: boolean;
  /** When this process last heard its own heartbeat (performance.now()). */
  heardAt: number;
  /** Notifications (and (re)connections) seen: a read that started before the last one is not stored. */
  changes: number;
  entries: Map<string, Entry>;
  byUser: Map<string, Set<string>>;
}
const KEY = Symbol.for("cnnt.session-cache");
const memory: Memory = ((globalThis as { [KEY]?: Memory })[KEY] ??= {
  listening: false,
  heardAt: -Infinity,
  changes: 0,
  entries: new Map(),
  byUser: new Map(),
});

/** Whether a request may be answered from memory: a read, while the listener is heard. */
export function sessionCacheServes(method: string): boolean {
  return (method === "GET" || method === "HEAD") && listeningNow();
}

function listeningNow(): boolean {
  if (!memory.listening) return false;
  if (performance.now() - memory.heardAt <= LIVENESS_MS) return true;
  // Not heard lately: nothing kept is trusted, nor what is read until it is heard again.
  if (memory.entries.size) noteChange("*");
  return false;
}

/** Notifications seen so far; pass it to storeSessionUser with what was read after it. */
export function sessionChanges(): number {
  return memory.changes;
}

export function cachedSessionUser<T>(key: string, now = Date.now()): T | undefined {
  const entry = memory.entries.get(key);
  if (!entry) return undefined;
  if (entry.until > now) return entry.value as T;
  drop(key);
  return undefined;
}

/**
 * Keeps what was read for `key` until `until` (capped at MAX_AGE_MS from now), unless a
 * notification arrived since `seen` (sessionChanges() before the read) or the listener stopped.
 */
export function storeSessionUser(key: string, userId: string, value: unknown, until: number, seen: number, now = Date.now()) {
  if (!listeningNow() || seen !== memory.changes || until <= now) return;
  drop(key);
  while (memory.entries.size >= SESSION_CACHE_MAX_ENTRIES) drop(memory.entries.keys().next().value!);
  memory.entries.set(key, { value, userId, until: Math.min(until, now + MAX_AGE_MS) });
  let keys = memory.byUser.get(userId);
  if (!keys) memory.byUser.set(userId, (keys = new Set()));
  keys.add(key);
}

/**
 * Drops a user's entries in this process (their own write; the notification of what it changes
 * does it everywhere); a read in flight meanwhile is not stored.
 */
export function forgetSessionUser(userId: string) {
  memory.changes++;
  dropUser(userId);
}

function dropUser(userId: string) {
  for (const key of memory.byUser.get(userId) ?? []) memory.entries.delete(key);
  memory.byUser.delete(userId);
}

export function sessionCacheSize(): number {
  return memory.entries.size;
}

function drop(key: string) {
  const entry = memory.entries.get(key);
  if (!entry) return;
  memory.entries.delete(key);
  const keys = memory.byUser.get(entry.userId);
  keys?.delete(key);
  if (keys && !keys.size) memory.byUser.delete(entry.userId);
}

function forgetAll() {
  memory.entries.clear();
  memory.byUser.clear();
}

function noteChange(payload: string) {
  memory.changes++;
  if (payload === "*" || !payload) forgetAll();
  else dropUser(payload);
}

/**
 * LISTENs for changes of sessions and accounts on the database of `handle` (server.ts, at start).
 * Without `listen` (a handle that cannot) nothing is kept. Each (re)connection starts empty: what
 * changed while it was down was not heard.
 */
export async function startSessionCacheListener(handle: DatabaseHandle): Promise<() => Promise<void>> {
  if (!handle.listen) return async () => {};
  let stopped = false;
  const ping = `${PING}${crypto.randomUUID()}`;
  const beat = () => void handle.db.execute(sql`select pg_notify(${SESSION_CHANNEL}, ${ping})`).catch(() => {});
  const unlisten = await handle.listen(
    SESSION_CHANNEL,
    (payload) => {
      if (payload === ping) {
        // Heard again after a silence: what changed meanwhile was not.
        if (!listeningNow()) noteChange("*");
        memory.heardAt = performance.now();
      } else if (!payload.startsWith(PING)) noteChange(payload);
    },
    () => {
      // A connection re-established after stop() (postgres.js re-listens on its own) changes nothing.
      if (stopped) return;
      memory.listening = true;
      noteChange("*");
      beat();
    },
  );
  const heartbeat = setInterval(beat, HEARTBEAT_MS);
  heartbeat.unref();
  return async () => {
    stopped = true;
    clearInterval(heartbeat);
    memory.listening = false;
    noteChange("*");
    await unlisten().catch(() => {});
  };
}
