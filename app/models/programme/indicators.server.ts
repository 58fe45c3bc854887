/** The admin-managed catalogue of programme indicators (seeded from PROGRAMME_INDICATORS). */
import { eq } from "drizzle-orm";

import { programmeIndicators } from "../../../db/schema";
import type { IndicatorInput } from "../../schemas/programme";
import { db, pgErrorCode } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { recordAudit } from "../shared/audit.server";

export { listIndicators } from "./programme.server";

/**
 * Adds an indicator to the catalogue.
 * @throws AppError 400 with field `code` when the code exists.
 */
export async function createIndicator(input: { actorId: string; data: IndicatorInput }) {
  try {
    await db().transaction(async (tx) => {
      const [row] = await tx.insert(programmeIndicators).values(input.data).returning();
      await recordAudit({ actorId: input.actorId, action: "indicator.create", entity: "programme_indicator", entityId: row.code, after: row }, tx);
    });
  } catch (error) {
    if (pgErrorCode(error) === "23505") throw new AppError(400, "Mã chỉ tiêu đã có.", { code: "Mã chỉ tiêu này đã có trong danh mục." });
    throw error;
  }
}

/**
 * Changes an indicator's name, unit, aggregation, order or use (the code is its identity and stays).
 * @throws AppError 404 for an unknown code.
 */
export async function updateIndicator(input: { actorId: string; data: IndicatorInput }) {
  await db().transaction(async (tx) => {
    const [before] = await tx.select().from(programmeIndicators).where(eq(programmeIndicators.code, input.data.code)).for("update");
    if (!before) throw notFound("Không tìm thấy chỉ tiêu.");
    const { code, ...rest } = input.data;
    const [after] = await tx.update(programmeIndicators).set(rest).where(eq(programmeIndicators.code, code)).returning();
    await recordAudit({ actorId: input.actorId, action: "indicator.update", entity: "programme_indicator", entityId: code, before, after }, tx);
  });
}
