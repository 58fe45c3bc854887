/** The secretariat's screening of an entry (eligible, returned, ineligible) and the organiser's round lookup by slug. */
import { eq } from "drizzle-orm";

import { entries, rounds, type Round } from "../../../db/schema";
import { ScreeningSchema } from "../../schemas/dossier";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { fieldErrors } from "../../utils/forms";
import { coversRound, organizerGrants } from "../round/organizer-scope.server";
import { getRoundById } from "../round/round.server";
import { isScreeningOpen } from "../round/rules";
import { recordAudit } from "../shared/audit.server";
import { notifyFacility } from "../shared/notification.server";
import { SCREENABLE_ENTRY_STATUSES } from "./rules";
import { verifyAtScreening, type ScreeningChecks } from "./screening-checks.server";

// The scope check lives in organizer-scope.server.ts; re-exported for the callers that import it from here.
export { coversRound, organizerGrants };

/** The round by slug if the organiser's scope covers it. @throws AppError 404 otherwise. */
export async function requireRoundInScope(input: { userId: string; slug: string }, tx: Database = db()) {
  const [round] = await tx.select().from(rounds).where(eq(rounds.slug, input.slug));
  if (!round || !(await coversRound(input.userId, round, tx))) throw notFound("Không tìm thấy đợt bình chọn.");
  return round;
}

/**
 * Records the secretariat's screening decision. Returned and ineligible need a note the owner sees.
 * @throws AppError 404 when the entry's round is outside the organiser's scope; 400 for a missing
 *   note; 409 when the entry is not awaiting screening or the round is past screening.
 */
function screeningNotice(decision: "eligible" | "returned" | "ineligible", note: string, code: string, round: Round) {
  if (decision === "eligible") {
    return { kind: "entry_eligible" as const, title: `Hồ sơ ${code} đủ điều kiện`, body: `Hồ sơ ${code} của đợt “${round.title}” đủ điều kiện và sẽ được hội đồng chấm điểm.` };
  }
  if (decision === "returned") {
    return {
      kind: "entry_returned" as const,
      title: `Hồ sơ ${code} bị trả lại để bổ sung`,
      body: `Ban tổ chức trả lại hồ sơ ${code} của đợt “${round.title}” để bổ sung: ${note} Hãy sửa và nộp lại trước hạn đăng ký.`,
    };
  }
  return { kind: "entry_ineligible" as const, title: `Hồ sơ ${code} không đủ điều kiện`, body: `Hồ sơ ${code} của đợt “${round.title}” không đủ điều kiện. Lý do: ${note}` };
}

export async function screenEntry(
  input: { actorId: string; entryId: number; decision: string; note?: string; now?: Date } & ScreeningChecks,
  tx: Database = db(),
) {
  const parsed = ScreeningSchema.safeParse({ decision: input.decision, note: input.note });
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error);
    throw new AppError(400, Object.values(fields)[0] ?? "Dữ liệu không hợp lệ.", fields);
  }
  const { decision, note } = parsed.data;
  const now = input.now ?? new Date();
  return tx.transaction(async (t) => {
    const [entry] = await t.select().from(entries).where(eq(entries.id, input.entryId)).for("update");
    if (!entry) throw notFound("Không tìm thấy hồ sơ.");
    const round = await getRoundById(entry.roundId, t);
    if (!(await coversRound(input.actorId, round, t))) throw notFound("Không tìm thấy hồ sơ.");
    if (!isScreeningOpen(round)) {
      throw new AppError(409, "Đợt bình chọn đã qua giai đoạn thẩm định hồ sơ.");
    }
    if (!(SCREENABLE_ENTRY_STATUSES as readonly string[]).includes(entry.status)) {
      throw new AppError(
        409,
        entry.status === "returned" ? "Hồ sơ đang được trả lại cho cơ sở bổ sung; chờ cơ sở nộp lại." : "Hồ sơ này không ở trạng thái chờ thẩm định.",
      );
    }
    const checks = await verifyAtScreening({ round, entry, decision, checklist: input.checklist, paperCertificate: input.paperCertificate }, t);
    await t
      .update(entries)
      .set({
        status: decision,
        screeningNote: note || null,
        screenedBy: input.actorId,
        screenedAt: now,
        updatedAt: now,
        eligibility: checks.eligibility,
        lowerCertificateCheck: checks.lowerCertificateCheck,
      })
      .where(eq(entries.id, entry.id));
    await recordAudit(
      {
        actorId: input.actorId,
        action: `entry.screen_${decision}`,
        entity: "entry",
        entityId: entry.id,
        roundId: round.id,
        before: { status: entry.status, note: entry.screeningNote },
        after: { status: decision, note },
      },
      t,
    );
    await notifyFacility({ facilityId: entry.facilityId, ...screeningNotice(decision, note, entry.code ?? "", round), link: `/facility/entry/${entry.productId}/${round.slug}` }, t);
    return { id: entry.id, status: decision };
  });
}
