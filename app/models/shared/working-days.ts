/**
 * Working days (issue 15): the 30-working-day processing clock of a nominated dossier. Saturdays,
 * Sundays and the public holidays of the year (a table the organiser edits) are not counted. Pure.
 */

export const PROCESSING_WORKING_DAYS = 30;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

export function isWorkingDay(day: string, holidays: ReadonlySet<string>): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6 && !holidays.has(day);
}

/** The day on which `n` working days after `start` (not counting `start`) have passed. */
export function addWorkingDays(start: string, n: number, holidays: ReadonlySet<string>): string {
  let day = start;
  let left = n;
  while (left > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(day, holidays)) left--;
  }
  return day;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string, holidays: ReadonlySet<string>): number {
  let n = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day, holidays)) n++;
  return n;
}

export interface ProcessingClock {
  startedOn: string;
  dueOn: string;
  used: number;
  left: number;
  overdue: boolean;
}

/** The clock of a dossier completed on `startedOn`, as of `today`. */
export function processingClock(startedOn: string, today: string, holidays: ReadonlySet<string>, days = PROCESSING_WORKING_DAYS): ProcessingClock {
  const dueOn = addWorkingDays(startedOn, days, holidays);
  const used = workingDaysBetween(startedOn, today, holidays);
  return { startedOn, dueOn, used, left: Math.max(0, days - used), overdue: today > dueOn };
}

/** Vietnamese public holidays with fixed solar dates (Tết and Giỗ Tổ follow the lunar calendar and are entered per year). */
export function fixedHolidays(year: number): { day: string; name: string }[] {
  return [
    { day: `${year}-01-01`, name: "Tết Dương lịch" },
    { day: `${year}-04-30`, name: "Ngày Giải phóng miền Nam, thống nhất đất nước" },
    { day: `${year}-05-01`, name: "Ngày Quốc tế Lao động" },
    { day: `${year}-09-02`, name: "Quốc khánh" },
    ...(year >= 2025 ? [{ day: `${year}-09-01`, name: "Nghỉ Quốc khánh" }] : []),
  ];
}
