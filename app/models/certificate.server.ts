/**
 * Certificate records: serial numbers, verification codes, subjects frozen at issue. The PDF of a
 * certificate is rendered and stored separately (certificate-pdf.server.ts) and served from storage.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";

import { certificates, entries, facilities, productGroups, products, provinces, provinces2025, rounds, serialCounters } from "../../db/schema";
import { type Database, db } from "../utils/db.server";
import { AppError } from "../utils/errors";
import { recordAudit } from "./audit.server";
import { certificateStatus, formatSerial, newVerificationCode, normaliseCode, productSerialPrefix, productValidUntil } from "./certificate-rules";

/** Takes the next number of a serial sequence; concurrent callers get distinct numbers. */
export async function nextSerialNumber(prefix: string, tx: Database = db()): Promise<number> {
  const [row] = await tx
    .insert(serialCounters)
    .values({ prefix, last: 1 })
    .onConflictDoUpdate({ target: serialCounters.prefix, set: { last: sql`${serialCounters.last} + 1` } })
    .returning({ last: serialCounters.last });
  return row.last;
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
  const rows = await tx
    .select({
      entryId: entries.id,
      rank: entries.rank,
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
    .leftJoin(provinces, eq(provinces.code, facilities.legacyProvinceCode))
    .leftJoin(certificates, eq(certificates.entryId, entries.id))
    .where(and(eq(entries.roundId, round.id), eq(entries.status, "selected"), isNull(certificates.id)))
    .orderBy(asc(entries.rank), asc(entries.id));

  const prefix = productSerialPrefix(round);
  const issuedAt = new Date(`${round.decisionDate}T08:00:00+07:00`);
  const created: { entryId: number; serial: string; code: string }[] = [];
  for (const r of rows) {
    const serial = formatSerial(prefix, await nextSerialNumber(prefix, tx));
    const code = newVerificationCode();
    // The snapshot keeps the snapshot's product name when the dossier had one.
    const subject = {
      productName: r.productName,
      groupNo: r.groupNo,
      groupName: r.groupName,
      facilityName: r.facilityName,
      address: [r.address, r.commune, r.district].filter(Boolean).join(", "),
      provinceName: r.provinceAtTime ?? r.provinceCurrent,
      provinceCurrentName: r.provinceCurrent,
      level: round.level,
      year: round.year,
      roundTitle: round.title,
      rank: r.rank,
    };
    await tx.insert(certificates).values({
      kind: "product",
      serial,
      code,
      roundId: round.id,
      entryId: r.entryId,
      subject,
      subjectName: r.productName,
      issuer: round.authority,
      decisionNo: round.decisionNo,
      decisionDate: round.decisionDate,
      issuedAt,
      validUntil: productValidUntil(round.decisionDate),
    });
    await recordAudit({ actorId: input.actorId, action: "certificate.create", entity: "certificate", entityId: serial, roundId: round.id, after: { serial, entryId: r.entryId } }, tx);
    created.push({ entryId: r.entryId, serial, code });
  }
  return created;
}

/** A certificate by its verification code (as typed or scanned), with its computed status. */
export async function findCertificateByCode(rawCode: string) {
  const code = normaliseCode(rawCode).slice(0, 40);
  if (!code) return null;
  const [cert] = await db().select().from(certificates).where(eq(certificates.code, code));
  if (!cert) return null;
  return { ...cert, status: certificateStatus(cert) };
}
