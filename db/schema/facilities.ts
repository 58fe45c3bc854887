/** Facilities, their staff and invitations, products and their media. */
import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { type Level, type Role, users } from "./accounts";
import { createdAt, ts, updatedAt } from "./columns";
import { productGroups, provinces, provinces2025 } from "./reference";
import { rounds } from "./rounds";

// ───────────────────────────── facilities and products ─────────────────────────────

export const LEGAL_FORMS = ["dnnvv", "htx", "tht", "hkd"] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

export const facilities = pgTable(
  "facilities",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    legalForm: text("legal_form").$type<LegalForm>().notNull(),
    registrationNo: text("registration_no").notNull(),
    /** The unit in force now (34-unit list). */
    provinceCode: text("province_code")
      .notNull()
      .references(() => provinces2025.code),
    /** The 2016-era province where known: certificates and history show the name of their time. */
    legacyProvinceCode: text("legacy_province_code").references(() => provinces.code),
    district: text("district"),
    commune: text("commune"),
    address: text("address").notNull(),
    phone: text("phone"),
    email: text("email"),
    representative: text("representative").notNull(),
    representativeTitle: text("representative_title"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("facilities_registration_no_idx").on(sql`upper(${t.registrationNo})`),
    check("facilities_legal_form_chk", sql`${t.legalForm} in ('dnnvv','htx','tht','hkd')`),
  ],
);

export const facilityMembers = pgTable(
  "facility_members",
  {
    facilityId: integer("facility_id")
      .notNull()
      .references(() => facilities.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<"owner" | "staff">().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.userId] }),
    index("facility_members_user_idx").on(t.userId),
    check("facility_members_role_chk", sql`${t.role} in ('owner','staff')`),
  ],
);

/** Staff invited by e-mail before they have an account; accepted when they sign up or sign in. */
/**
 * Invitations by e-mail (issue 16 §4): facility staff, council members, organisers/officers.
 * Nothing is granted until the verified owner of the address accepts while signed in. The link
 * carries a random token; only its SHA-256 is stored. Expires after 7 days; revocable.
 */
export const INVITATION_KINDS = ["facility", "council", "role"] as const;
export type InvitationKind = (typeof INVITATION_KINDS)[number];
export const invitations = pgTable(
  "invitations",
  {
    id: serial("id").primaryKey(),
    kind: text("kind").$type<InvitationKind>().notNull(),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    facilityId: integer("facility_id").references(() => facilities.id, { onDelete: "cascade" }),
    roundId: integer("round_id").references(() => rounds.id, { onDelete: "cascade" }),
    /** council: chair | member | secretary. */
    councilRole: text("council_role"),
    /** council: the product groups the member will judge (empty = all) and their home province. */
    groupNos: smallint("group_nos")
      .array()
      .notNull()
      .default(sql`'{}'::smallint[]`),
    provinceCode: text("province_code"),
    /** role: the role granted on acceptance, with the organiser scope. */
    role: text("role").$type<Role>(),
    scopeLevel: text("scope_level").$type<Level>(),
    scopeRegion: text("scope_region"),
    scopeProvince: text("scope_province"),
    invitedBy: text("invited_by").references(() => users.id),
    expiresAt: ts("expires_at").notNull(),
    acceptedAt: ts("accepted_at"),
    acceptedBy: text("accepted_by").references(() => users.id),
    declinedAt: ts("declined_at"),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("invitations_email_idx").on(sql`lower(${t.email})`),
    check("invitations_kind_chk", sql`${t.kind} in ('facility','council','role')`),
  ],
);

export const products = pgTable(
  "products",
  {
    id: serial("id").primaryKey(),
    facilityId: integer("facility_id")
      .notNull()
      .references(() => facilities.id),
    name: text("name").notNull(),
    groupNo: smallint("group_no")
      .notNull()
      .references(() => productGroups.no),
    description: text("description").notNull().default(""),
    /** Optional English texts for the /en mirror (issue 19), given by the facility; never in a snapshot. */
    nameEn: text("name_en"),
    descriptionEn: text("description_en"),
    englishUpdatedAt: ts("english_updated_at"),
    /** The dossier fields of Mẫu 01/02, reused from round to round (validated by app/schemas/dossier). */
    dossier: jsonb("dossier").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("products_facility_idx").on(t.facilityId)],
);

/** Photos and documents. Files live under UPLOADS_DIR with random names; rows are never hard-deleted
 * while a submitted dossier snapshot names them. */
export const media = pgTable(
  "media",
  {
    id: text("id").primaryKey(),
    facilityId: integer("facility_id")
      .notNull()
      .references(() => facilities.id),
    productId: integer("product_id").references(() => products.id),
    kind: text("kind").$type<"photo" | "document">().notNull(),
    /** What a document is: business registration, quality certificate, food safety, earlier certificate… */
    docType: text("doc_type"),
    mime: text("mime").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    width: integer("width"),
    height: integer("height"),
    originalName: text("original_name").notNull(),
    storageKey: text("storage_key").notNull(),
    variants: jsonb("variants")
      .$type<{ format: string; width: number; height: number; key: string; bytes: number }[]>()
      .notNull()
      .default([]),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    deletedAt: ts("deleted_at"),
    /** The key the uploading page made for this file: a retried upload finds the row instead of adding a copy. */
    uploadKey: text("upload_key"),
  },
  (t) => [
    index("media_product_idx").on(t.productId),
    uniqueIndex("media_upload_key_unique").on(t.productId, t.uploadKey).where(sql`${t.uploadKey} is not null`),
    check("media_kind_chk", sql`${t.kind} in ('photo','document')`),
    check("media_size_chk", sql`${t.sizeBytes} > 0`),
  ],
);

export type Facility = typeof facilities.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Media = typeof media.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
