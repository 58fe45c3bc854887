/** Accounts: users, sessions, roles, tokens, the outbox, notifications, sign-in throttle. */
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { createdAt, ts, updatedAt } from "./columns";
import { regions } from "./reference";

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

export type User = typeof users.$inferSelect;
export type UserRole = typeof userRoles.$inferSelect;
export type OutboxMessage = typeof outbox.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
