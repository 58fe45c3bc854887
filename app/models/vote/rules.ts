/**
 * The people's-choice vote (issue 19), pure: phases of a poll, whether counts are shown, the limits of
 * a ballot, the network prefix of a client address, and burst detection. Advisory by construction:
 * nothing here reads or writes a score or a rank. Browser-importable.
 */
import type { Lang } from "../../i18n/config";
import { translated } from "../../i18n/errors";
import { VN_TZ } from "../../utils/format";

export const AWARD_NAME = "Sản phẩm được công chúng yêu thích";

export const DEFAULT_LIMITS = { maxTotal: 5, maxPerEntry: 1, maxPerDay: null as number | null };

/** Burst rules: this many votes for one product within the window from one network, or from fresh addresses. */
export const BURST = { threshold: 8, windowMinutes: 10, freshMinutes: 10 } as const;

/** How long a sign-in link for voting is valid, and a voter's cookie. */
export const VOTER_LINK_HOURS = 24;
export const VOTER_COOKIE_DAYS = 7;

export type VotePhase = "upcoming" | "open" | "closed" | "frozen";

export interface PollWindow {
  opensAt: Date | string;
  closesAt: Date | string;
  frozenAt: Date | string | null;
  showLive: boolean;
}

const ms = (d: Date | string) => new Date(d).getTime();

export function pollPhase(poll: PollWindow, now: Date = new Date()): VotePhase {
  if (poll.frozenAt) return "frozen";
  if (now.getTime() < ms(poll.opensAt)) return "upcoming";
  if (now.getTime() < ms(poll.closesAt)) return "open";
  return "closed";
}

export const PHASE_NAMES: Record<VotePhase, string> = {
  upcoming: "Sắp mở",
  open: "Đang mở",
  closed: "Đã đóng, chờ chốt kết quả",
  frozen: "Đã chốt kết quả",
};

/** Counts are public except while the window is open on a poll that hides them until it closes. */
export function totalsVisible(poll: PollWindow, now: Date = new Date()): boolean {
  return poll.showLive || pollPhase(poll, now) === "closed" || pollPhase(poll, now) === "frozen";
}

/** Votes can be cast and withdrawn only while the window is open. */
export function canCast(poll: PollWindow, now: Date = new Date()): boolean {
  return pollPhase(poll, now) === "open";
}

/** Flag decisions are taken before the counts are frozen. */
export function canDecideFlags(poll: PollWindow): boolean {
  return !poll.frozenAt;
}

/** The counts can be frozen once the window has closed and every flagged group is decided. */
export function canFreeze(poll: PollWindow, pendingFlags: number, now: Date = new Date()): boolean {
  return pollPhase(poll, now) === "closed" && pendingFlags === 0;
}

export const FLAG_KIND_NAMES = {
  prefix: "Nhiều phiếu cho một sản phẩm từ cùng một dải mạng",
  fresh: "Nhiều phiếu cho một sản phẩm từ các địa chỉ email vừa xác nhận",
} as const;

export type VoteFlagKindName = keyof typeof FLAG_KIND_NAMES;

export const FLAG_STATUS_NAMES = { pending: "Chờ quyết định", kept: "Giữ lại", excluded: "Loại" } as const;

// ── limits ──

export interface Limits {
  maxTotal: number;
  maxPerEntry: number;
  maxPerDay: number | null;
}

export interface CastVote {
  entryId: number;
  castAt: Date | string;
}

/** The Vietnam calendar day of a moment (yyyy-mm-dd). */
export function vietnamDay(d: Date | string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: VN_TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(d),
  );
}

/** A refusal as a key of `vote.refused` in the resources and its values (translated by the caller). */
export interface Refusal {
  key: string;
  params: Record<string, number>;
}

/**
 * Why a ballot (one vote for each chosen entry) breaks a limit, given the voter's votes still standing,
 * or null when it fits. Per entry counts the votes for that product, per day the Vietnam day of now.
 */
export function ballotRefusal(input: {
  limits: Limits;
  existing: readonly CastVote[];
  chosen: readonly number[];
  now?: Date;
}): Refusal | null {
  const { limits, existing, chosen } = input;
  const now = input.now ?? new Date();
  const no = (key: string, params: Record<string, number> = {}): Refusal => ({ key: `vote.refused.${key}`, params });
  if (chosen.length === 0) return no("chooseOne");
  if (new Set(chosen).size !== chosen.length) return no("onceEach");
  if (existing.length + chosen.length > limits.maxTotal) {
    const left = Math.max(0, limits.maxTotal - existing.length);
    return no("maxTotal", { max: limits.maxTotal, has: existing.length, left, chosen: chosen.length });
  }
  for (const entryId of chosen) {
    const already = existing.filter((v) => v.entryId === entryId).length;
    if (already + 1 > limits.maxPerEntry) {
      return limits.maxPerEntry === 1 ? no("perEntryOne") : no("perEntry", { max: limits.maxPerEntry });
    }
  }
  if (limits.maxPerDay != null) {
    const today = vietnamDay(now);
    const todays = existing.filter((v) => vietnamDay(v.castAt) === today).length;
    if (todays + chosen.length > limits.maxPerDay) return no("perDay", { max: limits.maxPerDay, today: todays });
  }
  return null;
}

/** The same, as a sentence in `lang` (Vietnamese by default). */
export function ballotProblem(input: Parameters<typeof ballotRefusal>[0], lang: Lang = "vi"): string | null {
  const refusal = ballotRefusal(input);
  return refusal ? translated(refusal.key, lang, refusal.params) : null;
}

// ── network prefix ──

function expandIpv6(ip: string): number[] | null {
  const [head, tail = ""] = ip.split("::");
  if (ip.split("::").length > 2) return null;
  const parse = (s: string) => (s ? s.split(":").map((h) => parseInt(h, 16)) : []);
  const a = parse(head);
  const b = parse(tail);
  const groups = ip.includes("::") ? [...a, ...new Array(8 - a.length - b.length).fill(0), ...b] : a;
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;
  return groups;
}

/**
 * The network a client address belongs to for rate limits and bursts: its /24 for IPv4 (an IPv4-mapped
 * IPv6 address counts as IPv4), its /48 for IPv6; anything unparseable stands for itself.
 */
export function networkPrefix(ip: string): string {
  const addr = ip
    .trim()
    .toLowerCase()
    .replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4 && v4.slice(1).every((o) => Number(o) <= 255)) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const groups = addr.includes(":") ? expandIpv6(addr.replace(/%.*$/, "")) : null;
  if (groups)
    return `${groups
      .slice(0, 3)
      .map((g) => g.toString(16))
      .join(":")}::/48`;
  return addr;
}

// ── bursts ──

export interface VoteSample {
  id: number;
  entryId: number;
  prefixHash: string;
  castAt: Date | string;
  /** When the voter proved the address. */
  voterVerifiedAt: Date | string | null;
}

export interface Burst {
  kind: "prefix" | "fresh";
  entryId: number;
  prefixHash: string | null;
  voteIds: number[];
  firstAt: Date;
  lastAt: Date;
}

/** Groups of at least `threshold` votes within `windowMinutes` sharing `keyOf`, in cast order (a sliding window). */
function windows(
  samples: readonly VoteSample[],
  keyOf: (v: VoteSample) => string | null,
  threshold: number,
  windowMs: number,
): VoteSample[][] {
  const byKey = new Map<string, VoteSample[]>();
  for (const v of samples) {
    const key = keyOf(v);
    if (key == null) continue;
    const list = byKey.get(key) ?? [];
    list.push(v);
    byKey.set(key, list);
  }
  const groups: VoteSample[][] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => ms(a.castAt) - ms(b.castAt));
    const inBurst = new Set<number>();
    let start = 0;
    for (let end = 0; end < list.length; end++) {
      while (ms(list[end].castAt) - ms(list[start].castAt) > windowMs) start++;
      if (end - start + 1 >= threshold) for (let i = start; i <= end; i++) inBurst.add(i);
    }
    // Consecutive members of bursts form one group (overlapping windows are one burst).
    let current: VoteSample[] = [];
    for (let i = 0; i < list.length; i++) {
      if (inBurst.has(i)) current.push(list[i]);
      else if (current.length) {
        groups.push(current);
        current = [];
      }
    }
    if (current.length) groups.push(current);
  }
  return groups;
}

/**
 * Bursts among votes not yet flagged: many votes for one product from one network within minutes
 * ("prefix"), or from addresses proven only minutes before they voted ("fresh"). A vote in a prefix
 * burst is not counted again in a fresh one.
 */
export function detectBursts(
  samples: readonly VoteSample[],
  rules: { threshold: number; windowMinutes: number; freshMinutes: number } = BURST,
): Burst[] {
  const windowMs = rules.windowMinutes * 60_000;
  const toBurst = (kind: Burst["kind"], group: VoteSample[]): Burst => ({
    kind,
    entryId: group[0].entryId,
    prefixHash: kind === "prefix" ? group[0].prefixHash : null,
    voteIds: group.map((v) => v.id),
    firstAt: new Date(group[0].castAt),
    lastAt: new Date(group[group.length - 1].castAt),
  });
  const prefix = windows(samples, (v) => `${v.entryId}|${v.prefixHash}`, rules.threshold, windowMs).map((g) =>
    toBurst("prefix", g),
  );
  const taken = new Set(prefix.flatMap((b) => b.voteIds));
  const isFresh = (v: VoteSample) =>
    v.voterVerifiedAt != null && ms(v.castAt) - ms(v.voterVerifiedAt) <= rules.freshMinutes * 60_000;
  const fresh = windows(
    samples.filter((v) => !taken.has(v.id) && isFresh(v)),
    (v) => String(v.entryId),
    rules.threshold,
    windowMs,
  ).map((g) => toBurst("fresh", g));
  return [...prefix, ...fresh];
}

// ── results ──

export interface Tally {
  entryId: number;
  entryCode: string;
  productName: string;
  votes: number;
}

/** Tallies in result order: most votes first, then by entry code. */
export function orderTallies<T extends Tally>(tallies: readonly T[]): T[] {
  return [...tallies].sort((a, b) => b.votes - a.votes || a.entryCode.localeCompare(b.entryCode));
}

/** The product(s) with the most counted votes (ties share the award); none when nobody voted. */
export function awardWinners<T extends Tally>(tallies: readonly T[]): T[] {
  const top = Math.max(0, ...tallies.map((t) => t.votes));
  return top === 0 ? [] : tallies.filter((t) => t.votes === top);
}

/**
 * Why the award's certificate cannot be issued for an entry, or null: only once the counts are frozen
 * (freezing is refused while a flagged group is undecided), only to a winner of the frozen counts (every
 * tied winner gets one), and only with a signer to print (the round's recorded signer, as on its
 * product certificates). Once per entry is the database's unique constraint.
 */
export function favouriteCertificateProblem(input: {
  frozen: boolean;
  winners: readonly { entryId: number }[];
  entryId: number;
  signerName: string | null;
}): string | null {
  if (!input.frozen) return `Chỉ cấp giấy chứng nhận “${AWARD_NAME}” sau khi kết quả bình chọn đã được chốt.`;
  if (!input.winners.some((w) => w.entryId === input.entryId))
    return `Chỉ sản phẩm có nhiều phiếu được tính nhất (kể cả các sản phẩm bằng phiếu nhau) mới được cấp giấy chứng nhận “${AWARD_NAME}”.`;
  if (!input.signerName)
    return "Đợt chưa ghi nhận người ký (họ tên, chức danh): ghi nhận ở bước quyết định công nhận trước khi cấp giấy chứng nhận.";
  return null;
}
