import crypto from "node:crypto";
import fs from "node:fs";

import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import postgres from "postgres";

import { type Database, type DatabaseHandle, openPostgres } from "../../app/utils/db.server";
import * as schema from "../../db/schema";
import { pgliteTemplatePath, postgresTemplateName, TEST_APP_ROLE, TEST_OWNER_ROLE, withDatabase, withUser } from "./template";

/**
 * A fresh database for one test file: an in-memory PGlite (one role), or a PostgreSQL copy of the
 * template owned by the owner role, which the tests reach as the restricted app role, like the app.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const blob = new Blob([fs.readFileSync(pgliteTemplatePath())]);
    const client = await PGlite.create({ loadDataDir: blob, extensions: { unaccent, pg_trgm } });
    const db = drizzlePglite(client, { schema }) as unknown as Database;
    return {
      kind: "pglite",
      db,
      migrate: async () => {},
      close: () => client.close(),
      async listen(channel, onNotify, onListen) {
        const stop = await client.listen(channel, onNotify);
        onListen();
        return () => stop();
      },
    };
  }
  const name = `cnnt_t_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${postgresTemplateName()}" owner "${TEST_OWNER_ROLE}"`);
  await admin.end();
  const handle = openPostgres(withUser(withDatabase(url, name), TEST_APP_ROLE), { max: 5 });
  ownerUrl = withUser(withDatabase(url, name), TEST_OWNER_ROLE);
  return {
    ...handle,
    async close() {
      await handle.close();
      const a = postgres(url, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await a.end();
    },
  };
}

let ownerUrl: string | undefined;

/** The owner role's address of this file's database (PostgreSQL), for a server process that migrates it. */
export const ownerDatabaseUrl = () => ownerUrl;

/**
 * Runs `fn` with a connection as the owner of the tables (PostgreSQL), or the single PGlite role:
 * for tests that check what even the owner cannot do, and what only the owner can.
 */
export async function asOwner<T>(fn: (owner: Database) => Promise<T>, fallback: Database): Promise<T> {
  if (!ownerUrl) return fn(fallback);
  const owner = openPostgres(ownerUrl, { max: 1 });
  try {
    return await fn(owner.db);
  } finally {
    await owner.close();
  }
}
