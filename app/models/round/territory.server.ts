/**
 * Territory checks against the reference data (issue 15 §5): the rule is in territory-rules.ts.
 */
import { eq } from "drizzle-orm";

import { facilities, provinces, provinces2025, regions, type Round } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { provinceEraProblem, territoryProblem, type ProvinceReference } from "./territory-rules";

export async function provinceReference(tx: Database = db()): Promise<ProvinceReference> {
  const [old, current, regionRows] = await Promise.all([
    tx.select().from(provinces),
    tx.select().from(provinces2025),
    tx.select().from(regions),
  ]);
  return {
    old: new Map(old.map((p) => [p.code, { name: p.name, regionCode: p.regionCode, currentCode: p.currentCode }])),
    current: new Map(current.map((p) => [p.code, { name: p.name, regionCode: p.regionCode }])),
    regionNames: new Map(regionRows.map((r) => [r.code, r.name])),
  };
}

/** @throws AppError 400 (Vietnamese) when the facility is outside the round's territory. */
export async function assertInTerritory(round: Round, facilityId: number, tx: Database = db()) {
  const [facility] = await tx
    .select({ provinceCode: facilities.provinceCode, legacyProvinceCode: facilities.legacyProvinceCode })
    .from(facilities)
    .where(eq(facilities.id, facilityId));
  if (!facility) throw new AppError(404, "Không tìm thấy cơ sở.");
  const problem = territoryProblem(round, facility, await provinceReference(tx));
  if (problem) throw new AppError(400, problem);
}

/** @throws AppError 400 when `code` is not a province of the list in force on `day` (yyyy-mm-dd). */
export async function assertProvinceOfEra(code: string, day: string, tx: Database = db(), field = "provinceCode") {
  const problem = provinceEraProblem(code, day, await provinceReference(tx));
  if (problem) throw new AppError(400, problem, { [field]: problem });
}
