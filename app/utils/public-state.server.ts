/**
 * The public state (issue 18, item 1): the fingerprint of everything the public pages show
 * (app/utils/cache.server.ts) and of the programme report, held in memory and changed by the
 * database. Triggers on the tables that feed public pages NOTIFY `cnnt_public_state`
 * (db/migrations/0013_public_state_notify.sql); each process LISTENs and re-reads the fingerprint
 * on a notification, so a change made through any process is seen by all of them within the
 * notification's delivery time (milliseconds).
 *
 * The state also changes with time alone (the Vietnam date, a registration that closes): a snapshot
 * is valid until the next such moment, and at most MAX_AGE_MS as a safety net. While no listener
 * runs (tests in one process, a lost connection before it is re-established) every read asks the
 * database, as before.
 */
import crypto from "node:crypto";

import { sql } from "drizzle-orm";

import { programmeFingerprint } from "../models/programme/report.server";
import { type Database, type DatabaseHandle, db, rowsOf } from "./db.server";

export const PUBLIC_STATE_CHANNEL = "cnnt_public_state";
const MAX_AGE_MS = 5 * 60_000;
const VIETNAM_OFFSET_MS = 7 * 3600_000;

// Made once: an Intl formatter costs more to create than the whole fingerprint query.
const vietnamDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" });

export interface PublicState {
  /** Fingerprint of rounds, certificates, commendations, open registrations and the date. */
  fingerprint: string;
  /** Fingerprint of the programme report (figures, approvals, indicators). */
  programme: string;
  /** A short hash of both: the version the page cache is keyed by. */
  key: string;
  /** Until when (epoch ms) the snapshot is valid without a notification. */
  until: number;
  /** The installation's flags (app_flags) as they were read with the fingerprint. */
  flags: Readonly<Record<string, string>>;
}

/** A fingerprint of everything the public pages show that can change after publication. */
export async function publicStateFingerprint(tx: Database = db()): Promise<string> {
  return (await readFingerprint(tx)).fingerprint;
}

async function readFingerprint(tx: Database): Promise<{ fingerprint: string; nextClose: number | null; flags: Record<string, string> }> {
  const result = await tx.execute(sql`
    select
      (select coalesce(string_agg(id || ':' || public_version || ':' || coalesce(extract(epoch from published_at)::bigint, 0), ',' order by id), '')
         from rounds where status = 'published') as rounds,
      (select count(*) || ':' || coalesce(max(id), 0) || ':' || count(revoked_at) || ':' || coalesce(extract(epoch from max(revoked_at))::bigint, 0)
         from certificates) as certificates,
      (select count(*) || ':' || coalesce(extract(epoch from max(updated_at))::bigint, 0)
         from commendation_decisions where status = 'issued') as decisions,
      (select count(*) || ':' || count(revoked_at) || ':' || coalesce(max(id), 0)
         from commendation_recipients) as recipients,
      (select coalesce(string_agg(id || ':' || extract(epoch from updated_at)::bigint || ':' || (registration_closes_at > now()), ',' order by id), '')
         from rounds where status = 'registration') as open_rounds,
      (select count(english_updated_at) || ':' || coalesce((extract(epoch from max(english_updated_at)) * 1000000)::bigint, 0)
         from products) as english,
      (select (extract(epoch from min(registration_closes_at)) * 1000)::bigint
         from rounds where status = 'registration' and registration_closes_at > now()) as next_close,
      -- Installation flags (the demo notice is on every page): migration 0016.
      (select coalesce(string_agg(key || '=' || value, ',' order by key), '') from app_flags) as flags`);
  const [row] = rowsOf<Record<string, string | null>>(result);
  const fingerprint = [row?.rounds, row?.certificates, row?.decisions, row?.recipients, row?.open_rounds, row?.flags, row?.english, vietnamDate.format(new Date())].join("|");
  const flags = Object.fromEntries((row?.flags ?? "").split(",").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
  return { fingerprint, nextClose: row?.next_close == null ? null : Number(row.next_close), flags };
}

/** The next midnight in Vietnam (UTC+7, no daylight saving), epoch ms. */
function nextVietnamMidnight(now: number): number {
  const day = 86_400_000;
  return Math.floor((now + VIETNAM_OFFSET_MS) / day) * day + day - VIETNAM_OFFSET_MS;
}

async function readState(tx: Database = db()): Promise<PublicState> {
  const now = Date.now();
  const [{ fingerprint, nextClose, flags }, programme] = await Promise.all([readFingerprint(tx), programmeFingerprint(tx)]);
  const until = Math.min(now + MAX_AGE_MS, nextVietnamMidnight(now), nextClose ?? Infinity);
  const key = crypto.createHash("sha256").update(`${fingerprint}\n${programme}`).digest("base64url").slice(0, 22);
  return { fingerprint, programme, key, until, flags };
}

// ── the in-memory copy ──
// On globalThis: server.ts (source) and the Remix build (bundled copy of this module) share it.
interface Memory {
  listening: boolean;
  current: PublicState | null;
  /** Notifications (and (re)connections) seen; `readAt` is its value when `current` was read. */
  changes: number;
  readAt: number;
  pending: Promise<PublicState> | null;
  onChange: Set<(state: PublicState) => void>;
}
const KEY = Symbol.for("cnnt.public-state");
const memory: Memory = ((globalThis as { [KEY]?: Memory })[KEY] ??= {
  listening: false,
  current: null,
  changes: 0,
  readAt: -1,
  pending: null,
  onChange: new Set(),
});

/** Reads until no notification arrived during the read (single flight). */
function refresh(): Promise<PublicState> {
  memory.pending ??= (async () => {
    try {
      for (;;) {
        const seen = memory.changes;
        const state = await readState();
        if (seen !== memory.changes && memory.listening) continue;
        const changed = memory.current?.key !== state.key;
        memory.current = state;
        memory.readAt = seen;
        if (changed) for (const listener of memory.onChange) listener(state);
        return state;
      }
    } finally {
      memory.pending = null;
    }
  })();
  return memory.pending;
}

/** The current snapshot if it is known to be current without asking the database, else null. */
export function freshPublicState(): PublicState | null {
  return memory.listening && memory.current && memory.readAt === memory.changes && Date.now() < memory.current.until ? memory.current : null;
}

/** Notifications seen so far: a page rendered while this changed is not stored. */
export function publicStateChanges(): number {
  return memory.changes;
}

/** The public state: from memory while the listener runs and nothing changed, else from the database. */
export async function publicState(): Promise<PublicState> {
  const fresh = freshPublicState();
  if (fresh) return fresh;
  if (!memory.listening) return readState();
  return refresh();
}

/** Called with the new state whenever the version changes (the page cache empties itself). */
export function onPublicStateChange(listener: (state: PublicState) => void): () => void {
  memory.onChange.add(listener);
  return () => memory.onChange.delete(listener);
}

function noteChange() {
  memory.changes++;
  // Read at once in the background, so the next visitor finds the new version ready.
  void refresh().catch(() => {});
}

/**
 * LISTENs for changes of the public state on the database of `handle` (server.ts, at start).
 * Without `listen` (a handle that cannot) every read keeps asking the database.
 */
export async function startPublicStateListener(handle: DatabaseHandle): Promise<() => Promise<void>> {
  if (!handle.listen) return async () => {};
  const unlisten = await handle.listen(PUBLIC_STATE_CHANNEL, noteChange, () => {
    memory.listening = true;
    noteChange();
  });
  return async () => {
    memory.listening = false;
    memory.current = null;
    await unlisten().catch(() => {});
  };
}
