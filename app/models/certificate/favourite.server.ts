/**
 * The certificate of the people's-choice award (issue 19): "GIẤY CHỨNG NHẬN — Sản phẩm được công chúng
 * yêu thích", issued by the organiser, when asked, for a most-voted product of a frozen vote. Advisory:
 * no decision, no validity period, its own serials ("YT-…"); signed by the round's signer like its
 * product certificates; verified, downloaded and revoked like every certificate.
 */
import { and, eq } from "drizzle-orm";

import { certificates, entries, rounds } from "../../../db/schema";
import { type Database, isDbId } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { inTransaction } from "../../utils/retry.server";
import { recordAudit } from "../shared/audit.server";
import { notifyFacility } from "../shared/notification.server";
import { frozenAward } from "../vote/award.server";
import { AWARD_NAME, favouriteCertificateProblem } from "../vote/rules";
import { certifiedEntries, entrySubject, nextSerialNumber, roundSigning } from "./certificate.server";
import { favouriteSerialPrefix, formatSerial, newVerificationCode, vietnamToday } from "./rules";

/**
 * Issues the award's certificate to one product of a round's frozen vote.
 * @throws AppError 404 (no vote, or the product is not in it), 409 (the counts are not frozen, the
 *   product is not a most-voted one, the round has no signer recorded, or it has one already).
 */
export async function issueFavouriteCertificate(
  input: { roundId: number; entryId: number; actorId: string; now?: Date },
  tx?: Database,
): Promise<{ serial: string; code: string }> {
  if (!isDbId(input.entryId)) throw notFound("Sản phẩm này không có trong cuộc bình chọn của đợt.");
  return inTransaction(tx, async (t) => {
    // The poll's row is locked: two clicks run one after the other (the unique constraint holds anyway).
    const award = await frozenAward(input.roundId, t, { lock: true });
    if (!award) throw notFound("Đợt này chưa mở bình chọn của công chúng.");
    const [entry] = await certifiedEntries(t).where(and(eq(entries.id, input.entryId), eq(entries.roundId, input.roundId)));
    if (!entry) throw notFound("Sản phẩm này không có trong cuộc bình chọn của đợt.");
    const [round] = await t.select().from(rounds).where(eq(rounds.id, input.roundId));
    const now = input.now ?? new Date();
    const day = vietnamToday(now);
    // Signed like the round's product certificates; the place named as on the day of signing.
    const signing = await roundSigning({ ...round, decisionDate: day }, t);
    const problem = favouriteCertificateProblem({
      frozen: !!award.poll.frozenAt,
      winners: award.winners,
      entryId: input.entryId,
      signerName: signing.name,
    });
    if (problem) throw new AppError(409, problem);
    const { poll, totals, winners } = award;
    const winner = winners.find((w) => w.entryId === input.entryId)!;
    const prefix = favouriteSerialPrefix(round);
    const serial = formatSerial(prefix, await nextSerialNumber(prefix, t));
    const code = newVerificationCode();
    const named = entrySubject(entry, day);
    const subject = {
      ...named,
      entryCode: entry.code,
      award: AWARD_NAME,
      level: round.level,
      year: round.year,
      roundTitle: round.title,
      roundSlug: round.slug,
      // What the public vote said, as frozen: its window, this product's counted votes, the hash.
      vote: {
        opensAt: poll.opensAt.toISOString(),
        closesAt: poll.closesAt.toISOString(),
        frozenAt: poll.frozenAt!.toISOString(),
        votes: winner.votes,
        countedVotes: totals.reduce((sum, x) => sum + x.votes, 0),
        candidates: totals.length,
        winners: winners.length,
        finalHash: poll.finalHash,
      },
      place: signing.place,
      signerCapacity: signing.capacity,
      signerName: signing.name,
    };
    const [row] = await t
      .insert(certificates)
      .values({
        kind: "favourite",
        serial,
        code,
        roundId: round.id,
        favouriteEntryId: entry.entryId,
        subject,
        subjectName: named.productName,
        issuer: round.authority,
        issuedAt: now,
      })
      // Once per vote and entry: the unique constraint decides (a refused insert rolls the serial back).
      .onConflictDoNothing({ target: [certificates.roundId, certificates.favouriteEntryId] })
      .returning({ id: certificates.id });
    if (!row) {
      const [existing] = await t
        .select({ serial: certificates.serial })
        .from(certificates)
        .where(and(eq(certificates.roundId, round.id), eq(certificates.favouriteEntryId, entry.entryId)));
      throw new AppError(409, `Sản phẩm này đã được cấp giấy chứng nhận “${AWARD_NAME}” (số ${existing?.serial ?? "?"}).`);
    }
    await recordAudit(
      {
        actorId: input.actorId,
        action: "certificate.create",
        entity: "certificate",
        entityId: serial,
        roundId: round.id,
        after: { serial, kind: "favourite", entryId: entry.entryId, votes: winner.votes, finalHash: poll.finalHash },
      },
      t,
    );
    await notifyFacility(
      {
        facilityId: entry.facilityId,
        kind: "certificate_issued",
        title: `Giấy chứng nhận “${AWARD_NAME}” cho “${named.productName}”`,
        body: `Sản phẩm “${named.productName}” được công chúng bình chọn nhiều nhất trong đợt “${round.title}” và được cấp giấy chứng nhận “${AWARD_NAME}” với mã tra cứu ${code}.`,
        link: `/verify/${code}`,
      },
      t,
    );
    return { serial, code };
  });
}
