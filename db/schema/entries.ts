/** Entries: a product in a round. */
import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  smallint,
  text,
  unique,
} from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, ts, updatedAt } from "./columns";
import { facilities, products } from "./facilities";
import { productGroups } from "./reference";
import { rounds } from "./rounds";

// ───────────────────────────── entries ─────────────────────────────

export const ENTRY_STATUSES = [
  "draft",
  "submitted",
  "returned",
  "eligible",
  "ineligible",
  "selected",
  "not_selected",
  "withdrawn",
] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const entries = pgTable(
  "entries",
  {
    id: serial("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id),
    facilityId: integer("facility_id")
      .notNull()
      .references(() => facilities.id),
    /** Mã số bình chọn, given at submission (e.g. "BAC16-042"). */
    code: text("code"),
    status: text("status").$type<EntryStatus>().notNull().default("draft"),
    groupNo: smallint("group_no")
      .notNull()
      .references(() => productGroups.no),
    /** The dossier as submitted: jurors score this, not the product as edited later. */
    snapshot: jsonb("snapshot").$type<Record<string, unknown>>(),
    /** The lower-level certificate the entry comes with (one of ours, or described in the snapshot). */
    lowerCertificateId: integer("lower_certificate_id"),
    /** The lower-level certificate as the facility described it (serial, issuer, decision, year). */
    lowerCertificate: jsonb("lower_certificate").$type<Record<string, string>>(),
    submittedAt: ts("submitted_at"),
    /** The screening checklist (issue 15): each eligibility condition with a tick and a note. */
    eligibility: jsonb("eligibility").$type<Record<string, unknown>>(),
    /** The lower certificate as the screener verified it (linked or from paper), with the check. */
    lowerCertificateCheck: jsonb("lower_certificate_check").$type<Record<string, unknown>>(),
    screeningNote: text("screening_note"),
    screenedBy: text("screened_by").references(() => users.id),
    screenedAt: ts("screened_at"),
    /** Final figures written at finalisation (the live ones are computed from score sheets). */
    meanScore: numeric("mean_score", { precision: 6, scale: 3 }),
    rank: integer("rank"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("entries_round_product_unique").on(t.roundId, t.productId),
    unique("entries_round_code_unique").on(t.roundId, t.code),
    index("entries_round_status_idx").on(t.roundId, t.status),
    index("entries_facility_idx").on(t.facilityId),
    check(
      "entries_status_chk",
      sql`${t.status} in ('draft','submitted','returned','eligible','ineligible','selected','not_selected','withdrawn')`,
    ),
  ],
);

export type Entry = typeof entries.$inferSelect;
