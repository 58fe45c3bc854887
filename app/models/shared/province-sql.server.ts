/**
 * The province name of a code as of a day, in SQL: the 63-province list before 1 July 2025, the
 * 34 units from then on (PROVINCE_MERGER_DATE, the one date). A code may exist in both lists
 * (Ninh Bình, Hà Nội …); which list names it is the era of the row's date, never a guess.
 */
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

import { OLD_ERA_RENAMES, PROVINCE_MERGER_DATE } from "./province-rules";

export function provinceNameOn(code: SQLWrapper, day: SQLWrapper): SQL<string | null> {
  const renames = OLD_ERA_RENAMES.map((r) => sql`when ${code} = ${r.code} and ${day} >= ${r.from}::date then ${r.name}::text `);
  return sql<string | null>`(case when ${day} >= ${PROVINCE_MERGER_DATE}::date
    then (select p25.name from provinces_2025 p25 where p25.code = ${code})
    ${sql.join(renames, sql``)}
    else (select p16.name from provinces p16 where p16.code = ${code}) end)`;
}
