/**
 * Whether the database looks unreachable. A connection error seen by any request marks it
 * suspect; the next requests ping it first and answer 503 until it answers again, so the server
 * recovers by itself without a restart. Kept on globalThis: server.ts and the Remix build share it.
 */
const KEY = Symbol.for("cnnt.health");
type State = { suspectSince: number | null };
function state(): State {
  const g = globalThis as { [KEY]?: State };
  return (g[KEY] ??= { suspectSince: null });
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown
  "57P02",
  "57P03", // cannot_connect_now
  "08000",
  "08003",
  "08006",
]);

export function isConnectionError(error: unknown): boolean {
  let e = error as { code?: string; cause?: unknown; message?: string } | undefined;
  for (let i = 0; e && i < 5; i++) {
    if (typeof e.code === "string" && CONNECTION_CODES.has(e.code)) return true;
    if (typeof e.message === "string" && /PGlite is closed|database is closed/i.test(e.message)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

export function noteDatabaseError(error: unknown) {
  if (isConnectionError(error)) state().suspectSince ??= Date.now();
}

export function databaseSuspect(): boolean {
  return state().suspectSince !== null;
}

export function markDatabaseHealthy() {
  state().suspectSince = null;
}

export function markDatabaseSuspect() {
  state().suspectSince ??= Date.now();
}
