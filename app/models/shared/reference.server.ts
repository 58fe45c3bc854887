import { asc } from "drizzle-orm";

import { productGroups, provinces, provinces2025, regions } from "../../../db/schema";
import { db } from "../../utils/db.server";
import type { ScopeNames } from "../../utils/scope-text";
import { sortByName } from "../../utils/vi-text";
import { LEVEL_NAMES } from "../round/rules";
import { oldEraName, PROVINCE_MERGER_DATE } from "./province-rules";

export async function listRegions() {
  return db().select().from(regions).orderBy(asc(regions.position));
}

/** The 63 provinces of 2016, in Vietnamese alphabetical order (as dropdowns list them). */
export async function listProvinces2016() {
  return sortByName(await db().select().from(provinces).orderBy(asc(provinces.position)));
}

/** The 34 provinces since 1 July 2025, in Vietnamese alphabetical order. */
export async function listProvinces2025() {
  return sortByName(await db().select().from(provinces2025));
}

/**
 * The provinces in force on `day` (yyyy-mm-dd), named as on that day: the 63 of 2016 before
 * 1 July 2025 (Huế from 1 January 2025), the 34 units from then on. Dropdowns of dated records.
 */
export async function listProvincesOn(day: string) {
  if (day >= PROVINCE_MERGER_DATE) return (await listProvinces2025()).map((p) => ({ code: p.code, name: p.name }));
  return sortByName((await listProvinces2016()).map((p) => ({ code: p.code, name: oldEraName(p.code, p.name, day) })));
}

export async function listProductGroups() {
  return db().select().from(productGroups).orderBy(asc(productGroups.no));
}

/** Names of levels, regions and provinces (both eras; the 2025 name wins for a shared code), by code. */
export async function scopeNames(): Promise<ScopeNames> {
  const [r, p16, p25] = await Promise.all([listRegions(), listProvinces2016(), listProvinces2025()]);
  return {
    levels: { ...LEVEL_NAMES },
    regions: Object.fromEntries(r.map((x) => [x.code, x.name])),
    provinces: Object.fromEntries([...p16, ...p25].map((p) => [p.code, p.name])),
  };
}

/** Options for an organiser's scope: levels, regions, and provinces of both eras. */
export async function listScopeOptions() {
  const [r, p16, p25] = await Promise.all([listRegions(), listProvinces2016(), listProvinces2025()]);
  const seen = new Set<string>();
  const provinceOptions = [] as { code: string; name: string }[];
  for (const p of p25) {
    seen.add(p.code);
    provinceOptions.push({ code: p.code, name: `${p.name} (từ 01/7/2025)` });
  }
  for (const p of p16) if (!seen.has(p.code)) provinceOptions.push({ code: p.code, name: `${p.name} (trước 2025)` });
  return {
    levels: Object.entries(LEVEL_NAMES).map(([code, name]) => ({ code, name })),
    regions: r.map((x) => ({ code: x.code, name: x.name })),
    provinces: sortByName(provinceOptions),
  };
}
