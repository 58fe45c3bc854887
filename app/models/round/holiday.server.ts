/**
 * Public holidays (issue 15 §2): the days the 30-working-day processing clock of a nomination
 * letter skips. The fixed-date ones are loaded per year; the organiser adds Tết and Giỗ Tổ.
 */
import { and, asc, eq, gte, lte } from "drizzle-orm";

import { holidays } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { recordAudit } from "../shared/audit.server";
import { fixedHolidays } from "../shared/working-days";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function holidaySet(year: number, tx: Database = db()): Promise<Set<string>> {
  const rows = await tx
    .select({ day: holidays.day })
    .from(holidays)
    .where(and(gte(holidays.day, `${year}-01-01`), lte(holidays.day, `${year + 1}-12-31`)));
  return new Set(rows.map((r) => r.day));
}

export async function listHolidays(year: number, tx: Database = db()) {
  return tx
    .select()
    .from(holidays)
    .where(and(gte(holidays.day, `${year}-01-01`), lte(holidays.day, `${year}-12-31`)))
    .orderBy(asc(holidays.day));
}

/** Adds (or renames) a public holiday; `remove` deletes it. Organisers only. */
export async function saveHoliday(input: { actorId: string; day: string; name?: string; remove?: boolean }, tx: Database = db()) {
  if (!DAY.test(input.day) || Number.isNaN(Date.parse(input.day))) throw new AppError(400, "Ngày nghỉ không hợp lệ.", { day: "Ngày nghỉ không hợp lệ." });
  if (input.remove) {
    await tx.delete(holidays).where(eq(holidays.day, input.day));
  } else {
    const name = (input.name ?? "").trim();
    if (!name || name.length > 120) throw new AppError(400, "Nhập tên ngày nghỉ (tối đa 120 ký tự).", { name: "Nhập tên ngày nghỉ." });
    await tx.insert(holidays).values({ day: input.day, name }).onConflictDoUpdate({ target: holidays.day, set: { name } });
  }
  await recordAudit({ actorId: input.actorId, action: input.remove ? "holiday.remove" : "holiday.save", entity: "holiday", entityId: input.day, after: { name: input.name ?? null } }, tx);
}

/** Loads the fixed-date holidays of a year (idempotent; the organiser adds Tết and Giỗ Tổ). */
export async function seedFixedHolidays(year: number, tx: Database = db()) {
  for (const h of fixedHolidays(year)) await tx.insert(holidays).values(h).onConflictDoNothing();
}
