/** Generated votes written in bulk, for the demo data only (issue 19 §6); no route reaches it. */
import { inArray } from "drizzle-orm";

import { voters, votes } from "../../../db/schema";
import type { Database } from "../../utils/db.server";
import { inTransaction } from "../../utils/retry.server";
import { clientHashes } from "./ballot.server";
import { forgetTallies } from "./poll.server";

/**
 * Inserts generated votes in bulk (demo data): voters by address, one statement per 500 votes,
 * bypassing the window and limits (the demo writes a closed vote). Not reachable from a route.
 */
export async function bulkInsertVotes(
  input: { roundId: number; votes: { email: string; entryId: number; castAt: Date; ip: string; verifiedAt: Date }[] },
  tx?: Database,
) {
  return inTransaction(tx, async (t) => {
    const emails = [...new Set(input.votes.map((v) => v.email))];
    const firstProof = new Map<string, Date>();
    for (const v of input.votes)
      if (!firstProof.has(v.email) || v.verifiedAt < firstProof.get(v.email)!) firstProof.set(v.email, v.verifiedAt);
    for (let i = 0; i < emails.length; i += 500) {
      await t
        .insert(voters)
        .values(
          emails
            .slice(i, i + 500)
            .map((email) => ({ email, verifiedAt: firstProof.get(email)!, createdAt: firstProof.get(email)! })),
        )
        .onConflictDoNothing();
    }
    const ids = new Map<string, number>();
    for (let i = 0; i < emails.length; i += 500) {
      const rows = await t
        .select({ id: voters.id, email: voters.email })
        .from(voters)
        .where(inArray(voters.email, emails.slice(i, i + 500)));
      for (const r of rows) ids.set(r.email, r.id);
    }
    const slots = new Map<string, number>();
    const rows = input.votes.map((v) => {
      const key = `${v.email}|${v.entryId}`;
      const slot = (slots.get(key) ?? 0) + 1;
      slots.set(key, slot);
      return {
        roundId: input.roundId,
        entryId: v.entryId,
        voterId: ids.get(v.email)!,
        slot,
        castAt: v.castAt,
        ...clientHashes(v.ip),
        userAgent: "demo",
      };
    });
    for (let i = 0; i < rows.length; i += 500) await t.insert(votes).values(rows.slice(i, i + 500));
    forgetTallies(input.roundId);
    return rows.length;
  });
}
