/**
 * Test databases: the migrations and reference data are applied once (global setup) into a
 * template — a PGlite data-dir dump, or a PostgreSQL template database — and every test file
 * starts from a fresh copy of it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function migrationsDigest(): string {
  const dir = path.resolve("db/migrations");
  const hash = crypto.createHash("sha256");
  for (const file of fs.readdirSync(dir).sort()) {
    if (file.endsWith(".sql")) hash.update(fs.readFileSync(path.join(dir, file)));
  }
  hash.update(fs.readFileSync(path.resolve("db/reference/index.ts")));
  hash.update(fs.readFileSync(path.resolve("db/reference/cnnt-domain.json")));
  // Templates built as the owner role with the app role's grants (db/roles.ts).
  hash.update(fs.readFileSync(path.resolve("db/roles.ts")));
  // The job queue's schema and queues (pg-boss) are part of the template on PostgreSQL.
  hash.update(fs.readFileSync(path.resolve("db/queue.ts")));
  hash.update(fs.readFileSync(path.resolve("app/utils/queue.server.ts")));
  return hash.digest("hex").slice(0, 12);
}

export function pgliteTemplatePath(): string {
  return path.join(os.tmpdir(), `cnnt-test-template-${migrationsDigest()}.tar.gz`);
}

export function postgresTemplateName(): string {
  return `cnnt_tpl_${migrationsDigest()}`;
}

/** The same server with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The two roles of the PostgreSQL test run, made by the test setup itself (never by hand): the owner
 * runs the migrations and owns every table; the app role only reads and writes rows.
 */
export const TEST_OWNER_ROLE = "cnnt_test_owner";
export const TEST_APP_ROLE = "cnnt_test_app";

/** The same address as another role (trust or peer authentication, as on the CI server). */
export function withUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = "";
  return u.toString();
}
