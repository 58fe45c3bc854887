/**
 * Pure ranking rules (DESIGN §4): an entry's score is the arithmetic mean of the submitted totals of
 * its non-conflicted jurors; passed = mean ≥ pass mark; selected = passed and within the quota.
 * A tie across the quota boundary is flagged and left to the council, never broken here.
 * No database here: results.server.ts aggregates in SQL and calls these functions.
 */

/**
 * Jurors "disagree strongly" when their totals for one entry are this far apart (max − min): the
 * default; a round may set another (`rounds.disagreement_spread`, issue 15 §7: the 20 is unconfirmed).
 */
export const DISAGREEMENT_SPREAD = 20;

export interface EntryStats {
  entryId: number;
  groupNo: number;
  /** Number of counted (submitted, non-conflicted) sheets. */
  n: number;
  /** Sum of counted totals × 2: an integer, since points move in steps of 0.5, so comparisons are exact. */
  sum2: number;
  median: number | null;
  min: number | null;
  max: number | null;
  /** Population standard deviation of the counted totals. */
  stdDev: number | null;
}

export interface TieResolution {
  id?: number;
  tiedEntryIds: number[];
  selectedEntryIds: number[];
  reason: string;
}

export interface RankedEntry extends EntryStats {
  mean: number | null;
  spread: number | null;
  disagreement: boolean;
  rank: number | null;
  groupRank: number | null;
  passed: boolean;
  selected: boolean;
  /** In a tie across the quota boundary (resolved or not). */
  tiedAtBoundary: boolean;
}

export interface BoundaryTie {
  entryIds: number[];
  /** Seats left for the tied entries once every entry above them is selected. */
  seats: number;
  resolution: TieResolution | null;
}

export interface RankingResult {
  entries: RankedEntry[];
  tie: BoundaryTie | null;
  /** True when nothing stops finalisation (no unresolved tie). */
  decidable: boolean;
}

/** Count, mean, median, min, max, population std dev of a list of totals. */
export function summarise(totals: number[]) {
  const n = totals.length;
  if (!n) return { n, sum2: 0, mean: null, median: null, min: null, max: null, stdDev: null };
  const sorted = [...totals].sort((a, b) => a - b);
  const sum2 = sorted.reduce((s, t) => s + Math.round(t * 2), 0);
  const mean = sum2 / 2 / n;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const variance = sorted.reduce((s, t) => s + (t - mean) ** 2, 0) / n;
  return { n, sum2, mean, median, min: sorted[0], max: sorted[n - 1], stdDev: Math.sqrt(variance) };
}

/** a before b when a's mean is higher: compares sum2a/na with sum2b/nb exactly. */
function compareMeans(a: EntryStats, b: EntryStats): number {
  return b.sum2 * a.n - a.sum2 * b.n;
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");

/** Competition ranking ("1, 2, 2, 4") of entries that have at least one counted sheet. */
function competitionRanks(list: EntryStats[]): Map<number, number> {
  const sorted = list.filter((e) => e.n > 0).sort((a, b) => compareMeans(a, b) || a.entryId - b.entryId);
  const ranks = new Map<number, number>();
  sorted.forEach((e, i) => {
    const prev = sorted[i - 1];
    ranks.set(e.entryId, prev && compareMeans(prev, e) === 0 ? ranks.get(prev.entryId)! : i + 1);
  });
  return ranks;
}

/**
 * Ranks a round. `passMark` compares exactly (mean ≥ pass mark ⇔ 50·sum2 ≥ 100·passMark·n). With a
 * quota, entries strictly above the boundary are selected; entries sharing the boundary mean are a
 * tie: selected only as a recorded resolution for exactly that set says, otherwise undecided.
 */
export function rankEntries(input: {
  stats: EntryStats[];
  passMark: number;
  quota: number | null;
  resolutions?: TieResolution[];
  /** The round's disagreement threshold (default DISAGREEMENT_SPREAD). */
  disagreementSpread?: number;
}): RankingResult {
  const { stats, passMark, quota } = input;
  const threshold = input.disagreementSpread ?? DISAGREEMENT_SPREAD;
  const rank = competitionRanks(stats);
  const groupRank = new Map<number, number>();
  for (const g of new Set(stats.map((s) => s.groupNo))) {
    for (const [id, r] of competitionRanks(stats.filter((s) => s.groupNo === g))) groupRank.set(id, r);
  }
  // The pass mark has two decimals (numeric(5,2)): mean ≥ p/100 ⇔ 50·sum2 ≥ p·n, all integers, so
  // 70.25 is 70.25 (never rounded to a half point).
  const mark100 = Math.round(passMark * 100);
  const passed = (e: EntryStats) => e.n > 0 && 50 * e.sum2 >= mark100 * e.n;
  const passing = stats.filter(passed).sort((a, b) => compareMeans(a, b) || a.entryId - b.entryId);

  const selected = new Set<number>();
  let tie: BoundaryTie | null = null;
  if (quota == null || passing.length <= quota) {
    passing.forEach((e) => selected.add(e.entryId));
  } else {
    const boundary = passing[quota - 1];
    const tied = passing.filter((e) => compareMeans(e, boundary) === 0);
    const above = passing.filter((e) => compareMeans(e, boundary) < 0);
    above.forEach((e) => selected.add(e.entryId));
    if (above.length + tied.length === quota) {
      tied.forEach((e) => selected.add(e.entryId));
    } else {
      const entryIds = tied.map((e) => e.entryId).sort((a, b) => a - b);
      const seats = quota - above.length;
      const resolution =
        [...(input.resolutions ?? [])]
          .reverse()
          .find(
            (r) =>
              sameSet(r.tiedEntryIds, entryIds) &&
              r.selectedEntryIds.length === seats &&
              r.selectedEntryIds.every((id) => entryIds.includes(id)),
          ) ?? null;
      tie = { entryIds, seats, resolution };
      resolution?.selectedEntryIds.forEach((id) => selected.add(id));
    }
  }
  const tiedIds = new Set(tie?.entryIds ?? []);
  const entries: RankedEntry[] = stats.map((s) => {
    const spread = s.max != null && s.min != null ? s.max - s.min : null;
    return {
      ...s,
      mean: s.n ? s.sum2 / 2 / s.n : null,
      spread,
      disagreement: spread != null && s.n > 1 && spread >= threshold,
      rank: rank.get(s.entryId) ?? null,
      groupRank: groupRank.get(s.entryId) ?? null,
      passed: passed(s),
      selected: selected.has(s.entryId),
      tiedAtBoundary: tiedIds.has(s.entryId),
    };
  });
  entries.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.entryId - b.entryId);
  return { entries, tie, decidable: !tie || !!tie.resolution };
}

/**
 * Advisory only: each juror's totals as z-scores against that juror's own mean and spread, so a
 * severe or lenient juror shows up. Changes nothing in the ranking.
 */
export function jurorZScores(sheets: { entryId: number; jurorId: string; total: number }[]) {
  const byJuror = new Map<string, number[]>();
  for (const s of sheets) byJuror.set(s.jurorId, [...(byJuror.get(s.jurorId) ?? []), s.total]);
  const jurors = new Map<string, { mean: number; sd: number; n: number }>();
  for (const [id, totals] of byJuror) {
    const { mean, stdDev, n } = summarise(totals);
    jurors.set(id, { mean: mean ?? 0, sd: stdDev ?? 0, n });
  }
  const perEntry = new Map<number, number[]>();
  for (const s of sheets) {
    const j = jurors.get(s.jurorId)!;
    const z = j.sd > 0 ? (s.total - j.mean) / j.sd : 0;
    perEntry.set(s.entryId, [...(perEntry.get(s.entryId) ?? []), z]);
  }
  const entryZ = new Map<number, number>();
  for (const [id, zs] of perEntry) entryZ.set(id, zs.reduce((a, b) => a + b, 0) / zs.length);
  return { jurors, entryZ };
}
