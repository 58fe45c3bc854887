/** The jury and its scoring: members, conflicts, assignments, sheets, decisions, scores, ties. */
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, points, ts, updatedAt } from "./columns";
import { entries } from "./entries";
import { facilities } from "./facilities";
import { rounds, rubricCriteria } from "./rounds";

// ───────────────────────────── council and scoring ─────────────────────────────

export const councilMembers = pgTable(
  "council_members",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role").$type<"chair" | "member" | "secretary">().notNull(),
    /** Product groups this member judges; empty = all groups. */
    groupNos: smallint("group_nos").array().notNull().default(sql`'{}'::smallint[]`),
    /** Province of the member's home agency, for the optional same-province conflict rule. */
    provinceCode: text("province_code"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.userId] }),
    check("council_members_role_chk", sql`${t.role} in ('chair','member','secretary')`),
  ],
);

export const conflicts = pgTable(
  "conflicts",
  {
    id: serial("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    entryId: integer("entry_id").references(() => entries.id),
    facilityId: integer("facility_id").references(() => facilities.id),
    kind: text("kind").$type<"declared" | "automatic">().notNull(),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("conflicts_round_user_idx").on(t.roundId, t.userId),
    check("conflicts_target_chk", sql`${t.entryId} is not null or ${t.facilityId} is not null`),
    check("conflicts_kind_chk", sql`${t.kind} in ('declared','automatic')`),
  ],
);

export const assignments = pgTable(
  "assignments",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    jurorId: text("juror_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.jurorId] }), index("assignments_juror_idx").on(t.roundId, t.jurorId)],
);

export const scoreSheets = pgTable(
  "score_sheets",
  {
    id: serial("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id),
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    jurorId: text("juror_id")
      .notNull()
      .references(() => users.id),
    status: text("status").$type<"draft" | "submitted">().notNull().default("draft"),
    total: points("total").notNull().default("0"),
    comment: text("comment").notNull().default(""),
    submittedAt: ts("submitted_at"),
    /**
     * Whether a submitted sheet counts in its entry's score: a recorded fact (issue 13), changed only
     * by an organiser's decision on a sheet_decisions row, never by a conflict computed later.
     */
    counted: boolean("counted").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("score_sheets_entry_juror_unique").on(t.entryId, t.jurorId),
    index("score_sheets_round_idx").on(t.roundId),
    check("score_sheets_status_chk", sql`${t.status} in ('draft','submitted')`),
    check("score_sheets_total_chk", sql`${t.total} >= 0 and ${t.total} <= 100`),
    check("score_sheets_submitted_chk", sql`(${t.status} = 'submitted') = (${t.submittedAt} is not null)`),
  ],
);

/**
 * Pending and decided changes to the counted set: a conflict found after a sheet was submitted
 * (declared, membership, council or rule change) proposes to exclude it, a conflict that went away
 * proposes to count it again. Nothing changes until the organiser decides with a reason.
 */
export const sheetDecisions = pgTable(
  "sheet_decisions",
  {
    id: serial("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id),
    sheetId: integer("sheet_id")
      .notNull()
      .references(() => scoreSheets.id),
    proposal: text("proposal").$type<"exclude" | "include">().notNull(),
    /** Why the change was proposed (the conflict's reason, or its disappearance). */
    cause: text("cause").notNull(),
    status: text("status").$type<"pending" | "applied" | "rejected" | "withdrawn">().notNull().default("pending"),
    reason: text("reason"),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: ts("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("sheet_decisions_round_idx").on(t.roundId),
    uniqueIndex("sheet_decisions_one_pending").on(t.sheetId).where(sql`${t.status} = 'pending'`),
    check("sheet_decisions_proposal_chk", sql`${t.proposal} in ('exclude','include')`),
    check("sheet_decisions_status_chk", sql`${t.status} in ('pending','applied','rejected','withdrawn')`),
    check(
      "sheet_decisions_decided_chk",
      sql`(${t.status} in ('pending','withdrawn')) or (${t.reason} is not null and ${t.decidedAt} is not null)`,
    ),
  ],
);
export type SheetDecision = typeof sheetDecisions.$inferSelect;

export const scores = pgTable(
  "scores",
  {
    sheetId: integer("sheet_id")
      .notNull()
      .references(() => scoreSheets.id, { onDelete: "cascade" }),
    criterionId: integer("criterion_id")
      .notNull()
      .references(() => rubricCriteria.id),
    points: points("points").notNull(),
    note: text("note").notNull().default(""),
  },
  (t) => [
    primaryKey({ columns: [t.sheetId, t.criterionId] }),
    check("scores_points_chk", sql`${t.points} >= 0 and ${t.points} * 2 = trunc(${t.points} * 2)`),
  ],
);

/** The council's resolution of a tie across the quota boundary, recorded with its reason. */
export const tieResolutions = pgTable("tie_resolutions", {
  id: serial("id").primaryKey(),
  roundId: integer("round_id")
    .notNull()
    .references(() => rounds.id),
  tiedEntryIds: integer("tied_entry_ids").array().notNull(),
  selectedEntryIds: integer("selected_entry_ids").array().notNull(),
  reason: text("reason").notNull(),
  recordedBy: text("recorded_by").references(() => users.id),
  recordedAt: createdAt(),
});

export type CouncilMember = typeof councilMembers.$inferSelect;
export type ScoreSheet = typeof scoreSheets.$inferSelect;
