/** Rounds and their rubric. */
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  serial,
  smallint,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { type Level, users } from "./accounts";
import { createdAt, points, ts, updatedAt } from "./columns";
import { productGroups, regions } from "./reference";

// ───────────────────────────── rounds ─────────────────────────────

export const ROUND_STATUSES = [
  "draft",
  "registration",
  "screening",
  "scoring",
  "deliberation",
  "published",
  "archived",
] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export const rounds = pgTable(
  "rounds",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    level: text("level").$type<Level>().notNull(),
    regionCode: text("region_code").references(() => regions.code),
    /** For commune/district/province rounds: a province code of either era; checked by the model. */
    provinceCode: text("province_code"),
    year: smallint("year").notNull(),
    registrationOpensAt: ts("registration_opens_at").notNull(),
    registrationClosesAt: ts("registration_closes_at").notNull(),
    scoringClosesAt: ts("scoring_closes_at").notNull(),
    passMark: points("pass_mark").notNull().default("70"),
    quota: integer("quota"),
    /** Jurors per entry for automatic assignment; null = every eligible council member. */
    jurorsPerEntry: integer("jurors_per_entry"),
    /** Optional conflict rule: a juror whose home province is the facility's is kept off its entries. */
    conflictSameProvince: boolean("conflict_same_province").notNull().default(false),
    /** Optional conflict rule (issue 15 §7, default off): a juror who scored the same product in another round. */
    conflictSameProduct: boolean("conflict_same_product").notNull().default(false),
    /** Scoring step (0.5 or 1; the 0.5 of today is not in Phụ lục 4, so it is a setting). */
    scoreStep: points("score_step").notNull().default("0.5"),
    /** Jurors "disagree strongly" when max − min of their totals reaches this (default 20). */
    disagreementSpread: points("disagreement_spread").notNull().default("20"),
    /** How the round takes entries: facilities register (direct) or the lower level nominates (issue 15). */
    intakeMode: text("intake_mode").$type<"direct" | "nomination">().notNull().default("direct"),
    authority: text("authority").notNull(),
    status: text("status").$type<RoundStatus>().notNull().default("draft"),
    decisionNo: text("decision_no"),
    decisionDate: date("decision_date"),
    /** The signer's title ("Phó Chủ tịch UBND tỉnh Thái Nguyên"), as the public pages name the signer. */
    decisionSigner: text("decision_signer"),
    /** The signer's name, printed under the signature of the product certificates. */
    decisionSignerName: text("decision_signer_name"),
    /** The capacity lines above the signature, one per line ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"). */
    decisionSignerCapacity: text("decision_signer_capacity"),
    finalisedAt: ts("finalised_at"),
    /** SHA-256 of the canonical final score table, stored at finalisation. */
    finalHash: text("final_hash"),
    publishedAt: ts("published_at"),
    /** Bumped on every change the public sees (publish, reopen, revocation): part of the ETag. */
    publicVersion: integer("public_version").notNull().default(0),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "rounds_status_chk",
      sql`${t.status} in ('draft','registration','screening','scoring','deliberation','published','archived')`,
    ),
    check("rounds_level_chk", sql`${t.level} in ('commune','district','province','region','national')`),
    check("rounds_pass_mark_chk", sql`${t.passMark} >= 0 and ${t.passMark} <= 100`),
    check("rounds_quota_chk", sql`${t.quota} is null or ${t.quota} > 0`),
    check("rounds_jurors_chk", sql`${t.jurorsPerEntry} is null or ${t.jurorsPerEntry} > 0`),
    check("rounds_score_step_chk", sql`${t.scoreStep} in (0.5, 1)`),
    check("rounds_disagreement_spread_chk", sql`${t.disagreementSpread} > 0 and ${t.disagreementSpread} <= 100`),
    check("rounds_dates_chk", sql`${t.registrationOpensAt} < ${t.registrationClosesAt}`),
    check("rounds_scoring_dates_chk", sql`${t.registrationClosesAt} <= ${t.scoringClosesAt}`),
    check("rounds_scope_chk", sql`(${t.level} = 'national') or ${t.regionCode} is not null or ${t.provinceCode} is not null`),
    /** A decision number is unique for one issuer within one year (0010). */
    uniqueIndex("rounds_decision_number_year_uq")
      .on(sql`lower(${t.authority})`, sql`(extract(year from ${t.decisionDate}))`, t.decisionNo)
      .where(sql`${t.decisionNo} is not null`),
  ],
);

/** Rubric tree per round: four fixed groups (40/40/10/10), sub-criteria set by the council.
 * Jurors score the leaves. Frozen by trigger once scoring starts. */
export const rubricCriteria = pgTable(
  "rubric_criteria",
  {
    id: serial("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    parentId: integer("parent_id"),
    code: text("code").notNull(),
    name: text("name").notNull(),
    maxPoints: points("max_points").notNull(),
    position: smallint("position").notNull(),
    /** Null: the round's default rubric; a group: that group's own full tree (issue 15, 0019). */
    productGroup: smallint("product_group").references(() => productGroups.no),
  },
  (t) => [
    unique("rubric_criteria_code_unique").on(t.roundId, t.productGroup, t.code).nullsNotDistinct(),
    index("rubric_criteria_round_idx").on(t.roundId),
    check("rubric_criteria_max_chk", sql`${t.maxPoints} > 0 and ${t.maxPoints} <= 100`),
  ],
);

export type Round = typeof rounds.$inferSelect;
export type RubricCriterion = typeof rubricCriteria.$inferSelect;
