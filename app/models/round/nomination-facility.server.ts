/**
 * The facility's side of a nomination (issue 15 §1): its list of nominations and the confirmation
 * that makes its entry in the higher round from what it already has. The lower round's nomination
 * in nomination.server.ts.
 */
import { and, asc, eq } from "drizzle-orm";

import { certificates, entries, facilities, nominationLetters, nominations, products, rounds } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { requireProductMember } from "../facility/product.server";
import { recordAudit } from "../shared/audit.server";

export async function listFacilityNominations(userId: string, tx: Database = db()) {
  const { facilityMembers } = await import("../../../db/schema");
  return tx
    .select({
      id: nominations.id,
      status: nominations.status,
      productId: nominations.productId,
      productName: products.name,
      facilityName: facilities.name,
      roundSlug: rounds.slug,
      roundTitle: rounds.title,
      closesAt: rounds.registrationClosesAt,
      letterNo: nominationLetters.letterNo,
      letterDate: nominationLetters.letterDate,
      entryId: nominations.entryId,
      entryStatus: entries.status,
    })
    .from(nominations)
    .innerJoin(facilityMembers, and(eq(facilityMembers.facilityId, nominations.facilityId), eq(facilityMembers.userId, userId)))
    .innerJoin(products, eq(products.id, nominations.productId))
    .innerJoin(facilities, eq(facilities.id, nominations.facilityId))
    .innerJoin(rounds, eq(rounds.id, nominations.toRoundId))
    .innerJoin(nominationLetters, eq(nominationLetters.id, nominations.letterId))
    .leftJoin(entries, eq(entries.id, nominations.entryId))
    .orderBy(asc(nominations.id));
}

/**
 * The facility confirms a nomination: its entry in the higher round is made from the product's
 * dossier, photos and documents (nothing uploaded again), with the lower certificate linked, and
 * submitted when complete. @returns the entry and what is still missing (empty when submitted).
 * @throws AppError 404 for another facility's nomination; 400 after the higher round's deadline.
 */
export async function confirmNomination(input: { actorId: string; nominationId: number; now?: Date }, tx: Database = db()) {
  const now = input.now ?? new Date();
  const { saveEntryDraft, submitEntry } = await import("../entry/entry.server");
  const [n] = await tx.select().from(nominations).where(eq(nominations.id, input.nominationId));
  if (!n) throw notFound("Không tìm thấy đề nghị.");
  await requireProductMember({ userId: input.actorId, productId: n.productId }, tx).catch(() => {
    throw notFound("Không tìm thấy đề nghị.");
  });
  const [cert] = n.certificateId ? await tx.select().from(certificates).where(eq(certificates.id, n.certificateId)) : [];
  const lowerCertificate = cert
    ? { serial: cert.serial, issuer: cert.issuer, decisionNo: cert.decisionNo, year: (cert.decisionDate ?? "").slice(0, 4) }
    : undefined;
  return tx.transaction(async (t) => {
    const { id: entryId } = await saveEntryDraft({ actorId: input.actorId, roundId: n.toRoundId, productId: n.productId, lowerCertificate, now }, t);
    if (cert) await t.update(entries).set({ lowerCertificateId: cert.id }).where(eq(entries.id, entryId));
    await t
      .update(nominations)
      .set({ status: "confirmed", confirmedAt: n.confirmedAt ?? now, confirmedBy: n.confirmedBy ?? input.actorId, entryId })
      .where(eq(nominations.id, n.id));
    let missing: string[] = [];
    try {
      await t.transaction((inner) => submitEntry({ actorId: input.actorId, entryId, now }, inner));
    } catch (error) {
      if (error instanceof AppError && error.fields?._missing) missing = error.fields._missing.split("\n");
      else throw error;
    }
    await recordAudit({ actorId: input.actorId, action: "nomination.confirm", entity: "nomination", entityId: n.id, roundId: n.toRoundId, after: { entryId, submitted: !missing.length } }, t);
    return { entryId, missing, productId: n.productId };
  });
}
