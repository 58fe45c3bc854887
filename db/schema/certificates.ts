/** Commendation decisions and recipients, certificates, emblems, serial counters, jobs. */
import { sql } from "drizzle-orm";
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, ts, updatedAt } from "./columns";
import { entries } from "./entries";
import { rounds } from "./rounds";
import { voteCandidates } from "./votes";

/**
 * product: the recognition (Giấy chứng nhận sản phẩm CNNT tiêu biểu) of a selected entry; merit: a Bằng khen of a
 * commendation recipient; favourite: the people's-choice award ("Sản phẩm được công chúng yêu thích") of a
 * most-voted product of a frozen vote (issue 19) — advisory, no decision number, no validity period.
 */
export const CERTIFICATE_KINDS = ["product", "merit", "favourite"] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

// ───────────────────────────── certificates and commendations ─────────────────────────────

export const commendationDecisions = pgTable(
  "commendation_decisions",
  {
    id: serial("id").primaryKey(),
    /** 1234/QĐ-BCT: unique for one authority within the year of signing (0010), not across years. */
    number: text("number").notNull(),
    signedOn: date("signed_on").notNull(),
    signerName: text("signer_name").notNull(),
    signerTitle: text("signer_title").notNull(),
    authority: text("authority").notNull(),
    periodFrom: smallint("period_from").notNull(),
    periodTo: smallint("period_to").notNull(),
    reason: text("reason").notNull(),
    status: text("status").$type<"draft" | "issued">().notNull().default("draft"),
    issuedAt: ts("issued_at"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("commendation_decisions_status_chk", sql`${t.status} in ('draft','issued')`),
    check("commendation_decisions_period_chk", sql`${t.periodFrom} <= ${t.periodTo}`),
    uniqueIndex("commendation_decisions_number_year_uq").on(sql`lower(${t.authority})`, sql`(extract(year from ${t.signedOn}))`, t.number),
  ],
);

export const commendationRecipients = pgTable(
  "commendation_recipients",
  {
    id: serial("id").primaryKey(),
    decisionId: integer("decision_id")
      .notNull()
      .references(() => commendationDecisions.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"collective" | "individual">().notNull(),
    /** "Ông" or "Bà" before an individual's name on the Bằng khen; null for a collective. */
    honorific: text("honorific").$type<"Ông" | "Bà">(),
    name: text("name").notNull(),
    position: text("position"),
    organization: text("organization"),
    /** Province of the decision's era (63 before 1 July 2025, 34 from then); known code by trigger (0015). */
    provinceCode: text("province_code"),
    achievement: text("achievement").notNull(),
    ordinal: integer("ordinal").notNull(),
    revokedAt: ts("revoked_at"),
    revokedReason: text("revoked_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    index("commendation_recipients_decision_idx").on(t.decisionId),
    check("commendation_recipients_kind_chk", sql`${t.kind} in ('collective','individual')`),
    check("commendation_recipients_honorific_chk", sql`${t.honorific} is null or (${t.honorific} in ('Ông','Bà') and ${t.kind} = 'individual')`),
  ],
);

export const certificates = pgTable(
  "certificates",
  {
    id: serial("id").primaryKey(),
    kind: text("kind").$type<CertificateKind>().notNull(),
    serial: text("serial").notNull().unique(),
    code: text("code").notNull().unique(),
    roundId: integer("round_id").references(() => rounds.id),
    entryId: integer("entry_id")
      .references(() => entries.id)
      .unique(),
    recipientId: integer("recipient_id")
      .references(() => commendationRecipients.id)
      .unique(),
    /**
     * The entry a favourite certificate names: a candidate of the round's vote (foreign key to vote_candidates),
     * one per vote and entry. Not `entry_id`, which is the recognised entry of a product certificate (one each).
     */
    favouriteEntryId: integer("favourite_entry_id"),
    /** What the certificate says, frozen at issue (names of the time, province of the time). */
    subject: jsonb("subject").$type<Record<string, unknown>>().notNull(),
    subjectName: text("subject_name").notNull(),
    issuer: text("issuer").notNull(),
    /** The recognition or commendation decision; null only for a favourite certificate (the vote decides, not an authority). */
    decisionNo: text("decision_no"),
    decisionDate: date("decision_date"),
    issuedAt: ts("issued_at").notNull(),
    validUntil: date("valid_until"),
    /** Which validity rule dated `validUntil` ("TT26_2014", "TT14_2018", "TT38_2025"; db/reference/certificate-validity.json). */
    validityRule: text("validity_rule"),
    revokedAt: ts("revoked_at"),
    revokedReason: text("revoked_reason"),
    revokedBy: text("revoked_by").references(() => users.id),
    pdfKey: text("pdf_key"),
    pdfSha256: text("pdf_sha256"),
    /** Số sổ vàng of a Bằng khen: counted per issuer and year of the decision, never reused. */
    goldBookNo: integer("gold_book_no"),
    createdAt: createdAt(),
  },
  (t) => [
    index("certificates_round_idx").on(t.roundId),
    uniqueIndex("certificates_gold_book_uq")
      .on(sql`lower(${t.issuer})`, sql`(extract(year from ${t.decisionDate}))`, t.goldBookNo)
      .where(sql`${t.goldBookNo} is not null`),
    check("certificates_gold_book_chk", sql`${t.goldBookNo} is null or (${t.kind} = 'merit' and ${t.goldBookNo} > 0)`),
    check("certificates_kind_chk", sql`${t.kind} in ('product','merit','favourite')`),
    check(
      "certificates_subject_chk",
      sql`(${t.kind} = 'product' and ${t.entryId} is not null) or (${t.kind} = 'merit' and ${t.recipientId} is not null)
        or (${t.kind} = 'favourite' and ${t.roundId} is not null and ${t.favouriteEntryId} is not null and ${t.entryId} is null and ${t.recipientId} is null)`,
    ),
    check("certificates_favourite_entry_chk", sql`(${t.favouriteEntryId} is not null) = (${t.kind} = 'favourite')`),
    check(
      "certificates_favourite_chk",
      sql`${t.kind} <> 'favourite' or (${t.decisionNo} is null and ${t.decisionDate} is null and ${t.validUntil} is null and ${t.validityRule} is null)`,
    ),
    check("certificates_decision_chk", sql`${t.kind} = 'favourite' or (${t.decisionNo} is not null and ${t.decisionDate} is not null)`),
    unique("certificates_favourite_uq").on(t.roundId, t.favouriteEntryId),
    foreignKey({
      name: "certificates_favourite_candidate_fk",
      columns: [t.roundId, t.favouriteEntryId],
      foreignColumns: [voteCandidates.roundId, voteCandidates.entryId],
    }),
  ],
);

/** The emblem an issuer prints at the top of its Bằng khen: a PNG made from a checked upload. */
export const issuerEmblems = pgTable("issuer_emblems", {
  authority: text("authority").primaryKey(),
  storageKey: text("storage_key").notNull(),
  sha256: text("sha256").notNull(),
  width: integer("width").notNull(),
  height: integer("height").notNull(),
  originalName: text("original_name").notNull(),
  uploadedBy: text("uploaded_by").references(() => users.id),
  uploadedAt: timestamp("uploaded_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** Sequential serial numbers per prefix (issuer + year), taken with UPDATE … RETURNING. */
export const serialCounters = pgTable("serial_counters", {
  prefix: text("prefix").primaryKey(),
  last: integer("last").notNull().default(0),
});

/** Background jobs (certificate batches): state in the database so a reload or a second browser
 * sees the same progress and a restart resumes. */
export const jobs = pgTable(
  "jobs",
  {
    id: serial("id").primaryKey(),
    kind: text("kind").notNull(),
    /** What the job works on, e.g. "round:12" or "decision:3"; one active job per target. */
    target: text("target").notNull(),
    status: text("status").$type<"queued" | "running" | "done" | "failed">().notNull().default("queued"),
    total: integer("total").notNull().default(0),
    done: integer("done").notNull().default(0),
    error: text("error"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("jobs_active_target_idx")
      .on(t.kind, t.target)
      .where(sql`${t.status} in ('queued','running')`),
    check("jobs_status_chk", sql`${t.status} in ('queued','running','done','failed')`),
  ],
);

export type Certificate = typeof certificates.$inferSelect;
export type CommendationDecision = typeof commendationDecisions.$inferSelect;
export type CommendationRecipient = typeof commendationRecipients.$inferSelect;
