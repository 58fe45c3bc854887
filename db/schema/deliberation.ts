/** Jury and council bodies, seats, the council process, sessions, votes, complaints (issue 14). */
import {
  boolean,
  index,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
} from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, ts } from "./columns";
import { entries } from "./entries";
import { rounds } from "./rounds";

// ───────────────────────────── jury, council, provisional results, complaints (issue 14) ─────────────────────────────
// The jury (Ban giám khảo) that scores is `council_members` (name kept: assignment, conflicts and
// sheets read it). The council (Hội đồng bình chọn) that meets and votes is `council_seats`.

export const BODY_KINDS = ["jury", "council"] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

/** The founding decision of a round's jury or council: number, date, signer, the signed PDF. */
export const roundBodies = pgTable(
  "round_bodies",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    kind: text("kind").$type<BodyKind>().notNull(),
    decisionNo: text("decision_no").notNull(),
    decisionDate: date("decision_date").notNull(),
    decisionSigner: text("decision_signer").notNull(),
    pdfId: text("pdf_id"),
    pdfName: text("pdf_name"),
    pdfSha256: text("pdf_sha256"),
    pdfSize: integer("pdf_size"),
    recordedBy: text("recorded_by").references(() => users.id),
    recordedAt: ts("recorded_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.kind], name: "round_bodies_pk" })],
);

export const SEAT_ROLES = ["chair", "vice_chair", "member", "secretary"] as const;
export type SeatRole = (typeof SEAT_ROLES)[number];

export const councilSeats = pgTable(
  "council_seats",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role").$type<SeatRole>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId], name: "council_seats_pk" })],
);

/** Per-round settings and state of the council process (kept off `rounds` so its lock stays as it is). */
export const roundProcess = pgTable("round_process", {
  roundId: integer("round_id")
    .primaryKey()
    .references(() => rounds.id, { onDelete: "cascade" }),
  /** Quorum: more than this percentage of the council's members present. */
  quorumPct: smallint("quorum_pct").notNull().default(50),
  /** An entry is voted in with more than this percentage of the members present agreeing. */
  votePct: smallint("vote_pct").notNull().default(50),
  complaintDays: smallint("complaint_days").notNull().default(10),
  provisionalPublishedAt: ts("provisional_published_at"),
  complaintsCloseAt: ts("complaints_close_at"),
  provisionalSessionId: integer("provisional_session_id"),
  decisionNote: text("decision_note"),
});

export const councilSessions = pgTable("council_sessions", {
  id: serial("id").primaryKey(),
  roundId: integer("round_id")
    .notNull()
    .references(() => rounds.id, { onDelete: "cascade" }),
  seq: smallint("seq").notNull(),
  heldOn: date("held_on").notNull(),
  place: text("place").notNull(),
  presentUserIds: text("present_user_ids").array().notNull(),
  membersTotal: integer("members_total").notNull(),
  purpose: text("purpose"),
  openedBy: text("opened_by").references(() => users.id),
  openedAt: ts("opened_at").notNull().defaultNow(),
  closedBy: text("closed_by").references(() => users.id),
  closedAt: ts("closed_at"),
});

export const councilVotes = pgTable(
  "council_votes",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => councilSessions.id, { onDelete: "cascade" }),
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    mode: text("mode").$type<"members" | "counts">().notNull(),
    yes: integer("yes").notNull(),
    no: integer("no").notNull(),
    approved: boolean("approved").notNull(),
    reason: text("reason"),
    /** Per-member votes (user id → agrees) when the vote was recorded member by member. */
    memberVotes: jsonb("member_votes").$type<Record<string, boolean>>(),
    recordedBy: text("recorded_by").references(() => users.id),
    recordedAt: ts("recorded_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.entryId], name: "council_votes_pk" })],
);

export const COMPLAINT_STATUSES = ["open", "accepted", "rejected"] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const FOLLOW_UPS = ["none", "rescreen", "new_session"] as const;
export type FollowUp = (typeof FOLLOW_UPS)[number];

export const complaints = pgTable("complaints", {
  id: serial("id").primaryKey(),
  roundId: integer("round_id")
    .notNull()
    .references(() => rounds.id, { onDelete: "cascade" }),
  code: text("code").notNull().unique(),
  /** The entry complained about; null = about the process. */
  entryId: integer("entry_id").references(() => entries.id),
  body: text("body").notNull(),
  pdfId: text("pdf_id"),
  pdfName: text("pdf_name"),
  pdfSha256: text("pdf_sha256"),
  pdfSize: integer("pdf_size"),
  userId: text("user_id").references(() => users.id),
  email: text("email"),
  filedAt: ts("filed_at").notNull().defaultNow(),
  status: text("status").$type<ComplaintStatus>().notNull().default("open"),
  resolution: text("resolution"),
  followUp: text("follow_up").$type<FollowUp>(),
  resolvedBy: text("resolved_by").references(() => users.id),
  resolvedAt: ts("resolved_at"),
});

export type CouncilSession = typeof councilSessions.$inferSelect;
export type CouncilVote = typeof councilVotes.$inferSelect;
export type Complaint = typeof complaints.$inferSelect;

// ── issue 14: complaints by a verified e-mail address, re-screening after a complaint ──

/**
 * A complaint sent by someone without an account: kept here, with the SHA-256 of a one-time link
 * mailed to the address, until the link is followed; only then is the complaint recorded
 * (`complaint_id`). Unconfirmed requests expire (`expires_at`) and are swept with their PDF.
 */
export const complaintRequests = pgTable(
  "complaint_requests",
  {
    id: serial("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    entryId: integer("entry_id").references(() => entries.id),
    body: text("body").notNull(),
    pdfId: text("pdf_id"),
    pdfName: text("pdf_name"),
    pdfSha256: text("pdf_sha256"),
    pdfSize: integer("pdf_size"),
    email: text("email").notNull(),
    client: text("client"),
    tokenHash: text("token_hash").notNull().unique(),
    /** SHA-256 of the receipt key mailed after confirmation (the receipt link for an address without an account). */
    receiptHash: text("receipt_hash"),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    complaintId: integer("complaint_id").references(() => complaints.id),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("complaint_requests_round_idx").on(t.roundId), index("complaint_requests_email_idx").on(t.email)],
);

export const RESCREEN_OUTCOMES = ["eligible", "ineligible"] as const;
export type RescreenOutcome = (typeof RESCREEN_OUTCOMES)[number];

/**
 * The re-screening an accepted complaint asked for (follow-up `rescreen`): the entry's dossier is
 * checked again; `ineligible` takes it off the candidates, and the council must meet again.
 */
export const complaintRescreenings = pgTable("complaint_rescreenings", {
  complaintId: integer("complaint_id")
    .primaryKey()
    .references(() => complaints.id, { onDelete: "cascade" }),
  entryId: integer("entry_id")
    .notNull()
    .references(() => entries.id),
  outcome: text("outcome").$type<RescreenOutcome>().notNull(),
  note: text("note").notNull(),
  decidedBy: text("decided_by").references(() => users.id),
  decidedAt: ts("decided_at").notNull().defaultNow(),
});
export type ComplaintRequest = typeof complaintRequests.$inferSelect;
export type ComplaintRescreening = typeof complaintRescreenings.$inferSelect;
