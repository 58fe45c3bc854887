/** The people's-choice vote (issue 19). */
import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, serial, smallint, text, uniqueIndex } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, updatedAt, ts } from "./columns";
import { entries } from "./entries";
import { rounds } from "./rounds";

export const VOTE_BASES = ["eligible", "selected"] as const;
export type VoteBasis = (typeof VOTE_BASES)[number];

/** One public vote per round: its window, limits and, once frozen, the final counts and their hash. */
export const votePolls = pgTable("vote_polls", {
  roundId: integer("round_id")
    .primaryKey()
    .references(() => rounds.id, { onDelete: "cascade" }),
  basis: text("basis").$type<VoteBasis>().notNull(),
  opensAt: ts("opens_at").notNull(),
  closesAt: ts("closes_at").notNull(),
  maxTotal: smallint("max_total").notNull().default(5),
  maxPerEntry: smallint("max_per_entry").notNull().default(1),
  maxPerDay: smallint("max_per_day"),
  showLive: boolean("show_live").notNull().default(true),
  frozenAt: ts("frozen_at"),
  finalTotals: jsonb("final_totals").$type<unknown>(),
  finalHash: text("final_hash"),
  createdBy: text("created_by").references(() => users.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const voteCandidates = pgTable(
  "vote_candidates",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => votePolls.roundId, { onDelete: "cascade" }),
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.entryId], name: "vote_candidates_pk" })],
);

/** A proven e-mail address (no password, no account). */
export const voters = pgTable("voters", {
  id: serial("id").primaryKey(),
  email: text("email").notNull(),
  createdAt: createdAt(),
  verifiedAt: ts("verified_at"),
});

export const VOTER_TOKEN_PURPOSES = ["sign_in", "ballot"] as const;
export type VoterTokenPurpose = (typeof VOTER_TOKEN_PURPOSES)[number];
export const voterTokens = pgTable("voter_tokens", {
  id: serial("id").primaryKey(),
  voterId: integer("voter_id")
    .notNull()
    .references(() => voters.id, { onDelete: "cascade" }),
  roundId: integer("round_id")
    .notNull()
    .references(() => rounds.id, { onDelete: "cascade" }),
  purpose: text("purpose").$type<VoterTokenPurpose>().notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  /** For a ballot confirmed by e-mail (the no-JavaScript path): the entries chosen. */
  entryIds: jsonb("entry_ids").$type<number[]>(),
  expiresAt: ts("expires_at").notNull(),
  usedAt: ts("used_at"),
  createdAt: createdAt(),
});

export const VOTE_FLAG_KINDS = ["prefix", "fresh"] as const;
export type VoteFlagKind = (typeof VOTE_FLAG_KINDS)[number];
export const VOTE_FLAG_STATUSES = ["pending", "kept", "excluded"] as const;
export type VoteFlagStatus = (typeof VOTE_FLAG_STATUSES)[number];
export const voteFlags = pgTable("vote_flags", {
  id: serial("id").primaryKey(),
  roundId: integer("round_id")
    .notNull()
    .references(() => votePolls.roundId, { onDelete: "cascade" }),
  entryId: integer("entry_id")
    .notNull()
    .references(() => entries.id),
  kind: text("kind").$type<VoteFlagKind>().notNull(),
  prefixHash: text("prefix_hash"),
  firstAt: ts("first_at").notNull(),
  lastAt: ts("last_at").notNull(),
  status: text("status").$type<VoteFlagStatus>().notNull().default("pending"),
  reason: text("reason"),
  decidedBy: text("decided_by").references(() => users.id),
  decidedAt: ts("decided_at"),
  createdAt: createdAt(),
});

export const votes = pgTable(
  "votes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => votePolls.roundId, { onDelete: "cascade" }),
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    voterId: integer("voter_id")
      .notNull()
      .references(() => voters.id),
    /** The n-th vote of this voter for this entry (1 … max per entry): unique while not withdrawn. */
    slot: smallint("slot").notNull().default(1),
    castAt: ts("cast_at").notNull().defaultNow(),
    /** HMAC of the client address and of its /24 (IPv4) or /48 (IPv6) network: never the address. */
    clientHash: text("client_hash").notNull(),
    prefixHash: text("prefix_hash").notNull(),
    userAgent: text("user_agent"),
    withdrawnAt: ts("withdrawn_at"),
    flagId: integer("flag_id").references(() => voteFlags.id),
  },
  (t) => [
    uniqueIndex("votes_voter_slot_uq").on(t.roundId, t.voterId, t.entryId, t.slot).where(sql`${t.withdrawnAt} is null`),
    index("votes_round_entry_idx").on(t.roundId, t.entryId),
    index("votes_round_cast_idx").on(t.roundId, t.castAt),
    index("votes_voter_idx").on(t.voterId, t.roundId),
  ],
);

export type VotePoll = typeof votePolls.$inferSelect;
export type Vote = typeof votes.$inferSelect;
export type VoteFlag = typeof voteFlags.$inferSelect;
