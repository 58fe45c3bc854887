/** The embedded database keeps its data across restarts, and the demo seed never runs twice. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";

import { databaseHandle, openPglite, rowsOf, setDatabase } from "../../app/utils/db.server";
import { prepareDatabase } from "../../db/migrate";
import { DEMO_ACCOUNTS, seedDemo } from "../../scripts/seed/demo";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-persist-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("embedded database", () => {
  // PGlite-specific (it opens its own embedded folder), so the PostgreSQL pass skips it.
  it.skipIf(!!process.env.DATABASE_URL)("creates missing parent folders, keeps data across a restart, and seeds the demo once", async () => {
    const original = databaseHandle();
    const dataDir = path.join(dir, "nested", "data");
    try {
      let handle = await openPglite(dataDir);
      setDatabase(handle);
      await prepareDatabase(handle);
      await seedDemo(handle.db);
      const count = async () => rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from users`))[0].n;
      const first = await count();
      expect(first).toBeGreaterThanOrEqual(DEMO_ACCOUNTS.length);
      await handle.close();

      handle = await openPglite(dataDir);
      setDatabase(handle);
      await prepareDatabase(handle); // migrations are recorded: applying again changes nothing
      await seedDemo(handle.db);
      expect(await count()).toBe(first);
      await handle.close();
    } finally {
      setDatabase(original);
    }
  }, 600_000);
});
