/**
 * The higher secretariat's view of nominations (issue 15 §1–2): the letters a round received with
 * their summary list and processing clock, and the nomination behind each entry. Writes in
 * nomination.server.ts.
 */
import { asc, eq, inArray } from "drizzle-orm";

import { certificates, entries, facilities, nominationLetters, nominations, products, rounds } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { processingClock, type ProcessingClock } from "../shared/working-days";
import { holidaySet } from "./holiday.server";
import { vietnamDay } from "./territory-rules";
import { provinceReference } from "./territory.server";

export interface LetterView {
  id: number;
  letterNo: string;
  letterDate: string;
  signer: string;
  provinceName: string;
  fromRoundSlug: string | null;
  items: { productName: string; facilityName: string; groupNo: number; score: string | null; certificateSerial: string | null; status: string; entryCode: string | null }[];
  /** Started when every nominated dossier of the letter is complete (submitted). */
  clock: ProcessingClock | null;
}

/** The letters a round received, with the summary list and the processing clock of each. */
export async function listLetters(roundId: number, today = vietnamDay(new Date()), tx: Database = db()): Promise<LetterView[]> {
  const letters = await tx.select().from(nominationLetters).where(eq(nominationLetters.toRoundId, roundId)).orderBy(asc(nominationLetters.id));
  if (!letters.length) return [];
  const ref = await provinceReference(tx);
  const items = await tx
    .select({
      letterId: nominations.letterId,
      productName: products.name,
      facilityName: facilities.name,
      groupNo: products.groupNo,
      score: entries.meanScore,
      certificateSerial: certificates.serial,
      status: nominations.status,
      entryId: nominations.entryId,
      fromEntryId: nominations.fromEntryId,
    })
    .from(nominations)
    .innerJoin(products, eq(products.id, nominations.productId))
    .innerJoin(facilities, eq(facilities.id, nominations.facilityId))
    .leftJoin(entries, eq(entries.id, nominations.fromEntryId))
    .leftJoin(certificates, eq(certificates.id, nominations.certificateId))
    .where(eq(nominations.toRoundId, roundId))
    .orderBy(asc(nominations.id));
  const higherIds = items.map((i) => i.entryId).filter((x): x is number => !!x);
  const higher = new Map(
    (higherIds.length ? await tx.select({ id: entries.id, code: entries.code, submittedAt: entries.submittedAt }).from(entries).where(inArray(entries.id, higherIds)) : []).map((e) => [e.id, e]),
  );
  const fromSlugs = new Map(
    (await tx.select({ id: rounds.id, slug: rounds.slug }).from(rounds).where(inArray(rounds.id, letters.map((l) => l.fromRoundId ?? 0)))).map((r) => [r.id, r.slug]),
  );
  const years = new Set<number>();
  letters.forEach((l) => years.add(Number(l.letterDate.slice(0, 4))));
  const hol = new Set<string>();
  for (const y of years) for (const d of await holidaySet(y, tx)) hol.add(d);
  return letters.map((l) => {
    const mine = items.filter((i) => i.letterId === l.id);
    const submitted = mine.map((i) => (i.entryId ? higher.get(i.entryId)?.submittedAt : null));
    const complete = mine.length > 0 && submitted.every(Boolean);
    const startedOn = complete ? submitted.map((d) => vietnamDay(d!)).sort().at(-1)! : null;
    return {
      id: l.id,
      letterNo: l.letterNo,
      letterDate: l.letterDate,
      signer: l.signer,
      provinceName: ref.old.get(l.provinceCode)?.name ?? ref.current.get(l.provinceCode)?.name ?? l.provinceCode,
      fromRoundSlug: l.fromRoundId ? (fromSlugs.get(l.fromRoundId) ?? null) : null,
      items: mine.map((i) => ({
        productName: i.productName,
        facilityName: i.facilityName,
        groupNo: i.groupNo,
        score: i.score,
        certificateSerial: i.certificateSerial,
        status: i.status,
        entryCode: i.entryId ? (higher.get(i.entryId)?.code ?? null) : null,
      })),
      clock: startedOn ? processingClock(startedOn, today, hol) : null,
    };
  });
}

/** The nomination of each entry of a round: province (named in the round's era), letter number and date. */
export async function nominationsOfRound(roundId: number, tx: Database = db()) {
  const rows = await tx
    .select({ entryId: nominations.entryId, provinceCode: nominationLetters.provinceCode, letterNo: nominationLetters.letterNo, letterDate: nominationLetters.letterDate })
    .from(nominations)
    .innerJoin(nominationLetters, eq(nominationLetters.id, nominations.letterId))
    .where(eq(nominations.toRoundId, roundId));
  const ref = await provinceReference(tx);
  return new Map(
    rows
      .filter((r) => r.entryId)
      .map((r) => [
        r.entryId!,
        { province: ref.old.get(r.provinceCode)?.name ?? ref.current.get(r.provinceCode)?.name ?? r.provinceCode, letterNo: r.letterNo, letterDate: r.letterDate },
      ]),
  );
}
