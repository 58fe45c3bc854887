/**
 * Certificate records: serial numbers, verification codes, subjects frozen at issue. The PDF of a
 * certificate is rendered and stored separately (certificate-pdf.server.ts) and served from storage.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";

import {
  certificates,
  commendationDecisions,
  commendationRecipients,
  entries,
  facilities,
  productGroups,
  products,
  provinces,
  provinces2025,
  type Round,
  rounds,
  serialCounters,
} from "../../../db/schema";
import { parseSnapshot } from "../../schemas/snapshot";
import { type Database, db } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { recordAudit } from "../shared/audit.server";
import { provinceAsOf } from "../shared/province-rules";
import { provinceNameOn } from "../shared/province-sql.server";
import { capacityFromTitle, issuerPlace, parseCapacity } from "./document-rules";
import { certificateStatus, formatSerial, meritSerialPrefix, newVerificationCode, normaliseCode, productSerialPrefix, productValidity } from "./rules";

/** Takes the next number of a serial sequence; concurrent callers get distinct numbers. */
export async function nextSerialNumber(prefix: string, tx: Database = db()): Promise<number> {
  const [row] = await tx
    .insert(serialCounters)
    .values({ prefix, last: 1 })
    .onConflictDoUpdate({ target: serialCounters.prefix, set: { last: sql`${serialCounters.last} + 1` } })
    .returning({ last: serialCounters.last });
  return row.last;
}

/** An entry with what a certificate names: its product, group, facility and the facility's provinces. */
export function certifiedEntries(tx: Database) {
  return tx
    .select({
      entryId: entries.id,
      code: entries.code,
      facilityId: entries.facilityId,
      rank: entries.rank,
      snapshot: entries.snapshot,
      productName: products.name,
      groupNo: entries.groupNo,
      groupName: productGroups.name,
      facilityName: facilities.name,
      address: facilities.address,
      commune: facilities.commune,
      district: facilities.district,
      provinceAtTime: provinces.name,
      provinceCurrent: provinces2025.name,
    })
    .from(entries)
    .innerJoin(products, eq(products.id, entries.productId))
    .innerJoin(productGroups, eq(productGroups.no, entries.groupNo))
    .innerJoin(facilities, eq(facilities.id, entries.facilityId))
    .innerJoin(provinces2025, eq(provinces2025.code, facilities.provinceCode))
    .leftJoin(provinces, eq(provinces.code, facilities.legacyProvinceCode));
}

type CertifiedEntry = Awaited<ReturnType<typeof certifiedEntries>>[number];

/**
 * What a certificate says about its entry. What was judged is what is certified (issue 13): names and
 * province from the entry's snapshot at submission; the live rows only for a snapshot that predates
 * the facility part. The province is named as on `onDay` (the 63-unit name before 1 July 2025).
 */
export function entrySubject(r: CertifiedEntry, onDay: string) {
  const snap = parseSnapshot(r.snapshot);
  const f = snap?.facility;
  return {
    productName: snap?.product.name ?? r.productName,
    groupNo: r.groupNo,
    groupName: snap?.product.groupName ?? r.groupName,
    facilityName: f?.name ?? r.facilityName,
    address: (f ? [f.address, f.commune, f.district] : [r.address, r.commune, r.district]).filter(Boolean).join(", "),
    provinceName: provinceAsOf(onDay, { legacy: f?.legacyProvinceName ?? r.provinceAtTime, current: f?.provinceName ?? r.provinceCurrent }),
    provinceCurrentName: f?.provinceName ?? r.provinceCurrent,
  };
}

/**
 * Creates the product certificate of every selected entry of a published (or publishing) round
 * that has none yet, in rank order, so serial numbers follow the ranking. Idempotent.
 * @throws AppError 400 when the round has no recognition decision recorded.
 */
export async function createProductCertificates(input: { roundId: number; actorId: string | null }, tx: Database = db()) {
  const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId));
  if (!round) throw new AppError(404, "Không tìm thấy đợt bình chọn.");
  if (!round.decisionNo || !round.decisionDate) {
    throw new AppError(400, "Chưa ghi nhận quyết định công nhận (số, ngày) của đợt bình chọn.");
  }
  const rows = await certifiedEntries(tx)
    .leftJoin(certificates, eq(certificates.entryId, entries.id))
    .where(and(eq(entries.roundId, round.id), eq(entries.status, "selected"), isNull(certificates.id)))
    .orderBy(asc(entries.rank), asc(entries.id));

  const signing = await roundSigning(round, tx);
  const prefix = productSerialPrefix(round);
  const issuedAt = new Date(`${round.decisionDate}T08:00:00+07:00`);
  const validity = productValidity(round.decisionDate, round.level);
  const created: { entryId: number; serial: string; code: string }[] = [];
  for (const r of rows) {
    const serial = formatSerial(prefix, await nextSerialNumber(prefix, tx));
    const code = newVerificationCode();
    const named = entrySubject(r, round.decisionDate);
    const productName = named.productName;
    const subject = {
      ...named,
      level: round.level,
      year: round.year,
      roundTitle: round.title,
      rank: r.rank,
      // The signing block as printed: the issuer's locality, the capacity lines, the signer's name.
      place: signing.place,
      signerCapacity: signing.capacity,
      signerName: signing.name,
    };
    await tx.insert(certificates).values({
      kind: "product",
      serial,
      code,
      roundId: round.id,
      entryId: r.entryId,
      subject,
      subjectName: productName,
      issuer: round.authority,
      decisionNo: round.decisionNo,
      decisionDate: round.decisionDate,
      issuedAt,
      validUntil: validity.validUntil,
      validityRule: validity.rule,
    });
    await recordAudit({ actorId: input.actorId, action: "certificate.create", entity: "certificate", entityId: serial, roundId: round.id, after: { serial, entryId: r.entryId } }, tx);
    created.push({ entryId: r.entryId, serial, code });
  }
  return created;
}

/**
 * The signing block of a round's product certificates, from its records: the place is the issuer's
 * locality (the province of a provincial round, as named on the decision's day; Hà Nội for the Cục
 * and the Bộ), the capacity lines as recorded (or the usual lines for the signer's title), the name.
 */
export async function roundSigning(
  round: Pick<Round, "level" | "provinceCode" | "decisionDate" | "decisionSigner" | "decisionSignerName" | "decisionSignerCapacity">,
  tx: Database = db(),
): Promise<{ place: string; capacity: string[]; name: string | null }> {
  let provinceName: string | null = null;
  if (round.provinceCode) {
    const [legacy] = await tx.select({ name: provinces.name, current: provinces2025.name }).from(provinces).innerJoin(provinces2025, eq(provinces2025.code, provinces.currentCode)).where(eq(provinces.code, round.provinceCode));
    const [current] = legacy ? [] : await tx.select({ name: provinces2025.name }).from(provinces2025).where(eq(provinces2025.code, round.provinceCode));
    provinceName = legacy ? provinceAsOf(round.decisionDate, { legacy: legacy.name, current: legacy.current }) : (current?.name ?? null);
  }
  const capacity = parseCapacity(round.decisionSignerCapacity);
  return {
    place: issuerPlace({ level: round.level, provinceName }),
    capacity: capacity.length ? capacity : capacityFromTitle(round.decisionSigner),
    name: round.decisionSignerName ?? null,
  };
}

/** The golden-book prefix of an issuer's year in serial_counters (the migration 0010 uses the same). */
export const goldBookPrefix = (issuer: string, year: number) => `SV|${issuer.toLocaleLowerCase()}|${year}`;

/** A certificate by its verification code (as typed or scanned), with its computed status. */
export async function findCertificateByCode(rawCode: string) {
  const code = normaliseCode(rawCode).slice(0, 40);
  if (!code) return null;
  const [cert] = await db().select().from(certificates).where(eq(certificates.code, code));
  if (!cert) return null;
  return { ...cert, status: certificateStatus(cert) };
}

/**
 * Creates the certificate of merit (Bằng khen) of every recipient of an issued decision that has
 * none yet and is not revoked, in the decision's order: serials BK-<year of signing>-0001…, no
 * expiry. The subject (names, titles, achievement, signer) is frozen as printed. Idempotent.
 * @throws AppError 404, 409 (the decision is still a draft)
 */
export async function createMeritCertificates(input: { decisionId: number; actorId: string | null }, tx: Database = db()) {
  const [decision] = await tx.select().from(commendationDecisions).where(eq(commendationDecisions.id, input.decisionId));
  if (!decision) throw new AppError(404, "Không tìm thấy quyết định khen thưởng.");
  if (decision.status !== "issued") throw new AppError(409, "Quyết định chưa ban hành: chưa cấp Bằng khen.");
  const rows = await tx
    // The province as named on the decision's day (63 provinces before 1 July 2025, 34 units after).
    .select({ recipient: commendationRecipients, provinceName: provinceNameOn(commendationRecipients.provinceCode, sql`${decision.signedOn}::date`) })
    .from(commendationRecipients)
    .leftJoin(certificates, eq(certificates.recipientId, commendationRecipients.id))
    .where(and(eq(commendationRecipients.decisionId, decision.id), isNull(commendationRecipients.revokedAt), isNull(certificates.id)))
    .orderBy(asc(commendationRecipients.ordinal), asc(commendationRecipients.id));
  const prefix = meritSerialPrefix(Number(decision.signedOn.slice(0, 4)));
  // A Bằng khen is awarded by the decision: it bears the decision's date, like product certificates.
  const issuedAt = new Date(`${decision.signedOn}T08:00:00+07:00`);
  const created: { recipientId: number; serial: string; code: string }[] = [];
  const signedYear = Number(decision.signedOn.slice(0, 4));
  for (const { recipient: r, provinceName } of rows) {
    const serial = formatSerial(prefix, await nextSerialNumber(prefix, tx));
    // Số sổ vàng: the next number of the issuer's golden book of that year (the counter row is
    // locked by its UPDATE, so two batches never take the same number; the unique index backs it).
    const goldBookNo = await nextSerialNumber(goldBookPrefix(decision.authority, signedYear), tx);
    const code = newVerificationCode();
    const subject = {
      kind: r.kind,
      honorific: r.kind === "individual" ? r.honorific : null,
      name: r.name,
      position: r.position,
      organization: r.organization,
      provinceName,
      achievement: r.achievement,
      authority: decision.authority,
      signerName: decision.signerName,
      signerTitle: decision.signerTitle,
      signedOn: decision.signedOn,
      period: { from: decision.periodFrom, to: decision.periodTo },
      place: "Hà Nội",
    };
    await tx.insert(certificates).values({
      kind: "merit",
      serial,
      code,
      recipientId: r.id,
      subject,
      subjectName: r.name,
      issuer: decision.authority,
      decisionNo: decision.number,
      decisionDate: decision.signedOn,
      issuedAt,
      validUntil: null,
      goldBookNo,
    });
    created.push({ recipientId: r.id, serial, code });
  }
  if (created.length) {
    await recordAudit(
      { actorId: input.actorId, action: "certificate.create", entity: "commendation_decision", entityId: decision.id, after: { count: created.length, first: created[0].serial, last: created.at(-1)!.serial } },
      tx,
    );
  }
  return created;
}

/**
 * Revokes a certificate with a reason (audited). The record, serial and code stay; verification
 * then answers "revoked" and the PDF is served stamped. A product certificate's round shows the
 * change publicly, so its public version is bumped.
 * @throws AppError 404, 409 (already revoked)
 */
export async function revokeCertificate(input: { serial: string; reason: string; actorId: string }, tx: Database = db()) {
  const reason = input.reason.normalize("NFC").trim();
  if (!reason) throw new AppError(400, "Nhập lý do thu hồi.", { reason: "Nhập lý do thu hồi." });
  const [row] = await tx
    .update(certificates)
    .set({ revokedAt: new Date(), revokedReason: reason.slice(0, 500), revokedBy: input.actorId })
    .where(and(eq(certificates.serial, input.serial), isNull(certificates.revokedAt)))
    .returning();
  if (!row) {
    const [exists] = await tx.select({ id: certificates.id }).from(certificates).where(eq(certificates.serial, input.serial));
    if (!exists) throw new AppError(404, "Không tìm thấy giấy chứng nhận hoặc Bằng khen với số này.");
    throw new AppError(409, "Giấy chứng nhận này đã bị thu hồi trước đó.");
  }
  if (row.roundId) {
    await tx.update(rounds).set({ publicVersion: sql`${rounds.publicVersion} + 1` }).where(eq(rounds.id, row.roundId));
  }
  await recordAudit({ actorId: input.actorId, action: "certificate.revoke", entity: "certificate", entityId: row.serial, roundId: row.roundId, after: { reason } }, tx);
  return row;
}
