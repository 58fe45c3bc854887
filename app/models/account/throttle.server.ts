/**
 * Database-backed counters in `login_throttle` (shared by every app server): fixed windows per key
 * for sign-ups, resends and reset requests, beside the sign-in lock of user.server.ts.
 */
import { eq, sql } from "drizzle-orm";

import { loginThrottle } from "../../../db/schema";
import { countersDb, type Database, db, rowsOf } from "../../utils/db.server";

/** Counts one hit on `key` and tells whether it is within `limit` per `windowMinutes`. */
export async function withinLimit(input: { key: string; limit: number; windowMinutes: number }, tx: Database = countersDb()): Promise<boolean> {
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

/**
 * One request against a fixed window of `windowMs` on `key`, counted in `login_throttle` so every
 * app process shares it (the express limits of app/utils/rate-limit.server.ts). Returns how many
 * requests the window holds now and when it ends; a refused request (the count already past the
 * limit) writes nothing.
 */
export async function countRequest(input: { key: string; limit: number; windowMs: number }, tx: Database = countersDb()): Promise<{ count: number; resetAt: Date }> {
  const seconds = input.windowMs / 1000;
  const rows = rowsOf<{ n: number | null; started: Date | string }>(
    await tx.execute(sql`
      with hit as (
        insert into login_throttle as t (key, failures, updated_at) values (${input.key}, 1, now())
        on conflict (key) do update set
          failures = case when t.updated_at < now() - make_interval(secs => ${seconds}) then 1 else t.failures + 1 end,
          updated_at = case when t.updated_at < now() - make_interval(secs => ${seconds}) then now() else t.updated_at end
        where t.updated_at < now() - make_interval(secs => ${seconds}) or t.failures <= ${input.limit}
        returning t.failures, t.updated_at
      )
      select (select failures from hit) as n,
             coalesce((select updated_at from hit), (select updated_at from login_throttle where key = ${input.key})) as started`),
  );
  const row = rows[0];
  const started = new Date(row?.started ?? Date.now());
  return { count: row?.n ?? input.limit + 1, resetAt: new Date(started.getTime() + input.windowMs) };
}

/** Rows of windows and locks long over (the hourly sweep job). */
export async function purgeExpiredLimits(tx: Database = db()): Promise<number> {
  const rows = rowsOf(
    await tx.execute(sql`
      delete from login_throttle
      where updated_at < now() - interval '1 day' and (locked_until is null or locked_until < now())
      returning key`),
  );
  return rows.length;
}
