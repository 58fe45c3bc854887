/**
 * The people's-choice poll of a round (issue 19): opening it over the round's eligible or recognised
 * entries, its window and limits, closing, the tallies (live, cached a few seconds per process), burst
 * flags and the organiser's decisions on them, and the frozen final counts with their SHA-256.
 * Advisory: nothing here reads or writes a score, a sheet or an entry status.
 */
import { and, eq, sql } from "drizzle-orm";

import {
  entries,
  type Round,
  rounds,
  voteCandidates,
  votePolls,
  type VotePoll,
} from "../../../db/schema";
import { translatedError } from "../../i18n/errors";
import { canonicalJson } from "../../utils/canonical-json";
import { type Database, db, ruleViolation, rowsOf } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { formatDateTime } from "../../utils/format";
import { sha256 } from "../../utils/hash.server";
import { inTransaction } from "../../utils/retry.server";
import { isPlausibleSlug } from "../round/rules";
import { recordAudit } from "../shared/audit.server";
import { type AwardCertificate, awardCertificates } from "./award.server";
import { flagBursts } from "./flags.server";
import {
  awardWinners,
  canFreeze,
  orderTallies,
  pollPhase,
  type Tally,
  totalsVisible,
} from "./rules";

export const FROZEN_MESSAGE = "Kết quả bình chọn của công chúng đã được chốt: không thay đổi phiếu hay quyết định nào được nữa.";

/** Translates the database's frozen-poll refusal (in both languages: voters see it on /en too). */
export function frozenError(error: unknown): never {
  if (ruleViolation(error) === "vote_frozen") throw translatedError(409, "vote.refused.frozen");
  throw error;
}

export async function pollOf(roundId: number, tx: Database = db()): Promise<VotePoll | null> {
  const [poll] = await tx.select().from(votePolls).where(eq(votePolls.roundId, roundId));
  return poll ?? null;
}

/** Which entries a poll of this round is over: the recognised ones once published, the eligible ones once screened (screening to deliberation). */
export function basisOf(status: Round["status"]): "eligible" | "selected" | null {
  if (status === "published") return "selected";
  if (status === "screening" || status === "scoring" || status === "deliberation") return "eligible";
  return null;
}

export interface PollSettings {
  opensAt: Date;
  closesAt: Date;
  maxTotal: number;
  maxPerEntry: number;
  maxPerDay: number | null;
  showLive: boolean;
}

/**
 * Opens a poll for the round, or changes its window and limits. The set of products is fixed when it
 * is opened: the recognised entries of a published round, or the eligible entries during scoring.
 * @throws AppError 409 for a round in another stage, a frozen poll, or a round without products.
 */
export async function savePoll(
  input: { actorId: string; round: Pick<Round, "id" | "status">; settings: PollSettings },
  tx?: Database,
) {
  return inTransaction(tx, async (t) => {
    const [round] = await t
      .select({ id: rounds.id, status: rounds.status })
      .from(rounds)
      .where(eq(rounds.id, input.round.id))
      .for("update");
    if (!round) throw notFound();
    const existing = await pollOf(round.id, t);
    if (existing?.frozenAt) throw new AppError(409, FROZEN_MESSAGE);
    const s = input.settings;
    if (!existing) {
      const basis = basisOf(round.status);
      if (!basis)
        throw new AppError(
          409,
          "Chỉ mở bình chọn của công chúng khi đợt đã có hồ sơ hợp lệ (thẩm định, chấm điểm) hoặc đã công bố kết quả (các sản phẩm được công nhận).",
        );
      const chosen = await t
        .select({ id: entries.id })
        .from(entries)
        .where(
          and(
            eq(entries.roundId, round.id),
            basis === "selected" ? eq(entries.status, "selected") : eq(entries.status, "eligible"),
          ),
        );
      if (!chosen.length) throw new AppError(409, "Đợt này chưa có sản phẩm nào để đưa ra bình chọn.");
      await t.insert(votePolls).values({ roundId: round.id, basis, ...s, createdBy: input.actorId });
      await t.insert(voteCandidates).values(chosen.map((e) => ({ roundId: round.id, entryId: e.id })));
    } else {
      await t
        .update(votePolls)
        .set({ ...s, updatedAt: new Date() })
        .where(eq(votePolls.roundId, round.id));
    }
    // The published round page links to the vote: its public state moves.
    if (round.status === "published")
      await t
        .update(rounds)
        .set({ publicVersion: sql`${rounds.publicVersion} + 1` })
        .where(eq(rounds.id, round.id));
    await recordAudit(
      {
        actorId: input.actorId,
        action: existing ? "vote.update" : "vote.open",
        entity: "round",
        entityId: round.id,
        roundId: round.id,
        before: existing ? settingsOf(existing) : null,
        after: s,
      },
      t,
    );
    forgetTallies(round.id);
  });
}

function settingsOf(p: VotePoll): PollSettings {
  return {
    opensAt: p.opensAt,
    closesAt: p.closesAt,
    maxTotal: p.maxTotal,
    maxPerEntry: p.maxPerEntry,
    maxPerDay: p.maxPerDay,
    showLive: p.showLive,
  };
}

/** Ends the window now (the organiser closes early). @throws AppError 409 when it is not open. */
export async function closePollNow(input: { actorId: string; roundId: number }, tx?: Database) {
  return inTransaction(tx, async (t) => {
    const [poll] = await t.select().from(votePolls).where(eq(votePolls.roundId, input.roundId)).for("update");
    if (!poll) throw notFound("Đợt này chưa mở bình chọn của công chúng.");
    if (pollPhase(poll) !== "open") throw new AppError(409, "Cuộc bình chọn không đang mở nên không đóng được.");
    const now = new Date();
    await t.update(votePolls).set({ closesAt: now, updatedAt: now }).where(eq(votePolls.roundId, input.roundId));
    await recordAudit(
      {
        actorId: input.actorId,
        action: "vote.close",
        entity: "round",
        entityId: input.roundId,
        roundId: input.roundId,
        before: { closesAt: poll.closesAt },
        after: { closesAt: now },
      },
      t,
    );
    forgetTallies(input.roundId);
  });
}

// ── tallies ──

/** Counted votes per product: not withdrawn, not in an excluded group. */
export async function countTallies(roundId: number, tx: Database = db()): Promise<Tally[]> {
  const rows = rowsOf<{ entry_id: number; code: string | null; name: string | null; votes: number | string }>(
    await tx.execute(sql`
      select c.entry_id, e.code,
             coalesce(nullif(e.snapshot->'product'->>'name', ''), nullif(e.snapshot->>'productName', '')) as name,
             (select count(*) from votes v left join vote_flags f on f.id = v.flag_id
               where v.round_id = c.round_id and v.entry_id = c.entry_id and v.withdrawn_at is null
                 and (f.id is null or f.status <> 'excluded')) as votes
      from vote_candidates c join entries e on e.id = c.entry_id
      where c.round_id = ${roundId}`),
  );
  return orderTallies(
    rows.map((r) => ({ entryId: r.entry_id, entryCode: r.code ?? "", productName: r.name ?? "", votes: Number(r.votes) })),
  );
}

export interface Exclusions {
  count: number;
  reasons: string[];
}

export async function countExclusions(roundId: number, tx: Database = db()): Promise<Exclusions> {
  const rows = rowsOf<{ reason: string; n: number | string }>(
    await tx.execute(sql`
      select f.reason, count(v.id) as n from vote_flags f join votes v on v.flag_id = f.id and v.withdrawn_at is null
      where f.round_id = ${roundId} and f.status = 'excluded' group by f.id, f.reason order by f.id`),
  );
  return { count: rows.reduce((s, r) => s + Number(r.n), 0), reasons: rows.map((r) => `${Number(r.n)} phiếu: ${r.reason}`) };
}

const TALLY_TTL_MS = 2_000;
const tallyCache = new Map<number, { at: number; value: Promise<{ totals: Tally[]; excluded: Exclusions }> }>();

/** Live tallies, computed from the rows at most every 2 s per process (a crowd reads one query). */
export function liveTallies(roundId: number) {
  const hit = tallyCache.get(roundId);
  if (hit && Date.now() - hit.at < TALLY_TTL_MS) return hit.value;
  const value = Promise.all([countTallies(roundId), countExclusions(roundId)]).then(([totals, excluded]) => ({
    totals,
    excluded,
  }));
  value.catch(() => tallyCache.delete(roundId));
  tallyCache.set(roundId, { at: Date.now(), value });
  return value;
}

export function forgetTallies(roundId: number) {
  tallyCache.delete(roundId);
}

export interface FrozenDoc {
  round: string;
  totals: { entryCode: string; productName: string; votes: number }[];
  excluded: Exclusions;
}

/** The canonical text the final hash is taken of. */
export function frozenDocument(slug: string, totals: readonly Tally[], excluded: Exclusions): FrozenDoc {
  return {
    round: slug,
    totals: totals.map((t) => ({ entryCode: t.entryCode, productName: t.productName, votes: t.votes })),
    excluded,
  };
}

/**
 * Freezes the final counts once the window has closed and every flagged group is decided: the
 * totals, the exclusions and their SHA-256 are stored; the database refuses any later change.
 * @throws AppError 409 while open or with a group undecided.
 */
export async function freezePoll(input: { actorId: string; roundId: number }, tx?: Database) {
  return inTransaction(tx, async (t) => {
    const [poll] = await t.select().from(votePolls).where(eq(votePolls.roundId, input.roundId)).for("update");
    if (!poll) throw notFound("Đợt này chưa mở bình chọn của công chúng.");
    if (poll.frozenAt) throw new AppError(409, FROZEN_MESSAGE);
    await flagBursts({ roundId: input.roundId }, t);
    const [{ n }] = rowsOf<{ n: number | string }>(
      await t.execute(sql`select count(*) as n from vote_flags where round_id = ${input.roundId} and status = 'pending'`),
    );
    if (!canFreeze(poll, Number(n))) {
      throw new AppError(
        409,
        pollPhase(poll) !== "closed"
          ? `Chỉ chốt kết quả sau khi cuộc bình chọn đóng (đóng lúc ${formatDateTime(poll.closesAt)}).`
          : `Còn ${Number(n)} nhóm phiếu bị đánh dấu chưa quyết định giữ hay loại.`,
      );
    }
    const [round] = await t.select({ slug: rounds.slug, status: rounds.status }).from(rounds).where(eq(rounds.id, input.roundId));
    const doc = frozenDocument(round.slug, await countTallies(input.roundId, t), await countExclusions(input.roundId, t));
    const hash = sha256(canonicalJson(doc));
    await t
      .update(votePolls)
      .set({ frozenAt: new Date(), finalTotals: doc, finalHash: hash, updatedAt: new Date() })
      .where(eq(votePolls.roundId, input.roundId));
    if (round.status === "published")
      await t
        .update(rounds)
        .set({ publicVersion: sql`${rounds.publicVersion} + 1` })
        .where(eq(rounds.id, input.roundId));
    await recordAudit(
      {
        actorId: input.actorId,
        action: "vote.freeze",
        entity: "round",
        entityId: input.roundId,
        roundId: input.roundId,
        after: { hash, excluded: doc.excluded.count },
      },
      t,
    );
    forgetTallies(input.roundId);
    return { hash };
  });
}

export { decideFlag, flagBursts, listFlags } from "./flags.server";

// ── what the public sees ──

export interface PublicVote {
  roundId: number;
  round: { slug: string; title: string; year: number; published: boolean };
  poll: {
    opensAt: Date;
    closesAt: Date;
    phase: ReturnType<typeof pollPhase>;
    showLive: boolean;
    limits: { maxTotal: number; maxPerEntry: number; maxPerDay: number | null };
    finalHash: string | null;
  };
  candidates: { entryId: number; entryCode: string; productName: string }[];
  totals: Tally[] | null;
  excluded: Exclusions;
  award: Tally[];
  /** The award's certificates issued so far (the organiser issues them one by one, if at all). */
  awardCertificates: AwardCertificate[];
}

/** A round's vote as the public sees it (null: the round has none); totals null while hidden. */
export async function publicVote(slug: string, now: Date = new Date()): Promise<PublicVote | null> {
  if (!isPlausibleSlug(slug)) return null;
  const [row] = await db()
    .select({
      round: { id: rounds.id, slug: rounds.slug, title: rounds.title, year: rounds.year, status: rounds.status },
      poll: votePolls,
    })
    .from(votePolls)
    .innerJoin(rounds, eq(rounds.id, votePolls.roundId))
    .where(eq(rounds.slug, slug));
  if (!row || row.round.status === "draft") return null;
  const { poll, round } = row;
  const frozen = poll.frozenAt ? (poll.finalTotals as FrozenDoc) : null;
  const live = await liveTallies(round.id);
  const totals = frozen
    ? live.totals.map((t) => ({ ...t, votes: frozen.totals.find((f) => f.entryCode === t.entryCode)?.votes ?? 0 }))
    : live.totals;
  const visible = totalsVisible(poll, now);
  const ordered = orderTallies(totals);
  return {
    roundId: round.id,
    round: { slug: round.slug, title: round.title, year: round.year, published: round.status === "published" },
    poll: {
      opensAt: poll.opensAt,
      closesAt: poll.closesAt,
      phase: pollPhase(poll, now),
      showLive: poll.showLive,
      limits: { maxTotal: poll.maxTotal, maxPerEntry: poll.maxPerEntry, maxPerDay: poll.maxPerDay },
      finalHash: poll.finalHash,
    },
    candidates: [...live.totals]
      .sort((a, b) => a.entryCode.localeCompare(b.entryCode))
      .map(({ entryId, entryCode, productName }) => ({ entryId, entryCode, productName })),
    totals: visible ? ordered : null,
    excluded: frozen ? frozen.excluded : live.excluded,
    award: frozen ? awardWinners(ordered) : [],
    awardCertificates: frozen ? await awardCertificates(round.id) : [],
  };
}

/** Whether a round has a public vote (the round page's link). */
export async function hasPublicVote(roundId: number, tx: Database = db()): Promise<boolean> {
  return !!(await pollOf(roundId, tx));
}

/** The organiser's export: every vote with hashed client addresses and its standing (no e-mail address). */
export async function exportVotes(roundId: number, tx: Database = db()) {
  const rows = rowsOf<{
    id: number | string;
    code: string | null;
    voter: number;
    cast_at: Date | string;
    client_hash: string;
    prefix_hash: string;
    user_agent: string | null;
    withdrawn_at: Date | string | null;
    flag_id: number | null;
    status: string | null;
  }>(
    await tx.execute(sql`
      select v.id, e.code, v.voter_id as voter, v.cast_at, v.client_hash, v.prefix_hash, v.user_agent, v.withdrawn_at, v.flag_id, f.status
      from votes v join entries e on e.id = v.entry_id left join vote_flags f on f.id = v.flag_id
      where v.round_id = ${roundId} order by v.id`),
  );
  const standing = (r: (typeof rows)[number]) => (r.withdrawn_at ? "đã rút" : r.status === "excluded" ? "bị loại" : "được tính");
  return rows.map((r) => [
    Number(r.id),
    r.code ?? "",
    sha256(`voter:${r.voter}`).slice(0, 16),
    new Date(r.cast_at).toISOString(),
    r.client_hash,
    r.prefix_hash,
    r.user_agent ?? "",
    standing(r),
    r.flag_id ?? "",
  ]);
}

export const EXPORT_HEADER = [
  "Phiếu",
  "Mã hồ sơ",
  "Người bình chọn (mã băm)",
  "Thời điểm (UTC)",
  "Địa chỉ máy (HMAC)",
  "Dải mạng (HMAC)",
  "Trình duyệt",
  "Tình trạng",
  "Nhóm đánh dấu",
];
