/**
 * The conflict-of-interest rule — the fairness rule — written once. A juror is in conflict with an
 * entry when a `conflicts` row of the round names them with the entry itself or with its facility
 * (automatic rows carry the facility-member, same-province and scored-elsewhere rules; declared rows
 * the juror's own reasons). Every query that keeps a conflicted juror away from an entry, or counts
 * one, uses these fragments; `tests/unit/one-home.test.ts` fails if a second copy of the predicate
 * appears in app/.
 *
 * The arguments are SQL expressions of the outer query: columns (`${entries.id}`), aliases
 * (`sql.raw("e.id")`) or values.
 */
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

export type ConflictOf = {
  roundId: SQLWrapper | number;
  jurorId: SQLWrapper | string;
  entryId: SQLWrapper | number;
  facilityId: SQLWrapper | number;
};

const matching = (p: ConflictOf) =>
  sql`conflicts c where c.round_id = ${p.roundId} and c.user_id = ${p.jurorId} and (c.entry_id = ${p.entryId} or c.facility_id = ${p.facilityId})`;

/** `exists (…)`: the juror is in conflict with the entry. */
export const conflicted = (p: ConflictOf): SQL => sql`exists (select 1 from ${matching(p)})`;
/** `not exists (…)`: the juror is not in conflict with the entry. */
export const notConflicted = (p: ConflictOf): SQL => sql`not exists (select 1 from ${matching(p)})`;
/** The reason of the juror's first conflict with the entry, or null. */
export const conflictReason = (p: ConflictOf): SQL<string | null> =>
  sql<string | null>`(select c.reason from ${matching(p)} order by c.id limit 1)`;

/** Aliases as SQL expressions (for hand-written queries). */
export const col = (name: string): SQL => sql.raw(name);
