import type { DatabaseHandle } from "../app/utils/db.server";
import { installQueue } from "./queue";
import { seedReference } from "./reference";

/**
 * Applies the committed migrations, then the reference data. Same path for PGlite and PostgreSQL;
 * on PostgreSQL also the job queue's schema (pg-boss, db/queue.ts), as the same (owner) role.
 */
export async function prepareDatabase(handle: DatabaseHandle) {
  await handle.migrate();
  await seedReference(handle.db);
  if (handle.kind === "postgres" && handle.url) await installQueue(handle.url);
}
