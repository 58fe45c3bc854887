/**
 * Bursts in the people's-choice vote (issue 19): flagging groups of votes for one product from one
 * network or from freshly proven addresses, and the organiser's keep/exclude decision with a reason.
 * Nothing is excluded silently: the public page and the API count and explain every exclusion.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";

import { voteFlags, votes, voters } from "../../../db/schema";
import { type Database, db, rowsOf } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { inTransaction } from "../../utils/retry.server";
import { recordAudit } from "../shared/audit.server";
import { forgetTallies, FROZEN_MESSAGE, frozenError, pollOf } from "./poll.server";
import { canDecideFlags, detectBursts, FLAG_KIND_NAMES, type VoteFlagKindName } from "./rules";

/** Flags new bursts among the poll's standing, unflagged votes; returns how many groups were made. */
export async function flagBursts(input: { roundId: number }, tx?: Database): Promise<number> {
  return inTransaction(tx, async (t) => {
    const samples = await t
      .select({
        id: votes.id,
        entryId: votes.entryId,
        prefixHash: votes.prefixHash,
        castAt: votes.castAt,
        voterVerifiedAt: voters.verifiedAt,
      })
      .from(votes)
      .innerJoin(voters, eq(voters.id, votes.voterId))
      .where(and(eq(votes.roundId, input.roundId), isNull(votes.flagId), isNull(votes.withdrawnAt)));
    const bursts = detectBursts(samples);
    for (const b of bursts) {
      const [flag] = await t
        .insert(voteFlags)
        .values({
          roundId: input.roundId,
          entryId: b.entryId,
          kind: b.kind,
          prefixHash: b.prefixHash,
          firstAt: b.firstAt,
          lastAt: b.lastAt,
        })
        .returning({ id: voteFlags.id });
      await t.update(votes).set({ flagId: flag.id }).where(inArray(votes.id, b.voteIds));
    }
    return bursts.length;
  }).catch(frozenError);
}

/** The flagged groups with their size, newest first. */
export async function listFlags(roundId: number, tx: Database = db()) {
  const rows = rowsOf<{
    id: number;
    entry_id: number;
    code: string | null;
    kind: VoteFlagKindName;
    first_at: Date | string;
    last_at: Date | string;
    status: "pending" | "kept" | "excluded";
    reason: string | null;
    decided_at: Date | string | null;
    n: number | string;
  }>(
    await tx.execute(sql`
      select f.id, f.entry_id, e.code, f.kind, f.first_at, f.last_at, f.status, f.reason, f.decided_at,
             (select count(*) from votes v where v.flag_id = f.id and v.withdrawn_at is null) as n
      from vote_flags f join entries e on e.id = f.entry_id where f.round_id = ${roundId} order by f.id desc`),
  );
  return rows.map((r) => ({
    id: r.id,
    entryCode: r.code ?? "",
    kind: r.kind,
    kindName: FLAG_KIND_NAMES[r.kind],
    firstAt: new Date(r.first_at),
    lastAt: new Date(r.last_at),
    status: r.status,
    reason: r.reason,
    decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    votes: Number(r.n),
  }));
}

/**
 * The organiser keeps or excludes a flagged group, with a reason (audited). A decided group can be
 * decided again until the counts are frozen; the reason of an exclusion is printed on the results.
 * @throws AppError 400 for a short reason, 404 for a group of another round, 409 once frozen.
 */
export async function decideFlag(
  input: { actorId: string; roundId: number; flagId: number; decision: "kept" | "excluded"; reason: string },
  tx?: Database,
) {
  const reason = input.reason.trim();
  if (reason.length < 5)
    throw new AppError(
      400,
      "Ghi lý do giữ hay loại nhóm phiếu (ít nhất 5 ký tự): lý do được ghi vào nhật ký và in trên trang kết quả.",
      { reason: "Nhập lý do." },
    );
  return inTransaction(tx, async (t) => {
    const poll = await pollOf(input.roundId, t);
    if (!poll) throw notFound();
    if (!canDecideFlags(poll)) throw new AppError(409, FROZEN_MESSAGE);
    const [flag] = await t
      .select()
      .from(voteFlags)
      .where(and(eq(voteFlags.id, input.flagId), eq(voteFlags.roundId, input.roundId)))
      .for("update");
    if (!flag) throw notFound("Không tìm thấy nhóm phiếu này.");
    const now = new Date();
    await t
      .update(voteFlags)
      .set({ status: input.decision, reason, decidedBy: input.actorId, decidedAt: now })
      .where(eq(voteFlags.id, flag.id));
    await recordAudit(
      {
        actorId: input.actorId,
        action: "vote.flag",
        entity: "vote_flag",
        entityId: flag.id,
        roundId: input.roundId,
        before: { status: flag.status, reason: flag.reason },
        after: { status: input.decision, reason },
      },
      t,
    );
    forgetTallies(input.roundId);
  }).catch(frozenError);
}
