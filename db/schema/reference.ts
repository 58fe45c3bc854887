/** Reference data: regions, the provinces of 2016 and of 2025, product groups. */
import { boolean, pgTable, smallint, text } from "drizzle-orm/pg-core";

import { ts } from "./columns";

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
  /** Region and city status: reference data (db/reference/provinces-2025.json) an admin edits at /admin/provinces. */
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

export type Province = typeof provinces.$inferSelect;
export type Province2025 = typeof provinces2025.$inferSelect;

// ── issue 15: flags of the installation (the demo data is loaded) ──
export const appFlags = pgTable("app_flags", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  setAt: ts("set_at").notNull().defaultNow(),
});
