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
 * database, as before). When the listening connection is lost, postgres.js re-establishes it and
 * the memory starts empty then (what changed meanwhile was not heard). An entry lives at most MAX_AGE_MS (the
 * invitation badge changes when an invitation expires, with no statement to notify), never past the
 * session's expiry, and not once the session is due for its extension (that read writes it).
 * A read that a notification overtook is not stored. At most MAX_ENTRIES entries (the oldest go).
 */
import type { DatabaseHandle } from "./db.server";

export const SESSION_CHANNEL = "cnnt_sessions";
export const SESSION_CACHE_MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 30_000;

interface Entry {
  value: unknown;
  userId: string;
  until: number;
}

// On globalThis: server.ts (source) starts the listener, the Remix build's copy reads the entries.
interface Memory {
  listening: boolean;
  /** Notifications (and (re)connections) seen: a read that started before the last one is not stored. */
  changes: number;
  entries: Map<string, Entry>;
  byUser: Map<string, Set<string>>;
}
const KEY = Symbol.for("cnnt.session-cache");
const memory: Memory = ((globalThis as { [KEY]?: Memory })[KEY] ??= {
  listening: false,
  changes: 0,
  entries: new Map(),
  byUser: new Map(),
});

/** Whether a request may be answered from memory: a read, while the listener runs. */
export function sessionCacheServes(method: string): boolean {
  return memory.listening && (method === "GET" || method === "HEAD");
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
  if (!memory.listening || seen !== memory.changes || until <= now) return;
  drop(key);
  while (memory.entries.size >= SESSION_CACHE_MAX_ENTRIES) drop(memory.entries.keys().next().value!);
  memory.entries.set(key, { value, userId, until: Math.min(until, now + MAX_AGE_MS) });
  let keys = memory.byUser.get(userId);
  if (!keys) memory.byUser.set(userId, (keys = new Set()));
  keys.add(key);
}

/** Drops a user's entries in this process (their own write; a notification does it everywhere). */
export function forgetSessionUser(userId: string) {
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
  else forgetSessionUser(payload);
}

/**
 * LISTENs for changes of sessions and accounts on the database of `handle` (server.ts, at start).
 * Without `listen` (a handle that cannot) nothing is kept. Each (re)connection starts empty: what
 * changed while it was down was not heard.
 */
export async function startSessionCacheListener(handle: DatabaseHandle): Promise<() => Promise<void>> {
  if (!handle.listen) return async () => {};
  const unlisten = await handle.listen(SESSION_CHANNEL, noteChange, () => {
    memory.listening = true;
    noteChange("*");
  });
  return async () => {
    memory.listening = false;
    noteChange("*");
    await unlisten().catch(() => {});
  };
}
