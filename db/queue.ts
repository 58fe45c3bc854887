/**
 * The job queue's schema on PostgreSQL (pg-boss, issue 18), made by the owner role at migrate time:
 * pg-boss's own tables in the `pgboss` schema and one partition of `pgboss.job` per queue (creating
 * a queue is DDL, which the app role may not run). db/roles.ts then grants the app role row access.
 * PGlite has no such schema: its jobs run in-process (app/utils/queue.server.ts).
 */
import PgBoss from "pg-boss";

import { pgBossConfig, QUEUE_NAMES } from "../app/utils/queue.server";

export const QUEUE_SCHEMA = "pgboss";
/** pg-boss's own queue for cron schedules (timekeeper), made here because the app role cannot. */
const INTERNAL_QUEUES = ["__pgboss__send-it"];

/** Installs or upgrades pg-boss's schema and makes every queue; `ownerUrl` is MIGRATION_DATABASE_URL (or the single role). */
export async function installQueue(ownerUrl: string) {
  const boss = new PgBoss({ ...pgBossConfig(ownerUrl), max: 1, migrate: true, supervise: false, schedule: false });
  boss.on("error", () => {});
  await boss.start();
  try {
    for (const name of [...QUEUE_NAMES, ...INTERNAL_QUEUES]) {
      if (await boss.getQueue(name)) continue;
      await boss.createQueue(name, { name, policy: "standard", retryLimit: 20, retryDelay: 1 }).catch(async (error: unknown) => {
        // Two processes migrating at once: the other made it.
        if (!(await boss.getQueue(name))) throw error;
      });
    }
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 1000 });
  }
}
