/**
 * The result hash is verified (issue 13): every finalised round's stored SHA-256 against the hash of
 * its final table recomputed now — at publication (results.server), daily (server.ts) and on the
 * admin page "Kiểm tra toàn vẹn". A mismatch is written to the audit log and shown to the admin and
 * the organiser (results page).
 */
import { asc, isNotNull } from "drizzle-orm";

import { rounds } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { sha256 } from "../../utils/hash.server";
import { defineJob, queue } from "../../utils/queue.server";
import { recordAudit } from "../shared/audit.server";
import { notifyRoundOrganizers } from "../shared/notification.server";
import { canonicalFinalTable } from "./results.server";

export interface IntegrityRow {
  roundId: number;
  slug: string;
  title: string;
  status: string;
  finalisedAt: Date | null;
  stored: string;
  recomputed: string;
  ok: boolean;
}

/** Stored and recomputed hash of every finalised round; each mismatch is audited (`integrity.mismatch`). */
export async function checkIntegrity(input: { actorId?: string | null; source: "admin" | "daily" } = { source: "admin" }, tx: Database = db()) {
  const list = await tx
    .select({
      id: rounds.id,
      slug: rounds.slug,
      title: rounds.title,
      status: rounds.status,
      finalisedAt: rounds.finalisedAt,
      finalHash: rounds.finalHash,
      level: rounds.level,
      regionCode: rounds.regionCode,
      provinceCode: rounds.provinceCode,
    })
    .from(rounds)
    .where(isNotNull(rounds.finalisedAt))
    .orderBy(asc(rounds.id));
  const out: IntegrityRow[] = [];
  for (const r of list) {
    const recomputed = sha256(await canonicalFinalTable(r.id, tx));
    const row = { roundId: r.id, slug: r.slug, title: r.title, status: r.status, finalisedAt: r.finalisedAt, stored: r.finalHash ?? "", recomputed, ok: recomputed === r.finalHash };
    if (!row.ok)
      await tx.transaction(async (t) => {
        await recordAudit(
          {
            actorId: input.actorId ?? null,
            action: "integrity.mismatch",
            entity: "round",
            entityId: r.id,
            roundId: r.id,
            after: { stored: row.stored, recomputed, source: input.source },
          },
          t,
        );
        // The round's organisers hear it once per mismatch (the daily check does not repeat it).
        await notifyRoundOrganizers(
          {
            round: r,
            kind: "integrity_mismatch",
            title: `Sai lệch kiểm tra toàn vẹn — đợt “${r.title}”`,
            body: `Mã băm kết quả đã lưu của đợt “${r.title}” (${row.stored.slice(0, 12)}…) không khớp với kết quả tính lại bây giờ (${recomputed.slice(0, 12)}…): dữ liệu kết quả đã bị thay đổi sau khi chốt. Xem nhật ký kiểm tra và báo quản trị viên.`,
            link: `/organizer/rounds/${r.slug}/results`,
            once: "ever",
          },
          t,
        );
      });
    out.push(row);
  }
  return out;
}

/** The daily check as a queue job (app/utils/queue.server.ts): once a day for the whole cluster, and once after a start. */
export async function runDailyIntegrityCheck(log: (message: string) => void = console.warn) {
  try {
    const bad = (await checkIntegrity({ source: "daily" })).filter((r) => !r.ok);
    if (bad.length) log(`Kiểm tra toàn vẹn: ${bad.length} đợt có mã băm kết quả không khớp (${bad.map((b) => b.slug).join(", ")}).`);
  } catch (error) {
    log(`Kiểm tra toàn vẹn hằng ngày thất bại: ${String(error)}`);
  }
}
defineJob("integrity", () => runDailyIntegrityCheck());

/** Schedules the check daily (03:00 Vietnam time) and a minute after start (at most once an hour across processes). */
export async function scheduleDailyIntegrityCheck() {
  await queue().every("integrity", 1440);
  await queue().send("integrity", {}, { delaySeconds: 60, throttleSeconds: 3600 });
}
