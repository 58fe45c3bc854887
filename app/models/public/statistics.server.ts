/**
 * The public statistics page (issue 5): recognised products by province, group, level and year.
 */
import { asc, eq } from "drizzle-orm";

import { entries, facilities, productGroups, provinces, provinces2025, rounds } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { LEVEL_NAMES, LEVEL_ORDER } from "../round/rules";
import { provinceAsOf, recognitionDay } from "../shared/province-rules";
import { listPublishedRounds, publishedSelected } from "./catalogue.server";

/**
 * Counts for the statistics page: recognised products by province, group, level and year; registered vs
 * recognised per round. Provinces as named when each product was recognised, or — `grouping: "successor"`,
 * for counts across the 1 July 2025 merger — every product under the unit its province is part of now.
 */
export async function publicStatistics(tx: Database = db(), options: { grouping?: "era" | "successor" } = {}) {
  const base = tx
    .select({
      legacyProvince: provinces.name,
      currentProvince: provinces2025.name,
      decisionDate: rounds.decisionDate,
      publishedAt: rounds.publishedAt,
      groupNo: entries.groupNo,
      level: rounds.level,
      year: rounds.year,
    })
    .from(entries)
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .innerJoin(facilities, eq(facilities.id, entries.facilityId))
    .innerJoin(provinces2025, eq(provinces2025.code, facilities.provinceCode))
    .leftJoin(provinces, eq(provinces.code, facilities.legacyProvinceCode))
    .where(publishedSelected);
  const rows = (await base).map((r) => ({
    ...r,
    province: options.grouping === "successor" ? r.currentProvince : provinceAsOf(recognitionDay(r), { legacy: r.legacyProvince, current: r.currentProvince }),
  }));
  const count = <K extends string | number>(key: (r: (typeof rows)[number]) => K) => {
    const m = new Map<K, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return m;
  };
  const groups = await tx.select().from(productGroups).orderBy(asc(productGroups.no));
  const byProvince = [...count((r) => r.province)].map(([name, n]) => ({ name, count: n })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "vi"));
  const byGroupMap = count((r) => r.groupNo);
  const byGroup = groups.map((g) => ({ no: g.no, name: g.name, count: byGroupMap.get(g.no) ?? 0 }));
  const byLevelYear = [...count((r) => `${r.year}|${r.level}`)]
    .map(([k, n]) => {
      const [year, level] = k.split("|");
      return { year: Number(year), level, levelName: LEVEL_NAMES[level] ?? level, count: n };
    })
    .sort((a, b) => a.year - b.year || (LEVEL_ORDER[a.level] ?? 0) - (LEVEL_ORDER[b.level] ?? 0));
  const perRound = (await listPublishedRounds(tx)).map((r) => ({ slug: r.slug, title: r.title, year: r.year, registered: r.registeredCount, selected: r.selectedCount }));
  return { total: rows.length, byProvince, byGroup, byLevelYear, perRound };
}
