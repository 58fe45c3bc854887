/**
 * The reference data of the 34 units since 1 July 2025 that an admin edits (issue 15 §6): the region
 * of each unit and whether it is a centrally-run city. The first values come from
 * db/reference/provinces-2025.json; the loader never overwrites an edit. The region decides which
 * regional round a facility of the unit belongs to and where its programme figures are reported.
 */
import { asc, eq } from "drizzle-orm";

import { provinces, provinces2025, regions } from "../../../db/schema";
import type { ProvinceUnitInput } from "../../schemas/reference";
import { db } from "../../utils/db.server";
import { notFound } from "../../utils/errors";
import { sortByName } from "../../utils/vi-text";
import { recordAudit } from "./audit.server";

/** The 34 units with their region, city status and the 2016 provinces each took in. */
export async function listProvinceUnits() {
  const [units, old, regionRows] = await Promise.all([
    db().select().from(provinces2025),
    db().select({ name: provinces.name, currentCode: provinces.currentCode }).from(provinces).orderBy(asc(provinces.position)),
    db().select().from(regions).orderBy(asc(regions.position)),
  ]);
  return {
    regions: regionRows.map((r) => ({ code: r.code, name: r.name })),
    units: sortByName(
      units.map((u) => ({
        code: u.code,
        name: u.name,
        regionCode: u.regionCode,
        isCity: u.isCity,
        mergedFrom: old.filter((o) => o.currentCode === u.code).map((o) => o.name),
      })),
    ),
  };
}

/**
 * Sets a unit's region and city status, audited with before/after in the same transaction.
 * @throws AppError 404 for an unknown unit.
 */
export async function updateProvinceUnit(input: { actorId: string; data: ProvinceUnitInput }) {
  return db().transaction(async (tx) => {
    const [before] = await tx.select().from(provinces2025).where(eq(provinces2025.code, input.data.code)).for("update");
    if (!before) throw notFound("Không tìm thấy tỉnh, thành phố này trong danh mục từ 01/7/2025.");
    const [after] = await tx
      .update(provinces2025)
      .set({ regionCode: input.data.regionCode, isCity: input.data.isCity })
      .where(eq(provinces2025.code, before.code))
      .returning();
    await recordAudit(
      {
        actorId: input.actorId,
        action: "reference.province_unit.update",
        entity: "province_2025",
        entityId: before.code,
        before: { regionCode: before.regionCode, isCity: before.isCity },
        after: { regionCode: after.regionCode, isCity: after.isCity },
      },
      tx,
    );
    return after;
  });
}
