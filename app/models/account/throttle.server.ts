/**
 * Database-backed counters in `login_throttle` (shared by every app server): fixed windows per key
 * for sign-ups, resends and reset requests, beside the sign-in lock of user.server.ts.
 */
import { eq, sql } from "drizzle-orm";

import { loginThrottle } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";

/** Counts one hit on `key` and tells whether it is within `limit` per `windowMinutes`. */
export async function withinLimit(input: { key: string; limit: number; windowMinutes: number }, tx: Database = db()): Promise<boolean> {
  const stale = sql`${loginThrottle.updatedAt} < now() - make_interval(mins => ${input.windowMinutes})`;
  const [row] = await tx
    .insert(loginThrottle)
    .values({ key: input.key, failures: 1, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${stale} then 1 else ${loginThrottle.failures} + 1 end`,
        updatedAt: sql`case when ${stale} then now() else ${loginThrottle.updatedAt} end`,
      },
      // A refused attempt writes nothing: the count stops at the limit until its window has passed.
      setWhere: sql`${stale} or ${loginThrottle.failures} < ${input.limit}`,
    })
    .returning({ n: loginThrottle.failures });
  return !!row && row.n <= input.limit;
}

export async function clearLimit(key: string, tx: Database = db()) {
  await tx.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
