/** Nominations up the levels (issue 15), quotas, cover letters, holidays. */
import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  unique,
} from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { certificates } from "./certificates";
import { createdAt, ts } from "./columns";
import { entries } from "./entries";
import { facilities, products } from "./facilities";
import { rounds } from "./rounds";

// ───────────────────────────── nominations up the levels (issue 15) ─────────────────────────────

/** Places a higher round gives each province (code of the round's era) for nominations. */
export const roundQuotas = pgTable(
  "round_quotas",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    provinceCode: text("province_code").notNull(),
    places: integer("places").notNull(),
  },
  (t) => [primaryKey({ name: "round_quotas_pk", columns: [t.roundId, t.provinceCode] }), check("round_quotas_places_chk", sql`${t.places} > 0`)],
);

/** The cover letter (công văn) with which a lower level sends its products up. */
export const nominationLetters = pgTable(
  "nomination_letters",
  {
    id: serial("id").primaryKey(),
    toRoundId: integer("to_round_id")
      .notNull()
      .references(() => rounds.id),
    fromRoundId: integer("from_round_id").references(() => rounds.id),
    provinceCode: text("province_code").notNull(),
    letterNo: text("letter_no").notNull(),
    letterDate: date("letter_date").notNull(),
    signer: text("signer").notNull(),
    pdfKey: text("pdf_key"),
    pdfSha256: text("pdf_sha256"),
    pdfName: text("pdf_name"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [unique("nomination_letters_no_unique").on(t.toRoundId, t.letterNo)],
);

export const nominations = pgTable(
  "nominations",
  {
    id: serial("id").primaryKey(),
    letterId: integer("letter_id")
      .notNull()
      .references(() => nominationLetters.id),
    toRoundId: integer("to_round_id")
      .notNull()
      .references(() => rounds.id),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id),
    facilityId: integer("facility_id")
      .notNull()
      .references(() => facilities.id),
    /** The recognised entry of the lower round, and its certificate (linked automatically). */
    fromEntryId: integer("from_entry_id").references(() => entries.id),
    certificateId: integer("certificate_id").references(() => certificates.id),
    /** The higher round's entry, made when the facility confirms. */
    entryId: integer("entry_id").references(() => entries.id),
    status: text("status").$type<"nominated" | "confirmed">().notNull().default("nominated"),
    confirmedBy: text("confirmed_by").references(() => users.id),
    confirmedAt: ts("confirmed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("nominations_round_product_unique").on(t.toRoundId, t.productId),
    unique("nominations_entry_unique").on(t.entryId),
    index("nominations_letter_idx").on(t.letterId),
    index("nominations_facility_idx").on(t.facilityId),
    check("nominations_status_chk", sql`${t.status} in ('nominated','confirmed')`),
    check("nominations_confirmed_chk", sql`(${t.status} = 'confirmed') = (${t.confirmedAt} is not null)`),
  ],
);

/** Public holidays that are not working days (the organiser edits them per year). */
export const holidays = pgTable("holidays", {
  day: date("day").primaryKey(),
  name: text("name").notNull(),
});

export type Nomination = typeof nominations.$inferSelect;
export type NominationLetter = typeof nominationLetters.$inferSelect;
