/**
 * What runs in the background of every app process (issue 18), all on the job queue
 * (app/utils/queue.server.ts): pg-boss on PostgreSQL, so each job runs once for the whole cluster
 * and a job whose process dies is taken over by another; in-process on PGlite.
 * - certificates: batches (jobs.server.ts), resumed at start;
 * - outbox: mail passes (messaging/outbox.server.ts), kicked after each message and every 10 s;
 * - integrity: the daily result-hash check (integrity.server.ts), 03:00 Vietnam time;
 * - sweep: stray upload files (storage-cleanup.server.ts), rate-limit rows long over and complaint
 *   requests never confirmed (complaint.server.ts), hourly;
 * - reminders: scoring deadline reminders (round-notices.server.ts), hourly.
 */
import { type DatabaseHandle } from "../../utils/db.server";
import { defineJob, PgBossQueue, queue, setQueue } from "../../utils/queue.server";
import { purgeExpiredLimits } from "../account/throttle.server";
import { startMailWorker } from "../messaging/outbox.server";
import { purgeExpiredComplaintRequests } from "../results/complaint.server";
import { scheduleDailyIntegrityCheck } from "../results/integrity.server";
import { sendScoringReminders } from "../round/notices.server";
import { resumeJobs } from "./jobs.server";
import { cleanupStorage } from "./storage-cleanup.server";

defineJob("sweep", async () => {
  const swept = await cleanupStorage();
  if (swept.length) console.log(`Đã dọn ${swept.length} tệp/thư mục thừa trong thư mục tải lên.`);
  await purgeExpiredLimits();
  await purgeExpiredComplaintRequests();
});

defineJob("reminders", async () => {
  await sendScoringReminders();
});

/** Starts the queue (pg-boss on PostgreSQL) and the recurring jobs; returns the stop. */
export async function startBackground(
  handle: DatabaseHandle,
  log: (m: string) => void = console.log,
): Promise<{ stop(): Promise<void> }> {
  if (handle.kind === "postgres" && handle.url) {
    const q = new PgBossQueue({ url: handle.url });
    await q.start();
    setQueue(q);
  }
  // Certificate batches a stop interrupted carry on (each certificate is rendered at most once).
  const resumed = await resumeJobs();
  if (resumed) log(`Tiếp tục ${resumed} lượt phát hành giấy chứng nhận.`);
  // The stored result hashes are recomputed daily; a mismatch is audited and logged (issue 13).
  await scheduleDailyIntegrityCheck();
  await queue().every("sweep", 60);
  await queue().every("reminders", 60);
  // The worker sends what is due (issue 16); a message a stop interrupted is due again when its
  // claim's lease (outbox.claimed_until) runs out.
  const mail = startMailWorker();
  return {
    async stop() {
      await mail.stop().catch(() => {});
      await queue()
        .stop()
        .catch(() => {});
    },
  };
}
