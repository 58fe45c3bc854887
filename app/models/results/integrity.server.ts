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
import { recordAudit } from "../shared/audit.server";
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
    .select({ id: rounds.id, slug: rounds.slug, title: rounds.title, status: rounds.status, finalisedAt: rounds.finalisedAt, finalHash: rounds.finalHash })
    .from(rounds)
    .where(isNotNull(rounds.finalisedAt))
    .orderBy(asc(rounds.id));
  const out: IntegrityRow[] = [];
  for (const r of list) {
    const recomputed = sha256(await canonicalFinalTable(r.id, tx));
    const row = { roundId: r.id, slug: r.slug, title: r.title, status: r.status, finalisedAt: r.finalisedAt, stored: r.finalHash ?? "", recomputed, ok: recomputed === r.finalHash };
    if (!row.ok)
      await recordAudit(
        { actorId: input.actorId ?? null, action: "integrity.mismatch", entity: "round", entityId: r.id, roundId: r.id, after: { stored: row.stored, recomputed, source: input.source } },
        tx,
      );
    out.push(row);
  }
  return out;
}

/** Runs the check once a day (and a minute after start); returns a stop function. */
export function scheduleDailyIntegrityCheck(log: (message: string) => void = console.warn) {
  const run = async () => {
    try {
      const bad = (await checkIntegrity({ source: "daily" })).filter((r) => !r.ok);
      if (bad.length) log(`Kiểm tra toàn vẹn: ${bad.length} đợt có mã băm kết quả không khớp (${bad.map((b) => b.slug).join(", ")}).`);
    } catch (error) {
      log(`Kiểm tra toàn vẹn hằng ngày thất bại: ${String(error)}`);
    }
  };
  const first = setTimeout(run, 60_000);
  const daily = setInterval(run, 24 * 60 * 60 * 1000);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
