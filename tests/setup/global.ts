import { execSync } from "node:child_process";
import fs from "node:fs";

import postgres from "postgres";

import { openPglite, openPostgres } from "../../app/utils/db.server";
import { prepareDatabase } from "../../db/migrate";
import { grantAppRole } from "../../db/roles";
import { pgliteTemplatePath, postgresTemplateName, TEST_APP_ROLE, TEST_OWNER_ROLE, withDatabase, withUser } from "./template";

/** Creates a login role unless it exists (two test runs may race: both errors mean "already there"). */
async function ensureRole(admin: postgres.Sql, name: string) {
  const [exists] = await admin`select 1 from pg_roles where rolname = ${name}`;
  if (exists) return;
  await admin.unsafe(`create role "${name}" login nosuperuser nocreatedb nocreaterole noreplication`).catch((error: { code?: string }) => {
    if (error.code !== "42710" && error.code !== "23505") throw error;
  });
}

export default async function setup() {
  // Tests that drive the real express app (server, web-hardening) load the production build:
  // build it once here, fresh, rather than racing two workers or testing a stale one (the server
  // bundle too: it holds the image process the build starts).
  execSync("npx remix build && node scripts/build/server.mjs", { stdio: "ignore" });
  const url = process.env.DATABASE_URL;
  if (!url) {
    const file = pgliteTemplatePath();
    if (fs.existsSync(file)) return;
    const handle = await openPglite();
    await prepareDatabase(handle);
    const client = (handle.db as unknown as { $client: { dumpDataDir(c?: string): Promise<Blob> } }).$client;
    const blob = await client.dumpDataDir("gzip");
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(tmp, file);
    await handle.close();
    return;
  }
  const name = postgresTemplateName();
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await ensureRole(admin, TEST_OWNER_ROLE);
    await ensureRole(admin, TEST_APP_ROLE);
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      const building = `${name}_build_${process.pid}`;
      await admin.unsafe(`drop database if exists "${building}"`);
      await admin.unsafe(`create database "${building}" owner "${TEST_OWNER_ROLE}"`);
      // Migrations as the owner role, then the app role's grants: the way production runs.
      const handle = openPostgres(withUser(withDatabase(url, building), TEST_OWNER_ROLE), { max: 1 });
      await prepareDatabase(handle);
      await grantAppRole(handle.db, TEST_APP_ROLE);
      await handle.close();
      await admin.unsafe(`alter database "${building}" rename to "${name}"`).catch(async () => {
        await admin.unsafe(`drop database if exists "${building}"`);
      });
      await admin.unsafe(`alter database "${name}" is_template true`).catch(() => {});
    }
    // Leftovers of interrupted runs: databases named after a test process that no longer exists.
    const stale = await admin`select datname from pg_database where datname like 'cnnt_t_%' and datname <> ${name}`;
    for (const row of stale) {
      const pid = Number(/^cnnt_t_(\d+)_/.exec(row.datname)?.[1]);
      if (!pid || processAlive(pid)) continue;
      await admin.unsafe(`drop database if exists "${row.datname}" with (force)`).catch(() => {});
    }
  } finally {
    await admin.end();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
