/**
 * The review of a province's programme figures (issue 16): the provincial officer submits, the
 * regional organiser approves or returns them with a comment, audited, and the province hears of it.
 */
import { and, eq, inArray } from "drizzle-orm";

import { programmeFigures, userRoles } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { recordAudit } from "../shared/audit.server";
import { notify } from "../shared/notification.server";
import { type Actor, canApprove, getOverview, num, periodLabel, programmeScope, provinceForActor } from "./programme.server";

/** One province's figures of the period in one status (the rows a review step moves on). */
const figuresOf = (provinceCode: string, period: { year: number; periodMonths: number }, status: "draft" | "submitted") =>
  and(
    eq(programmeFigures.provinceCode, provinceCode),
    eq(programmeFigures.year, period.year),
    eq(programmeFigures.periodMonths, period.periodMonths),
    eq(programmeFigures.status, status),
  );

/**
 * Sends one province's drafts for the period to the regional organiser.
 * @throws AppError 404 outside scope; 400 when there is no draft.
 */
export async function submitFigures(input: { actor: Actor; provinceCode: string; year: number; periodMonths: number }) {
  await provinceForActor(input);
  const rows = await db()
    .update(programmeFigures)
    .set({ status: "submitted", updatedAt: new Date() })
    .where(figuresOf(input.provinceCode, input, "draft"))
    .returning({ id: programmeFigures.id });
  if (rows.length === 0) throw new AppError(400, "Không có số liệu nháp nào để gửi duyệt.");
  return { submitted: rows.length };
}

/**
 * Approves one province's submitted figures for the period (the regional organiser's act), audited.
 * @throws AppError 404 outside the actor's scope; 403 for a provincial officer; 400 when nothing waits.
 */
export async function approveFigures(input: { actor: Actor; provinceCode: string; year: number; periodMonths: number }) {
  const province = await provinceForActor(input);
  if (!canApprove(programmeScope(input.actor.roles), province)) {
    throw new AppError(403, "Chỉ Ban tổ chức khu vực mới được duyệt số liệu của tỉnh.");
  }
  return db().transaction(async (tx) => {
    const rows = await tx
      .update(programmeFigures)
      .set({ status: "approved", approvedBy: input.actor.id, approvedAt: new Date() })
      .where(figuresOf(province.code, input, "submitted"))
      .returning({ id: programmeFigures.id, indicatorCode: programmeFigures.indicatorCode, plan: programmeFigures.plan, actual: programmeFigures.actual });
    if (rows.length === 0) throw new AppError(400, `${province.name} không có số liệu nào đang chờ duyệt cho kỳ này.`);
    await recordAudit(
      {
        actorId: input.actor.id,
        action: "programme.approve",
        entity: "programme_province_period",
        entityId: `${province.code}:${input.year}:${input.periodMonths}`,
        after: { figures: rows.map((r) => ({ id: r.id, indicator: r.indicatorCode, plan: num(r.plan), actual: num(r.actual) })) },
      },
      tx,
    );
    await notifyProvinceOfficers(
      {
        actorId: input.actor.id,
        provinceCode: province.code,
        figureIds: rows.map((r) => r.id),
        title: `Số liệu khuyến công ${province.name} kỳ ${periodLabel(input)} đã được duyệt`,
        body: `Ban tổ chức khu vực đã duyệt ${rows.length} số liệu khuyến công của ${province.name} cho kỳ ${periodLabel(input)}.`,
        link: `/organizer/programme/${province.code}?year=${input.year}&period=${input.periodMonths}`,
      },
      tx,
    );
    return { approved: rows.length };
  });
}

/**
 * The provincial officers of a province (organisers scoped to it) and whoever entered the figures,
 * except the actor, hear about the review of their figures (issue 16 §5), in the caller's transaction.
 */
async function notifyProvinceOfficers(
  input: { actorId: string; provinceCode: string; figureIds: number[]; title: string; body: string; link: string },
  tx: Database,
) {
  const officers = await tx
    .select({ userId: userRoles.userId })
    .from(userRoles)
    .where(and(eq(userRoles.role, "organizer"), eq(userRoles.scopeProvince, input.provinceCode)));
  const entered = input.figureIds.length
    ? await tx
        .selectDistinct({ userId: programmeFigures.enteredBy })
        .from(programmeFigures)
        .where(inArray(programmeFigures.id, input.figureIds))
    : [];
  const ids = new Set([...officers, ...entered].map((r) => r.userId).filter((id): id is string => !!id && id !== input.actorId));
  for (const userId of ids)
    await notify({ userId, kind: "figures_reviewed", title: input.title, body: input.body, link: input.link }, tx);
}

/**
 * Returns one province's submitted figures for the period to the provincial officer for correction
 * (they become drafts again), with the regional organiser's comment, audited and notified.
 * @throws AppError 404 outside scope; 403 for a provincial officer; 400 without a comment or when nothing waits.
 */
export async function returnFigures(input: {
  actor: Actor;
  provinceCode: string;
  year: number;
  periodMonths: number;
  comment: string;
}) {
  const province = await provinceForActor(input);
  if (!canApprove(programmeScope(input.actor.roles), province)) {
    throw new AppError(403, "Chỉ Ban tổ chức khu vực mới được trả lại số liệu của tỉnh.");
  }
  const comment = input.comment.trim();
  if (comment.length < 10)
    throw new AppError(400, "Ghi rõ điều cần sửa (ít nhất 10 ký tự) để cán bộ tỉnh biết.", { comment: "Ghi điều cần sửa." });
  if (comment.length > 2000) throw new AppError(400, "Nhận xét dài quá 2000 ký tự.", { comment: "Rút gọn nhận xét." });
  return db().transaction(async (tx) => {
    const rows = await tx
      .update(programmeFigures)
      .set({ status: "draft", updatedAt: new Date() })
      .where(figuresOf(province.code, input, "submitted"))
      .returning({ id: programmeFigures.id, indicatorCode: programmeFigures.indicatorCode });
    if (rows.length === 0) throw new AppError(400, `${province.name} không có số liệu nào đang chờ duyệt cho kỳ này.`);
    await recordAudit(
      {
        actorId: input.actor.id,
        action: "programme.return",
        entity: "programme_province_period",
        entityId: `${province.code}:${input.year}:${input.periodMonths}`,
        after: { comment, figures: rows.map((r) => ({ id: r.id, indicator: r.indicatorCode })) },
      },
      tx,
    );
    await notifyProvinceOfficers(
      {
        actorId: input.actor.id,
        provinceCode: province.code,
        figureIds: rows.map((r) => r.id),
        title: `Số liệu khuyến công ${province.name} kỳ ${periodLabel(input)} bị trả lại để sửa`,
        body: `Ban tổ chức khu vực trả lại ${rows.length} số liệu khuyến công của ${province.name} cho kỳ ${periodLabel(input)} để sửa: ${comment} Hãy sửa rồi gửi duyệt lại.`,
        link: `/organizer/programme/${province.code}?year=${input.year}&period=${input.periodMonths}`,
      },
      tx,
    );
    return { returned: rows.length };
  });
}

/**
 * Approves every province the actor may approve that has figures waiting for the period, one
 * province per transaction (each approval stands on its own and is audited on its own).
 * @throws AppError 400 when nothing waits.
 */
export async function approveAllFigures(input: { actor: Actor; year: number; periodMonths: number }) {
  const waiting = (await getOverview(input)).filter((p) => p.canApprove && p.submitted > 0);
  if (waiting.length === 0) throw new AppError(400, "Không có số liệu nào đang chờ duyệt cho kỳ này.");
  let figures = 0;
  for (const p of waiting) figures += (await approveFigures({ ...input, provinceCode: p.code })).approved;
  return { provinces: waiting.length, figures };
}
