/**
 * The people's-choice award (issue 19) as the frozen counts give it: the candidates' final counts in
 * result order and the most-voted product(s), and the award certificates issued for them. Reads only.
 */
import { and, asc, eq } from "drizzle-orm";

import { certificates, entries, voteCandidates, votePolls, type VotePoll } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { certificateStatus, type CertificateStatus } from "../certificate/rules";
import type { FrozenDoc } from "./poll.server";
import { awardWinners, orderTallies, type Tally } from "./rules";

export interface FrozenAward {
  poll: VotePoll;
  /** The frozen counts per candidate in result order; empty before freezing. */
  totals: Tally[];
  /** The most-voted product(s) of the frozen counts (ties: all of them); empty before freezing. */
  winners: Tally[];
}

/**
 * A round's poll with its frozen counts and award, or null when the round has none. `lock` takes the
 * poll's row for update, so two issuers of the award's certificates run one after the other.
 */
export async function frozenAward(
  roundId: number,
  tx: Database = db(),
  opts: { lock?: boolean } = {},
): Promise<FrozenAward | null> {
  const query = tx.select().from(votePolls).where(eq(votePolls.roundId, roundId));
  const [poll] = opts.lock ? await query.for("update") : await query;
  if (!poll) return null;
  if (!poll.frozenAt) return { poll, totals: [], winners: [] };
  const doc = poll.finalTotals as FrozenDoc;
  const candidates = await tx
    .select({ entryId: entries.id, code: entries.code })
    .from(voteCandidates)
    .innerJoin(entries, eq(entries.id, voteCandidates.entryId))
    .where(eq(voteCandidates.roundId, roundId));
  const idOf = new Map(candidates.map((c) => [c.code ?? "", c.entryId]));
  const totals = orderTallies(
    doc.totals
      .filter((t) => idOf.has(t.entryCode))
      .map((t) => ({ entryId: idOf.get(t.entryCode)!, entryCode: t.entryCode, productName: t.productName, votes: t.votes })),
  );
  return { poll, totals, winners: awardWinners(totals) };
}

export interface AwardCertificate {
  entryId: number;
  entryCode: string;
  serial: string;
  code: string;
  status: CertificateStatus;
}

/** The award certificates issued in a round's vote, by serial. */
export async function awardCertificates(roundId: number, tx: Database = db()): Promise<AwardCertificate[]> {
  const rows = await tx
    .select({
      entryId: entries.id,
      entryCode: entries.code,
      serial: certificates.serial,
      code: certificates.code,
      revokedAt: certificates.revokedAt,
      validUntil: certificates.validUntil,
    })
    .from(certificates)
    .innerJoin(entries, eq(entries.id, certificates.favouriteEntryId))
    .where(and(eq(certificates.roundId, roundId), eq(certificates.kind, "favourite")))
    .orderBy(asc(certificates.serial));
  return rows.map((r) => ({
    entryId: r.entryId,
    entryCode: r.entryCode ?? "",
    serial: r.serial,
    code: r.code,
    status: certificateStatus(r),
  }));
}

/** The winners of a round's frozen vote, each with its award certificate if issued; null before freezing. */
export async function awardWithCertificates(roundId: number, tx: Database = db()) {
  const award = await frozenAward(roundId, tx);
  if (!award?.poll.frozenAt) return null;
  const issued = await awardCertificates(roundId, tx);
  return award.winners.map((w) => ({ ...w, certificate: issued.find((c) => c.entryId === w.entryId) ?? null }));
}
