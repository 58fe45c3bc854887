/**
 * Commendation decisions of the Ministry (Quyết định …/QĐ-BCT) and their recipients. A decision
 * moves draft → issued once; an issued decision is read-only except the audited revocation of a
 * single recipient (and its certificate of merit).
 */
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";

import { certificates, commendationDecisions, commendationRecipients, type CommendationDecision } from "../../../db/schema";
import { duplicateKey, type DecisionInput, type RecipientInput } from "../../schemas/commendation";
import { type Database, db, pgConstraint, pgErrorCode, rowsOf } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { inTransaction } from "../../utils/retry.server";
import { createMeritCertificates, revokeCertificate } from "../certificate/certificate.server";
import { provinceEraProblem } from "../round/territory-rules";
import { provinceReference } from "../round/territory.server";
import { recordAudit } from "../shared/audit.server";
import { provinceNameOn } from "../shared/province-sql.server";

export const MAX_RECIPIENTS_PER_DECISION = 5000;

function numberTaken(number: string, authority: string, year: string) {
  return new AppError(409, `Số quyết định ${number} đã được dùng cho một quyết định khác của ${authority} trong năm ${year}.`, {
    number: `Số ${number} đã được dùng trong năm ${year}.`,
  });
}

/**
 * A decision number is unique for one authority within the year of signing (the same number may
 * come back another year). Checked first for the message; the unique index decides under a race.
 */
async function withUniqueNumber<T>(data: Pick<DecisionInput, "number" | "authority" | "signedOn">, exceptId: number | null, tx: Database, fn: () => Promise<T>): Promise<T> {
  const year = data.signedOn.slice(0, 4);
  const taken = rowsOf<{ id: number }>(
    await tx.execute(sql`select id from commendation_decisions
      where lower(authority) = lower(${data.authority}) and extract(year from signed_on) = ${Number(year)} and number = ${data.number}
        and id <> ${exceptId ?? 0} limit 1`),
  );
  if (taken.length) throw numberTaken(data.number, data.authority, year);
  try {
    return await fn();
  } catch (error) {
    if (pgErrorCode(error) === "23505" && (pgConstraint(error) ?? "").includes("number")) throw numberTaken(data.number, data.authority, year);
    throw error;
  }
}

/** Decisions, newest first, with recipient and certificate counts. */
export async function listDecisions(tx: Database = db()) {
  const rows = await tx
    .select({
      id: commendationDecisions.id,
      number: commendationDecisions.number,
      signedOn: commendationDecisions.signedOn,
      signerName: commendationDecisions.signerName,
      periodFrom: commendationDecisions.periodFrom,
      periodTo: commendationDecisions.periodTo,
      status: commendationDecisions.status,
      recipients: count(commendationRecipients.id),
    })
    .from(commendationDecisions)
    .leftJoin(commendationRecipients, eq(commendationRecipients.decisionId, commendationDecisions.id))
    .groupBy(commendationDecisions.id)
    .orderBy(desc(commendationDecisions.signedOn), desc(commendationDecisions.id));
  return rows;
}

/** @throws AppError 404 */
export async function getDecisionRow(id: number, tx: Database = db()): Promise<CommendationDecision> {
  if (!Number.isInteger(id) || id <= 0) throw notFound("Không tìm thấy quyết định khen thưởng.");
  const [row] = await tx.select().from(commendationDecisions).where(eq(commendationDecisions.id, id));
  if (!row) throw notFound("Không tìm thấy quyết định khen thưởng.");
  return row;
}

/** A decision with its recipients (in order), each with its certificate and a duplicate flag. */
export async function getDecision(id: number, tx: Database = db()) {
  const decision = await getDecisionRow(id, tx);
  const rows = await tx
    .select({
      id: commendationRecipients.id,
      kind: commendationRecipients.kind,
      honorific: commendationRecipients.honorific,
      name: commendationRecipients.name,
      position: commendationRecipients.position,
      organization: commendationRecipients.organization,
      provinceCode: commendationRecipients.provinceCode,
      provinceName: provinceNameOn(commendationRecipients.provinceCode, sql`${decision.signedOn}::date`),
      achievement: commendationRecipients.achievement,
      ordinal: commendationRecipients.ordinal,
      revokedAt: commendationRecipients.revokedAt,
      revokedReason: commendationRecipients.revokedReason,
      serial: certificates.serial,
      code: certificates.code,
      hasPdf: sql<boolean>`${certificates.pdfKey} is not null`,
    })
    .from(commendationRecipients)
    .leftJoin(certificates, eq(certificates.recipientId, commendationRecipients.id))
    .where(eq(commendationRecipients.decisionId, id))
    .orderBy(asc(commendationRecipients.ordinal), asc(commendationRecipients.id));
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(duplicateKey(r), (seen.get(duplicateKey(r)) ?? 0) + 1);
  const recipients = rows.map((r) => ({ ...r, duplicate: (seen.get(duplicateKey(r)) ?? 0) > 1 }));
  return { decision, recipients, duplicates: recipients.filter((r) => r.duplicate).length };
}

/**
 * @throws AppError 409 when the number is already used.
 */
export async function createDecision(input: { data: DecisionInput; actorId: string }, tx: Database = db()) {
  return withUniqueNumber(input.data, null, tx, async () => {
    const [row] = await tx
      .insert(commendationDecisions)
      .values({ ...input.data, status: "draft", createdBy: input.actorId })
      .returning();
    await recordAudit({ actorId: input.actorId, action: "commendation.create", entity: "commendation_decision", entityId: row.id, after: input.data }, tx);
    return row;
  });
}

function readOnly() {
  return new AppError(409, "Quyết định đã ban hành: không sửa được nội dung và danh sách (chỉ có thể thu hồi từng Bằng khen).");
}

/** @throws AppError 404, 409 (issued, or the number already used) */
export async function updateDecision(input: { id: number; data: DecisionInput; actorId: string }, tx: Database = db()) {
  const before = await getDecisionRow(input.id, tx);
  if (before.status !== "draft") throw readOnly();
  if (input.data.signedOn !== before.signedOn) {
    const listed = await tx
      .select({ name: commendationRecipients.name, provinceCode: commendationRecipients.provinceCode })
      .from(commendationRecipients)
      .where(eq(commendationRecipients.decisionId, input.id));
    await assertRecipientProvinces(listed, input.data.signedOn, tx).catch((error: unknown) => {
      if (error instanceof AppError) throw new AppError(400, `Đổi ngày ký làm danh sách sai thời kỳ tỉnh — ${error.message}`, { signedOn: error.message });
      throw error;
    });
  }
  return withUniqueNumber(input.data, input.id, tx, async () => {
    const [row] = await tx
      .update(commendationDecisions)
      .set({ ...input.data, updatedAt: new Date() })
      .where(and(eq(commendationDecisions.id, input.id), eq(commendationDecisions.status, "draft")))
      .returning();
    if (!row) throw readOnly();
    await recordAudit({ actorId: input.actorId, action: "commendation.update", entity: "commendation_decision", entityId: row.id, before, after: input.data }, tx);
    return row;
  });
}

/** Locks the draft decision row for a change to its list (two officers editing at once queue). */
async function lockDraft(id: number, tx: Database) {
  const status = rowsOf<{ status: string }>(await tx.execute(sql`select status from commendation_decisions where id = ${id} for update`))[0]?.status;
  if (!status) throw notFound("Không tìm thấy quyết định khen thưởng.");
  if (status !== "draft") throw readOnly();
}

/**
 * Appends recipients to a draft decision in one transaction (all or nothing).
 * @throws AppError 404, 409 (issued), 400 (too many recipients)
 */
export async function addRecipients(input: { decisionId: number; recipients: RecipientInput[]; actorId: string; source?: string }, tx: Database = db()) {
  return tx.transaction(async (t) => {
    await lockDraft(input.decisionId, t);
    const decision = await getDecisionRow(input.decisionId, t);
    await assertRecipientProvinces(input.recipients, decision.signedOn, t);
    const [{ n, last }] = await t
      .select({ n: count(), last: sql<number>`coalesce(max(${commendationRecipients.ordinal}), 0)::int` })
      .from(commendationRecipients)
      .where(eq(commendationRecipients.decisionId, input.decisionId));
    if (n + input.recipients.length > MAX_RECIPIENTS_PER_DECISION) {
      throw new AppError(400, `Một quyết định có tối đa ${MAX_RECIPIENTS_PER_DECISION} người nhận (đã có ${n}, thêm ${input.recipients.length}).`);
    }
    const ids: number[] = [];
    // Chunks keep each statement's parameter count well under the driver's limit.
    for (let i = 0; i < input.recipients.length; i += 500) {
      const chunk = input.recipients.slice(i, i + 500);
      const rows = await t
        .insert(commendationRecipients)
        .values(chunk.map((r, j) => ({ ...r, decisionId: input.decisionId, ordinal: Number(last) + i + j + 1 })))
        .returning({ id: commendationRecipients.id })
        .catch((error: unknown) => {
          if (pgErrorCode(error) === "23503") throw new AppError(400, "Tỉnh, thành phố không có trong danh mục.", { provinceCode: "Chọn tỉnh trong danh sách." });
          throw error;
        });
      ids.push(...rows.map((r) => r.id));
    }
    await recordAudit(
      {
        actorId: input.actorId,
        action: input.source === "import" ? "commendation.import" : "commendation.recipient.add",
        entity: "commendation_decision",
        entityId: input.decisionId,
        after: input.recipients.length === 1 ? input.recipients[0] : { count: input.recipients.length },
      },
      t,
    );
    return ids;
  });
}

/**
 * Each recipient names its province in the era of the decision's date (63 provinces before 1 July
 * 2025, the 34 units from then on): a code of the other list is refused with the reason.
 * @throws AppError 400
 */
async function assertRecipientProvinces(recipients: { provinceCode?: string | null; name: string }[], signedOn: string, tx: Database) {
  const codes = [...new Set(recipients.map((r) => r.provinceCode).filter((c): c is string => !!c))];
  if (!codes.length) return;
  const ref = await provinceReference(tx);
  for (const code of codes) {
    const problem = provinceEraProblem(code, signedOn, ref);
    if (problem) {
      const who = recipients.find((r) => r.provinceCode === code)!.name;
      throw new AppError(400, `${who}: ${problem}`, { provinceCode: problem });
    }
  }
}

/** @throws AppError 404, 409 (issued) */
export async function removeRecipient(input: { decisionId: number; recipientId: number; actorId: string }, tx: Database = db()) {
  return tx.transaction(async (t) => {
    await lockDraft(input.decisionId, t);
    const [row] = await t
      .delete(commendationRecipients)
      .where(and(eq(commendationRecipients.id, input.recipientId), eq(commendationRecipients.decisionId, input.decisionId)))
      .returning();
    if (!row) throw notFound("Không tìm thấy người nhận trong quyết định này.");
    await recordAudit({ actorId: input.actorId, action: "commendation.recipient.remove", entity: "commendation_decision", entityId: input.decisionId, before: row }, t);
  });
}

/**
 * Issues a draft decision: status → issued and a certificate of merit for every recipient, in one
 * transaction. A second click (or a second officer) finds it issued and changes nothing.
 * @throws AppError 404, 409 (already issued), 400 (no recipients)
 */
export async function issueDecision(input: { id: number; actorId: string }, tx?: Database) {
  return inTransaction(tx, async (t) => {
    const [row] = await t
      .update(commendationDecisions)
      .set({ status: "issued", issuedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(commendationDecisions.id, input.id), eq(commendationDecisions.status, "draft")))
      .returning();
    if (!row) {
      await getDecisionRow(input.id, t);
      throw new AppError(409, "Quyết định đã được ban hành trước đó.");
    }
    const [{ n }] = await t.select({ n: count() }).from(commendationRecipients).where(eq(commendationRecipients.decisionId, input.id));
    if (!n) throw new AppError(400, "Quyết định chưa có tập thể hoặc cá nhân nào: thêm danh sách trước khi ban hành.");
    const created = await createMeritCertificates({ decisionId: input.id, actorId: input.actorId }, t);
    await recordAudit({ actorId: input.actorId, action: "commendation.issue", entity: "commendation_decision", entityId: input.id, after: { number: row.number, certificates: created.length } }, t);
    return { decision: row, created };
  });
}

/**
 * Revokes one recipient of an issued decision and its certificate of merit, with a reason.
 * @throws AppError 404, 409 (draft decision, or already revoked)
 */
export async function revokeRecipient(input: { decisionId: number; recipientId: number; reason: string; actorId: string }, tx: Database = db()) {
  return tx.transaction(async (t) => {
    const decision = await getDecisionRow(input.decisionId, t);
    if (decision.status !== "issued") throw new AppError(409, "Chỉ thu hồi được Bằng khen của quyết định đã ban hành; với bản nháp, hãy xóa người nhận.");
    const [row] = await t
      .update(commendationRecipients)
      .set({ revokedAt: new Date(), revokedReason: input.reason })
      .where(and(eq(commendationRecipients.id, input.recipientId), eq(commendationRecipients.decisionId, input.decisionId), isNull(commendationRecipients.revokedAt)))
      .returning();
    if (!row) {
      const [exists] = await t
        .select({ id: commendationRecipients.id })
        .from(commendationRecipients)
        .where(and(eq(commendationRecipients.id, input.recipientId), eq(commendationRecipients.decisionId, input.decisionId)));
      if (!exists) throw notFound("Không tìm thấy người nhận trong quyết định này.");
      throw new AppError(409, "Bằng khen này đã bị thu hồi trước đó.");
    }
    await recordAudit({ actorId: input.actorId, action: "commendation.recipient.revoke", entity: "commendation_recipient", entityId: row.id, after: { reason: input.reason } }, t);
    const [cert] = await t.select({ serial: certificates.serial }).from(certificates).where(eq(certificates.recipientId, row.id));
    if (cert) await revokeCertificate({ serial: cert.serial, reason: input.reason, actorId: input.actorId }, t);
    return row;
  });
}

/** Serials and codes of a decision's certificates, for the batch and the downloads. */
export async function decisionCertificateIds(decisionId: number, tx: Database = db()) {
  const recipientIds = tx.select({ id: commendationRecipients.id }).from(commendationRecipients).where(eq(commendationRecipients.decisionId, decisionId));
  return tx
    .select({ id: certificates.id })
    .from(certificates)
    .innerJoin(commendationRecipients, eq(commendationRecipients.id, certificates.recipientId))
    .where(inArray(certificates.recipientId, recipientIds))
    .orderBy(asc(commendationRecipients.ordinal), asc(certificates.id));
}
