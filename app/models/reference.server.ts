import { asc } from "drizzle-orm";

import { productGroups, provinces, provinces2025, regions } from "../../db/schema";
import { db } from "../utils/db.server";
import { LEVEL_NAMES } from "./round-rules";

export async function listRegions() {
  return db().select().from(regions).orderBy(asc(regions.position));
}

export async function listProvinces2016() {
  return db().select().from(provinces).orderBy(asc(provinces.position));
}

export async function listProvinces2025() {
  return db().select().from(provinces2025).orderBy(asc(provinces2025.name));
}

export async function listProductGroups() {
  return db().select().from(productGroups).orderBy(asc(productGroups.no));
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
    provinces: provinceOptions,
  };
}
