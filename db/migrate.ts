import type { DatabaseHandle } from "../app/utils/db.server";
import { seedReference } from "./reference";

/** Applies the committed migrations, then the reference data. Same path for PGlite and PostgreSQL. */
export async function prepareDatabase(handle: DatabaseHandle) {
  await handle.migrate();
  await seedReference(handle.db);
}
