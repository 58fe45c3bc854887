/**
 * The whole data model (DESIGN.md §3). Tables are plural, columns snake_case in SQL and camelCase
 * here. Rules that must hold even against a direct SQL statement live in check constraints here and
 * in the triggers of the custom migrations (finalisation lock, append-only audit, score maxima).
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
/** Points and scores: exact decimals, returned as strings by the drivers and converted in models. */
const points = (name: string) => numeric(name, { precision: 5, scale: 2 });

// ───────────────────────────── reference data ─────────────────────────────

export const regions = pgTable("regions", {
  code: text("code").primaryKey(), // BAC, TRUNG_TN, NAM
  slug: text("slug").notNull().unique(), // bac, trung-tay-nguyen, nam (public URLs)
  name: text("name").notNull(),
  position: smallint("position").notNull(),
});

/** The 34 provincial units in force since 1 July 2025. */
export const provinces2025 = pgTable("provinces_2025", {
  code: text("code").primaryKey(),
  name: text("name").notNull().unique(),
  /** Region by the majority of the merged 2016 units (the official post-2025 split is unconfirmed). */
  regionCode: text("region_code").notNull().references(() => regions.code),
  isCity: boolean("is_city").notNull().default(false),
});

/** The 63 provinces of 2016 with their region, and the unit each became on 1 July 2025. */
export const provinces = pgTable("provinces", {
  code: text("code").primaryKey(),
  name: text("name").notNull().unique(),
  regionCode: text("region_code").notNull().references(() => regions.code),
  currentCode: text("current_code").notNull().references(() => provinces2025.code),
  position: smallint("position").notNull(),
});

export const productGroups = pgTable("product_groups", {
  no: smallint("no").primaryKey(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
});

// ───────────────────────────── accounts ─────────────────────────────

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    fullName: text("full_name").notNull(),
    phone: text("phone"),
    /** Organisation and title for jurors and officers (printed on score sheets and minutes). */
    title: text("title"),
    /** Set when the owner of the address followed the verification link (issue 16); until then no submission, invitation or role. */
    emailVerifiedAt: ts("email_verified_at"),
    disabledAt: ts("disabled_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const ROLES = ["facility", "juror", "organizer", "ministry", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const LEVELS = ["commune", "district", "province", "region", "national"] as const;
export type Level = (typeof LEVELS)[number];

/** A role, optionally scoped: an organiser of a level and a region or province. */
export const userRoles = pgTable(
  "user_roles",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<Role>().notNull(),
    scopeLevel: text("scope_level").$type<Level>(),
    scopeRegion: text("scope_region").references(() => regions.code),
    /** A province code of either era (2016 or 2025); checked by the model. */
    scopeProvince: text("scope_province"),
    grantedBy: text("granted_by").references(() => users.id),
    grantedAt: createdAt(),
  },
  (t) => [
    unique("user_roles_unique").on(t.userId, t.role, t.scopeLevel, t.scopeRegion, t.scopeProvince).nullsNotDistinct(),
    check("user_roles_role_chk", sql`${t.role} in ('facility','juror','organizer','ministry','admin')`),
    check(
      "user_roles_level_chk",
      sql`${t.scopeLevel} is null or ${t.scopeLevel} in ('commune','district','province','region','national')`,
    ),
  ],
);

/**
 * Single-use links sent by e-mail (issue 16): address verification (24 h), password reset (1 h),
 * unlocking a locked account (1 h). Only the SHA-256 of the token is stored.
 */
export const TOKEN_PURPOSES = ["verify_email", "reset_password", "unlock"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];
export const authTokens = pgTable(
  "auth_tokens",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").$type<TokenPurpose>().notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("auth_tokens_user_idx").on(t.userId, t.purpose)],
);

/**
 * Every message, written in the same transaction as the event that causes it and sent afterwards
 * by the outbox worker (app/models/outbox.server.ts) with retries and backoff.
 */
export const OUTBOX_STATUSES = ["queued", "sending", "sent", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const outbox = pgTable(
  "outbox",
  {
    id: serial("id").primaryKey(),
    channel: text("channel").notNull().default("email"),
    recipient: text("recipient").notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    /** The template (verify_email, reset_password, entry_returned, …). */
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    bodyHtml: text("body_html").notNull(),
    status: text("status").$type<OutboxStatus>().notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    /** While "sending": the deliverer's lease; past it, another deliverer may take the row again. */
    claimedUntil: ts("claimed_until"),
    lastError: text("last_error"),
    /** smtp | dev (kept for the local mailbox). */
    transport: text("transport"),
    sentAt: ts("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("outbox_claimed_idx").on(t.status, t.claimedUntil),
    check("outbox_status_chk", sql`${t.status} in ('queued','sending','sent','failed')`),
  ],
);

/** In-app notifications with the unread count in the header (issue 16 §5). */
export const notifications = pgTable(
  "notifications",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link"),
    readAt: ts("read_at"),
    createdAt: createdAt(),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.readAt)],
);

/** Per-account choice of which optional notifications also come by e-mail (absent = yes). */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    email: boolean("email").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** Failed sign-in counters, by e-mail and by client address. */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lockedUntil: ts("locked_until"),
  updatedAt: updatedAt(),
});

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
    englishUpdatedAt: timestamp("english_updated_at", { withTimezone: true }),
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
  },
  (t) => [
    unique("rubric_criteria_code_unique").on(t.roundId, t.code),
    index("rubric_criteria_round_idx").on(t.roundId),
    check("rubric_criteria_max_chk", sql`${t.maxPoints} > 0 and ${t.maxPoints} <= 100`),
  ],
);

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
    /** 2016-era province name at the time of the decision. */
    provinceCode: text("province_code").references(() => provinces.code),
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
    kind: text("kind").$type<"product" | "merit">().notNull(),
    serial: text("serial").notNull().unique(),
    code: text("code").notNull().unique(),
    roundId: integer("round_id").references(() => rounds.id),
    entryId: integer("entry_id")
      .references(() => entries.id)
      .unique(),
    recipientId: integer("recipient_id")
      .references(() => commendationRecipients.id)
      .unique(),
    /** What the certificate says, frozen at issue (names of the time, province of the time). */
    subject: jsonb("subject").$type<Record<string, unknown>>().notNull(),
    subjectName: text("subject_name").notNull(),
    issuer: text("issuer").notNull(),
    decisionNo: text("decision_no").notNull(),
    decisionDate: date("decision_date").notNull(),
    issuedAt: ts("issued_at").notNull(),
    validUntil: date("valid_until"),
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
    check("certificates_kind_chk", sql`${t.kind} in ('product','merit')`),
    check(
      "certificates_subject_chk",
      sql`(${t.kind} = 'product' and ${t.entryId} is not null) or (${t.kind} = 'merit' and ${t.recipientId} is not null)`,
    ),
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

// ───────────────────────────── khuyến công programme ─────────────────────────────

export const programmeIndicators = pgTable("programme_indicators", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  unit: text("unit").notNull(),
  aggregation: text("aggregation").$type<"sum" | "avg">().notNull().default("sum"),
  position: smallint("position").notNull(),
  active: boolean("active").notNull().default(true),
});

export const programmeFigures = pgTable(
  "programme_figures",
  {
    id: serial("id").primaryKey(),
    indicatorCode: text("indicator_code")
      .notNull()
      .references(() => programmeIndicators.code),
    /** 2016-era province code (the programme's reports up to 2025 use the 63 provinces). */
    provinceCode: text("province_code")
      .notNull()
      .references(() => provinces.code),
    year: smallint("year").notNull(),
    /** Cumulative months from January: 12 = full year, 9 = "9 tháng đầu năm", 6, 3. */
    periodMonths: smallint("period_months").notNull(),
    plan: numeric("plan", { precision: 14, scale: 2 }),
    actual: numeric("actual", { precision: 14, scale: 2 }),
    status: text("status").$type<"draft" | "submitted" | "approved">().notNull().default("draft"),
    enteredBy: text("entered_by").references(() => users.id),
    approvedBy: text("approved_by").references(() => users.id),
    approvedAt: ts("approved_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("programme_figures_unique").on(t.indicatorCode, t.provinceCode, t.year, t.periodMonths),
    check("programme_figures_period_chk", sql`${t.periodMonths} between 1 and 12`),
    check("programme_figures_values_chk", sql`coalesce(${t.plan}, 0) >= 0 and coalesce(${t.actual}, 0) >= 0`),
    check("programme_figures_status_chk", sql`${t.status} in ('draft','submitted','approved')`),
  ],
);

// ───────────────────────────── audit ─────────────────────────────

/** Append-only: UPDATE and DELETE are refused by trigger. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: createdAt(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    roundId: integer("round_id"),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [index("audit_events_entity_idx").on(t.entity, t.entityId), index("audit_events_at_idx").on(t.at)],
);

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

export type User = typeof users.$inferSelect;
export type UserRole = typeof userRoles.$inferSelect;
export type Facility = typeof facilities.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Media = typeof media.$inferSelect;
export type Round = typeof rounds.$inferSelect;
export type RubricCriterion = typeof rubricCriteria.$inferSelect;
export type Entry = typeof entries.$inferSelect;
export type CouncilMember = typeof councilMembers.$inferSelect;
export type ScoreSheet = typeof scoreSheets.$inferSelect;
export type Certificate = typeof certificates.$inferSelect;
export type CommendationDecision = typeof commendationDecisions.$inferSelect;
export type CommendationRecipient = typeof commendationRecipients.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type Province = typeof provinces.$inferSelect;
export type Province2025 = typeof provinces2025.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type OutboxMessage = typeof outbox.$inferSelect;
export type Notification = typeof notifications.$inferSelect;

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
  decisionSignerName: text("decision_signer_name"),
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
