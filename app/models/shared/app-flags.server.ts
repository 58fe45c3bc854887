/**
 * Flags of the installation itself (issue 15 §8). `demo_data` is set by the demo seed before it
 * loads anything, so every page says "Dữ liệu minh họa" while the illustrative rounds, facilities
 * and people are in the database. The flag is part of the public state (its fingerprint and the
 * NOTIFY trigger of migration 0016), so a cached public page never outlives a change of it.
 */
import { eq } from "drizzle-orm";

import { appFlags } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { freshPublicState } from "../../utils/public-state.server";

export const DEMO_DATA_FLAG = "demo_data";

/** Marks the database as holding the demo data (idempotent). */
export async function markDemoData(tx: Database = db()) {
  await tx.insert(appFlags).values({ key: DEMO_DATA_FLAG, value: "1" }).onConflictDoNothing();
}

/**
 * Whether the demo data is loaded: one row by key, read from the database every time (the public
 * state in memory trails a change by the NOTIFY's delivery; a page rendered meanwhile is not cached).
 */
export async function isDemoData(tx: Database = db()): Promise<boolean> {
  const [row] = await tx.select({ value: appFlags.value }).from(appFlags).where(eq(appFlags.key, DEMO_DATA_FLAG));
  return row?.value === "1";
}

/**
 * Whether pages show the "Dữ liệu minh họa" notice: the flag as the public state in memory holds it
 * while that state is current (no query on every page; it follows a change within the NOTIFY's
 * delivery, as the cached public pages do), else the row.
 */
export async function showsDemoNotice(): Promise<boolean> {
  const fresh = freshPublicState();
  return fresh ? fresh.flags[DEMO_DATA_FLAG] === "1" : isDemoData();
}
