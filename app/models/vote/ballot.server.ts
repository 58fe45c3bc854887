/**
 * Voters and their votes (issue 19): an e-mail address proven by a one-time link (no password), a
 * signed cookie for the voter, the proof-of-work challenge (ALTCHA), limits per client and per
 * network, and the ballot itself — one transaction under a lock on the voter, so two tabs at once
 * make one row each product and fifty voters at once lose and double nothing. Only HMACs of the
 * client address and its network are stored.
 */
import crypto from "node:crypto";

import { createCookie } from "@remix-run/node";
import { createChallenge, verifySolution } from "altcha-lib";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type MailChecker from "mailchecker";

import { rounds, voteCandidates, votePolls, type VotePoll, voterTokens, voters, votes } from "../../../db/schema";
import { translatedError } from "../../i18n/errors";
import { type Database, db, pgErrorCode } from "../../utils/db.server";
import { env } from "../../utils/env.server";
import { formatDateTime } from "../../utils/format";
import { onFirstUse } from "../../utils/on-first-use.server";
import { inTransaction } from "../../utils/retry.server";
import { absoluteUrl, hashToken, newToken } from "../../utils/tokens.server";
import { countRequest } from "../account/throttle.server";
import { enqueueMessage } from "../messaging/outbox.server";
import { compose } from "../messaging/templates";
import { isPlausibleSlug } from "../round/rules";
import { frozenError, forgetTallies } from "./poll.server";
import { ballotRefusal, canCast, networkPrefix, pollPhase, VOTER_COOKIE_DAYS, VOTER_LINK_HOURS } from "./rules";

const mailChecker = onFirstUse<typeof MailChecker>("mailchecker");

// ── client addresses ──

export interface Client {
  ip: string;
  userAgent: string | null;
}

const hmac = (value: string) => crypto.createHmac("sha256", env().sessionSecret).update(value).digest("base64url").slice(0, 32);

/** HMACs of the address and of its /24 or /48: enough to group and rate-limit, never to recover an address. */
export function clientHashes(ip: string) {
  return { clientHash: hmac(`ip:${ip}`), prefixHash: hmac(`net:${networkPrefix(ip)}`) };
}

/** Requests per client and per network, shared by every process (login_throttle). */
export const VOTE_LIMITS = {
  perClientPerMinute: 30,
  perNetworkPerMinute: 300,
  linksPerClientPerHour: 10,
  linksPerAddressPerHour: 3,
};

/** A limit times RATE_LIMIT_FACTOR (the browser tests speak from one address). */
const scaled = (limit: number) => Math.round(limit * env().RATE_LIMIT_FACTOR);

async function withinVoteLimits(ip: string) {
  const { clientHash, prefixHash } = clientHashes(ip);
  const [client, network] = await Promise.all([
    countRequest({ key: `vote:c:${clientHash}`, limit: scaled(VOTE_LIMITS.perClientPerMinute), windowMs: 60_000 }),
    countRequest({ key: `vote:n:${prefixHash}`, limit: scaled(VOTE_LIMITS.perNetworkPerMinute), windowMs: 60_000 }),
  ]);
  if (client.count > scaled(VOTE_LIMITS.perClientPerMinute) || network.count > scaled(VOTE_LIMITS.perNetworkPerMinute)) {
    throw refused(429, "tooFast");
  }
}

// ── proof of work ──

/** The difficulty (largest number the browser may have to try); lowered only for benchmarks. */
const powMax = () => Number(process.env.VOTE_POW_MAX ?? 50_000);

export async function voteChallenge() {
  return createChallenge({ hmacKey: env().sessionSecret, maxNumber: powMax(), expires: new Date(Date.now() + 10 * 60_000) });
}

/** A refusal of a voter, in both languages (`vote.refused.<key>` in app/i18n/locales). */
const refused = (status: number, key: string, params?: Parameters<typeof translatedError>[2], fields?: Record<string, string>) =>
  translatedError(status, `vote.refused.${key}`, params, fields);

/** A solved, unexpired challenge, used once (a solution replayed for a second ballot is refused). */
async function requireSolution(payload: string | null) {
  if (!payload || payload.length > 2000) throw refused(400, "challenge");
  let ok = false;
  try {
    ok = await verifySolution(payload, env().sessionSecret, true);
  } catch {
    ok = false;
  }
  if (!ok) throw refused(400, "challenge");
  const used = await countRequest({
    key: `altcha:${crypto.createHash("sha256").update(payload).digest("base64url").slice(0, 32)}`,
    limit: 1,
    windowMs: 15 * 60_000,
  });
  if (used.count > 1) throw refused(400, "challenge");
}

// ── the voter's cookie ──

let voterCookieStore: ReturnType<typeof createCookie> | undefined;
function voterCookie() {
  voterCookieStore ??= createCookie("cnnt_voter", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: env().NODE_ENV === "production",
    secrets: [env().sessionSecret],
    maxAge: VOTER_COOKIE_DAYS * 86_400,
  });
  return voterCookieStore;
}

export interface VoterSession {
  voterId: number;
  email: string;
}

/** The voter proven on this browser, or null. */
export async function getVoter(request: Request): Promise<VoterSession | null> {
  const value = (await voterCookie().parse(request.headers.get("Cookie"))) as unknown;
  if (!value || typeof value !== "object") return null;
  const v = value as Partial<VoterSession>;
  return typeof v.voterId === "number" && typeof v.email === "string" ? { voterId: v.voterId, email: v.email } : null;
}

export function voterCookieHeader(session: VoterSession | null) {
  return session ? voterCookie().serialize(session) : voterCookie().serialize("", { maxAge: 0 });
}

// ── proving an address ──

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

/**
 * Sends a one-time link that proves the address (24 h). The answer is the same whether or not the
 * address has voted before. @throws AppError 400 for a malformed or disposable address, 429 past the limits.
 */
export async function requestVoterLink(input: { roundId: number; slug: string; email: string; ip: string }) {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw refused(400, "emailInvalid", {}, { email: "vote.refused.emailInvalidField" });
  if (!mailChecker().isValid(email)) throw refused(400, "disposable", {}, { email: "vote.refused.disposableField" });
  const [client, address] = await Promise.all([
    countRequest({
      key: `vote-link:c:${clientHashes(input.ip).clientHash}`,
      limit: scaled(VOTE_LIMITS.linksPerClientPerHour),
      windowMs: 3_600_000,
    }),
    countRequest({
      key: `vote-link:e:${hashToken(email).slice(0, 32)}`,
      limit: VOTE_LIMITS.linksPerAddressPerHour,
      windowMs: 3_600_000,
    }),
  ]);
  if (client.count > scaled(VOTE_LIMITS.linksPerClientPerHour) || address.count > VOTE_LIMITS.linksPerAddressPerHour) {
    throw refused(429, "tooManyLinks");
  }
  await inTransaction(undefined, async (t) => {
    const voterId = await voterIdFor(email, t);
    await issueToken({ voterId, roundId: input.roundId, slug: input.slug, email, purpose: "sign_in", entryIds: null }, t);
  });
}

async function voterIdFor(email: string, t: Database): Promise<number> {
  await t.insert(voters).values({ email }).onConflictDoNothing();
  const [row] = await t
    .select({ id: voters.id })
    .from(voters)
    .where(sql`lower(${voters.email}) = ${email}`);
  return row.id;
}

async function issueToken(
  input: {
    voterId: number;
    roundId: number;
    slug: string;
    email: string;
    purpose: "sign_in" | "ballot";
    entryIds: number[] | null;
  },
  t: Database,
) {
  const { token, hash } = newToken();
  const expiresAt = new Date(Date.now() + VOTER_LINK_HOURS * 3_600_000);
  await t.insert(voterTokens).values({
    voterId: input.voterId,
    roundId: input.roundId,
    purpose: input.purpose,
    tokenHash: hash,
    entryIds: input.entryIds,
    expiresAt,
  });
  const url = absoluteUrl(env().PUBLIC_URL, `/binh-chon/xac-nhan/${token}`);
  const content =
    input.purpose === "sign_in"
      ? compose({
          subject: "Đường dẫn bình chọn — CNNT Tiêu biểu",
          paragraphs: [
            "Bạn (hoặc ai đó dùng địa chỉ này) muốn tham gia bình chọn của công chúng trên nền tảng CNNT Tiêu biểu.",
            `Mở đường dẫn dưới đây để xác nhận địa chỉ email và bình chọn. Đường dẫn dùng được một lần, hết hạn lúc ${formatDateTime(expiresAt)}.`,
            "Nếu không phải bạn, hãy bỏ qua thư này.",
          ],
          link: { label: "Xác nhận và bình chọn", url },
        })
      : compose({
          subject: "Xác nhận lá phiếu — CNNT Tiêu biểu",
          paragraphs: [
            `Bạn vừa chọn ${input.entryIds?.length ?? 0} sản phẩm trong bình chọn của công chúng.`,
            `Mở đường dẫn để xác nhận lá phiếu (hết hạn lúc ${formatDateTime(expiresAt)}).`,
          ],
          link: { label: "Xác nhận lá phiếu", url },
        });
  await enqueueMessage({ to: input.email, kind: `vote.${input.purpose}`, content }, t);
}

/** What a link is for, without using it (the confirmation page). @throws AppError 404/410. */
export async function peekVoterLink(token: string) {
  const [row] = await db()
    .select()
    .from(voterTokens)
    .where(eq(voterTokens.tokenHash, hashToken(token)));
  if (!row) throw refused(404, "linkUnknown");
  if (row.usedAt) throw refused(410, "linkUsed");
  if (row.expiresAt.getTime() < Date.now()) throw refused(410, "linkExpired");
  return { purpose: row.purpose, roundId: row.roundId, entries: row.entryIds?.length ?? 0 };
}

/**
 * Uses a link once: proves the address (and, for a ballot confirmed by e-mail, casts it).
 * @throws AppError 410 for a used or expired link, and the ballot's refusals.
 */
export async function redeemVoterLink(input: {
  token: string;
  client: Client;
}): Promise<VoterSession & { roundId: number; cast: number }> {
  return inTransaction(undefined, async (t) => {
    const [row] = await t
      .select()
      .from(voterTokens)
      .where(eq(voterTokens.tokenHash, hashToken(input.token)))
      .for("update");
    if (!row) throw refused(404, "linkUnknown");
    if (row.usedAt) throw refused(410, "linkUsed");
    if (row.expiresAt.getTime() < Date.now()) throw refused(410, "linkExpired");
    await t.update(voterTokens).set({ usedAt: new Date() }).where(eq(voterTokens.id, row.id));
    const [voter] = await t
      .update(voters)
      .set({ verifiedAt: sql`coalesce(${voters.verifiedAt}, now())` })
      .where(eq(voters.id, row.voterId))
      .returning({ id: voters.id, email: voters.email });
    const cast =
      row.purpose === "ballot"
        ? await castIn(t, { roundId: row.roundId, voterId: voter.id, entryIds: row.entryIds ?? [], client: input.client })
        : 0;
    return { voterId: voter.id, email: voter.email, roundId: row.roundId, cast };
  });
}

// ── ballots ──

function windowError(poll: VotePoll) {
  return pollPhase(poll) === "upcoming"
    ? refused(409, "notYetOpen", (lang) => ({ date: formatDateTime(poll.opensAt, lang) }))
    : refused(409, "closed", (lang) => ({ date: formatDateTime(poll.closesAt, lang) }));
}

/** The checks and the insert of a ballot, inside the caller's transaction. */
async function castIn(
  t: Database,
  input: { roundId: number; voterId: number; entryIds: number[]; client: Client },
  dryRun = false,
): Promise<number> {
  // One voter at a time: a second tab waits here and then sees the first tab's votes.
  await t.execute(sql`select id from voters where id = ${input.voterId} for update`);
  const [poll] = await t.select().from(votePolls).where(eq(votePolls.roundId, input.roundId));
  if (!poll) throw refused(404, "noVote");
  if (!canCast(poll)) throw windowError(poll);
  const ids = [...new Set(input.entryIds)];
  const known = ids.length
    ? await t
        .select({ id: voteCandidates.entryId })
        .from(voteCandidates)
        .where(and(eq(voteCandidates.roundId, input.roundId), inArray(voteCandidates.entryId, ids)))
    : [];
  if (known.length !== ids.length) throw refused(400, "notInVote");
  const existing = await t
    .select({ entryId: votes.entryId, castAt: votes.castAt })
    .from(votes)
    .where(and(eq(votes.roundId, input.roundId), eq(votes.voterId, input.voterId), isNull(votes.withdrawnAt)));
  const problem = ballotRefusal({ limits: poll, existing, chosen: input.entryIds });
  if (problem) throw translatedError(409, problem.key, problem.params);
  if (dryRun) return 0;
  const { clientHash, prefixHash } = clientHashes(input.client.ip);
  await t.insert(votes).values(
    ids.map((entryId) => ({
      roundId: input.roundId,
      entryId,
      voterId: input.voterId,
      slot: existing.filter((v) => v.entryId === entryId).length + 1,
      clientHash,
      prefixHash,
      userAgent: input.client.userAgent?.slice(0, 300) ?? null,
    })),
  );
  forgetTallies(input.roundId);
  return ids.length;
}

/** The round of a vote, for a ballot (no tallies): null when the round has none or is a draft. */
export async function voteRound(slug: string): Promise<{ roundId: number; slug: string } | null> {
  if (!isPlausibleSlug(slug)) return null;
  const [row] = await db()
    .select({ id: rounds.id, slug: rounds.slug, status: rounds.status })
    .from(votePolls)
    .innerJoin(rounds, eq(rounds.id, votePolls.roundId))
    .where(eq(rounds.slug, slug));
  return row && row.status !== "draft" ? { roundId: row.id, slug: row.slug } : null;
}

/**
 * Casts one vote for each chosen entry, all or nothing: inside the window, within the limits, for
 * products of the vote, with a solved challenge — or, without JavaScript (`byMail`), after a link
 * sent to the voter's proven address. A filled honeypot writes nothing and answers as if accepted.
 * @throws AppError 400/409/429 with the reason.
 */
export async function castBallot(input: {
  roundId: number;
  slug: string;
  voter: VoterSession;
  entryIds: number[];
  client: Client;
  altcha: string | null;
  byMail?: boolean;
  honeypot?: string;
}) {
  if (input.honeypot) return { cast: 0, mailed: false };
  await withinVoteLimits(input.client.ip);
  if (input.byMail) {
    await inTransaction(undefined, async (t) => {
      await castIn(t, { ...input, voterId: input.voter.voterId }, true);
      await issueToken(
        {
          voterId: input.voter.voterId,
          roundId: input.roundId,
          slug: input.slug,
          email: input.voter.email,
          purpose: "ballot",
          entryIds: [...new Set(input.entryIds)],
        },
        t,
      );
    });
    return { cast: 0, mailed: true };
  }
  await requireSolution(input.altcha);
  try {
    const cast = await inTransaction(undefined, (t) => castIn(t, { ...input, voterId: input.voter.voterId }));
    return { cast, mailed: false };
  } catch (error) {
    if (pgErrorCode(error) === "23505") throw refused(409, "twoTabs");
    return frozenError(error);
  }
}

/** Withdraws one of the voter's own votes while the window is open. @throws AppError 404/409. */
export async function withdrawVote(input: { roundId: number; voterId: number; voteId: number }) {
  return inTransaction(undefined, async (t) => {
    const [poll] = await t.select().from(votePolls).where(eq(votePolls.roundId, input.roundId));
    if (!poll) throw refused(404, "noVote");
    if (!canCast(poll)) throw windowError(poll);
    const rows = await t
      .update(votes)
      .set({ withdrawnAt: new Date() })
      .where(
        and(
          eq(votes.id, input.voteId),
          eq(votes.roundId, input.roundId),
          eq(votes.voterId, input.voterId),
          isNull(votes.withdrawnAt),
        ),
      )
      .returning({ id: votes.id });
    if (!rows.length) throw refused(404, "voteNotFound");
    forgetTallies(input.roundId);
  }).catch(frozenError);
}

/** The voter's standing votes in the round. */
export async function votesOf(roundId: number, voterId: number) {
  return db()
    .select({ id: votes.id, entryId: votes.entryId, castAt: votes.castAt })
    .from(votes)
    .where(and(eq(votes.roundId, roundId), eq(votes.voterId, voterId), isNull(votes.withdrawnAt)))
    .orderBy(votes.id);
}

// ── generated votes (demo, benchmarks) ──
