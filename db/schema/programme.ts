/** The khuyến công programme: indicators and figures. */
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  numeric,
  pgTable,
  serial,
  smallint,
  text,
  unique,
} from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { ts, updatedAt } from "./columns";

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
    /** Province of the period's era (the 63 of 2016 for periods ending before 1 July 2025, else the 34). */
    provinceCode: text("province_code").notNull(),
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
