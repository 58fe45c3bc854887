/**
 * The one database client. With DATABASE_URL: PostgreSQL through postgres.js. Without it: the
 * embedded PGlite, persisted under DATA_DIR (one process per folder). The handle lives on
 * globalThis so server.ts and the Remix build share it, and tests can swap it.
 */
import fs from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { type SQL, sql } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import * as schema from "../../db/schema";
import { type RuleHint, ruleOfHint } from "./rule-hints";

export type Schema = typeof schema;
/** A database or a transaction: every model function accepts either. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  kind: "pglite" | "postgres";
  db: Database;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The PostgreSQL address (not for PGlite). */
  url?: string;
  /**
   * LISTEN on a channel: `onNotify` for every notification, `onListen` each time the listening
   * connection is (re)established — notifications sent while it was down are lost, so the caller
   * re-reads its state there. Resolves to the function that stops listening.
   */
  listen?(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<() => Promise<void>>;
  /** Most connections the pool opens (PostgreSQL). */
  poolMax?: number;
  /**
   * Rate-limit counters only (PostgreSQL): a small pool whose commits do not wait for the disk
   * (`synchronous_commit = off`). A counter row every request of one network updates would
   * otherwise stay locked for a disk flush per request; a crash may lose the last few counts,
   * never data. Without it (PGlite, tests' handles) counters use `db`.
   */
  counters?: Database;
  /**
   * Statements as one transaction in one round trip (PostgreSQL): begin, the statements and commit
   * written together on one connection (pipelinedTransaction). Returns each statement's rows.
   */
  atOnce?(statements: { sql: string; params: unknown[] }[]): Promise<Record<string, unknown>[][]>;
}

const KEY = Symbol.for("cnnt.database");
type Holder = { [KEY]?: DatabaseHandle };

export function migrationsFolder() {
  return path.resolve(process.cwd(), "db/migrations");
}

export async function openPglite(dataDir?: string): Promise<DatabaseHandle> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir ? dataDir : undefined, { extensions: { unaccent, pg_trgm } });
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    kind: "pglite",
    db,
    migrate: () => migratePglite(db as never, { migrationsFolder: migrationsFolder() }),
    close: () => client.close(),
    async listen(channel, onNotify, onListen) {
      const stop = await client.listen(channel, onNotify);
      onListen();
      return stop;
    },
  };
}

type Sql = postgres.Sql;

/**
 * The client drizzle is given: every statement with parameters becomes a named prepared statement of
 * its connection (postgres.js keeps them per connection, by text and parameter types). drizzle
 * prepares only statements it is asked to by name; unnamed ones cost two round trips each (Parse and
 * Describe, then Bind and Execute) and a parse and a plan in PostgreSQL every time — on a signed-in
 * page those were most of the database's time (issue 18). A statement without parameters keeps the
 * simple protocol (several statements in one text, as migrations send them). PostgreSQL re-plans a
 * prepared statement when a table it reads changes shape, and postgres.js retries a statement whose
 * cached plan became invalid.
 */
function preparing<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property) {
      if (property === "unsafe") {
        return (text: string, args?: unknown[], opts?: { prepare?: boolean }) =>
          args && args.length > 0 ? target.unsafe(text, args as never, { ...opts, prepare: true }) : target.unsafe(text, args as never, opts);
      }
      // A transaction's (or savepoint's) own client prepares the same way.
      if (property === "begin" || property === "savepoint") {
        const open = Reflect.get(target, property) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: Sql) => unknown;
          return open(...args, (tx: Sql) => body(preparing(tx)));
        };
      }
      return Reflect.get(target, property);
    },
  });
}

export function openPostgres(url: string, options: { max?: number } = {}): DatabaseHandle {
  const max = options.max ?? 10;
  const client = postgres(url, {
    max,
    onnotice: () => {},
    // pg_stat_activity (and pg_locks through it) names the app process of each connection (/metrics, the cluster test).
    connection: { application_name: `cnnt-${process.pid}` },
    // Fail fast while the server is down, so /healthz answers 503 instead of hanging.
    connect_timeout: 5,
    idle_timeout: 30,
  });
  const db = drizzlePostgres(preparing(client), { schema }) as unknown as Database;
  // Connections open on first use: a process that counts nothing opens none.
  const counterClient = postgres(url, {
    max: 3,
    onnotice: () => {},
    connection: { application_name: `cnnt-counters-${process.pid}`, synchronous_commit: "off" },
    connect_timeout: 5,
    idle_timeout: 30,
  });
  return {
    kind: "postgres",
    url,
    poolMax: max,
    db,
    counters: drizzlePostgres(preparing(counterClient), { schema }) as unknown as Database,
    migrate: () => migratePostgres(db as never, { migrationsFolder: migrationsFolder() }),
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), counterClient.end({ timeout: 5 })]);
    },
    async listen(channel, onNotify, onListen) {
      const { unlisten } = await client.listen(channel, onNotify, onListen);
      return unlisten;
    },
    async atOnce(statements) {
      const connection = await client.reserve();
      try {
        const run = (text: string, params: unknown[]) => connection.unsafe(text, params as never[], { prepare: params.length > 0 });
        // All queued in this tick: postgres.js writes them together and PostgreSQL runs them in
        // order. After a failed statement the rest answer 25P02 and COMMIT ends the transaction
        // as a rollback (it answers ROLLBACK, not an error).
        const settled = await Promise.allSettled([run("begin", []), ...statements.map((s) => run(s.sql, s.params)), run("commit", [])]);
        return pipelinedRows(settled).slice(1, -1);
      } finally {
        connection.release();
      }
    },
  };
}

const dialect = new PgDialect();

/**
 * The rows of statements pipelined in one transaction, each statement's in order; when some failed,
 * the error of the one that failed (the statements after it only answer 25P02, "transaction aborted").
 */
function pipelinedRows(settled: PromiseSettledResult<unknown>[]): Record<string, unknown>[][] {
  const failed = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
  if (failed.length) throw failed.find((e) => pgErrorCode(e) !== "25P02") ?? failed[0];
  return settled.map((r) => rowsOf((r as PromiseFulfilledResult<unknown>).value));
}

/**
 * Statements as one transaction, sent to PostgreSQL together: begin, all of them and commit are
 * handed to postgres.js in the same tick on one connection, so they are written at once (pipelined,
 * each with its own Sync) and the server runs them in order — one round trip for the transaction
 * instead of one for begin, one per statement and one for commit (issue 18, item 5). A statement
 * cannot use an earlier one's answer in JavaScript, only what it wrote (the same transaction sees it). When one fails, the ones after it
 * answer 25P02 and the transaction rolls back: that statement's error is thrown and nothing is kept.
 * On PGlite (no round trips), one after another. Inside a caller's transaction (`tx` not the root
 * client), in it. One statement alone is atomic by itself: it runs without begin and commit (one
 * round trip instead of three). Returns each statement's rows.
 */
export async function pipelinedTransaction(statements: SQL[], tx?: Database): Promise<Record<string, unknown>[][]> {
  const handle = databaseHandle();
  const inCallers = tx !== undefined && tx !== handle.db;
  if (statements.length === 1 && !inCallers) return [rowsOf(await handle.db.execute(statements[0]))];
  if (!inCallers && handle.atOnce) return handle.atOnce(statements.map((s) => dialect.sqlToQuery(s)));
  const run = async (t: Database) => {
    if (handle.kind === "postgres") {
      return pipelinedRows(await Promise.allSettled(statements.map((s) => t.execute(s))));
    }
    const results: Record<string, unknown>[][] = [];
    for (const statement of statements) results.push(rowsOf(await t.execute(statement)));
    return results;
  };
  return inCallers ? run(tx) : handle.db.transaction(run);
}

export function setDatabase(handle: DatabaseHandle | undefined) {
  (globalThis as Holder)[KEY] = handle;
}

export function databaseHandle(): DatabaseHandle {
  const handle = (globalThis as Holder)[KEY];
  if (!handle) throw new Error("Cơ sở dữ liệu chưa được mở (gọi setDatabase trước).");
  return handle;
}

export function db(): Database {
  return databaseHandle().db;
}

/**
 * A query drizzle builds once per database instead of on every call (its builder costs more CPU
 * than PostgreSQL spends running a small query): `build` returns the query with
 * `sql.placeholder(…)` for its values and `.prepare(name)`d; call the result for the current
 * database's copy and `.execute({ …values })` it. Inside a transaction, build the query on the
 * transaction instead (a prepared query runs on the pool, not on the transaction's connection).
 */
export function builtOnce<Q>(build: (database: Database) => Q): () => Q {
  const built = new WeakMap<Database, Q>();
  return () => {
    const database = db();
    let query = built.get(database);
    if (!query) built.set(database, (query = build(database)));
    return query;
  };
}

/** Where rate-limit counters are written (DatabaseHandle.counters, else the database). */
export function countersDb(): Database {
  const handle = databaseHandle();
  return handle.counters ?? handle.db;
}

/** Rows of a raw `execute()`: PGlite answers `{ rows }`, postgres.js an array. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A json column built in SQL (json_agg, json_build_object): parsed by postgres.js, a string from PGlite. */
export function jsonValue<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

export async function ping(database: Database = db()): Promise<void> {
  await database.execute(sql`select 1`);
}

/** The rule a trigger raised with `HINT = 'cnnt:…'` (app/utils/rule-hints.ts), if any (driver-independent). */
export function ruleViolation(error: unknown): RuleHint | undefined {
  let e = error as { hint?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++) {
    const rule = typeof e.hint === "string" ? ruleOfHint(e.hint) : undefined;
    if (rule) return rule;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** An id a serial (int4) column can hold. Anything else cannot exist: answer 404 without asking the database. */
export function isDbId(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 2_147_483_647;
}

/** The Postgres error code (23505 unique, 23503 foreign key, 23514 check…), through drizzle's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  let e = error as { code?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  let e = error as { constraint?: string; constraint_name?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++) {
    const name = e.constraint ?? e.constraint_name;
    if (typeof name === "string") return name;
    e = e.cause as typeof e;
  }
  return undefined;
}
