/**
 * A real server process (tests/setup/app-process.ts) on a database the test file can also write
 * to: on PostgreSQL the file's own database (shared), on PGlite a data folder the test fills first
 * (through the models) and then hands to the child (PGlite allows one process per folder).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { databaseHandle, openPglite, setDatabase } from "../../app/utils/db.server";
import { prepareDatabase } from "../../db/migrate";
import { type AppProcess, startApp } from "./app-process";
import { ownerDatabaseUrl } from "./db";

/**
 * Runs `prepare` against the database the child will use, then starts the child.
 * On PGlite, `prepare` runs with a temporary handle that is closed before the child opens it.
 */
export async function startAppWith<T>(prepare: () => Promise<T>, env: Record<string, string> = {}): Promise<{ app: AppProcess; data: T; cleanup(): Promise<void> }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-app-"));
  const uploadsDir = path.join(root, "uploads");
  const own = databaseHandle();
  let data: T;
  let databaseUrl: string | undefined;
  let dataDir: string | undefined;
  if (own.kind === "postgres") {
    databaseUrl = own.url;
    data = await prepare();
  } else {
    dataDir = path.join(root, "data");
    const handle = await openPglite(dataDir);
    await prepareDatabase(handle);
    setDatabase(handle);
    try {
      data = await prepare();
    } finally {
      setDatabase(own);
      await handle.close();
    }
  }
  // The global setup builds in the test environment (React's development JSX runtime): the child
  // must run in the same mode.
  const migrationUrl = databaseUrl ? ownerDatabaseUrl() : undefined;
  const app = await startApp({ databaseUrl, dataDir, uploadsDir, env: { NODE_ENV: "test", ...(migrationUrl ? { MIGRATION_DATABASE_URL: migrationUrl } : {}), ...env } });
  return {
    app,
    data,
    async cleanup() {
      await app.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
