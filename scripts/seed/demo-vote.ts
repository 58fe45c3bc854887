/**
 * Demo of the people's-choice vote (issue 19), through the models: the published Thái Nguyên 2026
 * round has a closed vote with a few hundred generated votes and one flagged burst excluded with its
 * reason, frozen with its hash; the Ninh Bình 2026 round has a vote open over its eligible entries.
 * Votes are generated deterministically and written in bulk (bulkInsertVotes). The organiser then issues
 * the award's certificate ("Sản phẩm được công chúng yêu thích") to Thái Nguyên's most-voted product.
 */
import { and, eq } from "drizzle-orm";

import { issueFavouriteCertificate } from "../../app/models/certificate/favourite.server";
import { awardWithCertificates } from "../../app/models/vote/award.server";
import { bulkInsertVotes } from "../../app/models/vote/bulk.server";
import { decideFlag, flagBursts, freezePoll, listFlags, pollOf, savePoll } from "../../app/models/vote/poll.server";
import { db } from "../../app/utils/db.server";
import { entries, rounds } from "../../db/schema";
import type { DemoStep } from "./demo";
import { DEMO_PUBLISHED_2026_SLUG } from "./demo-published-2026";
import { DEMO_PROVINCE_SLUG, organizerContext } from "./demo-rounds";

export const DEMO_VOTE_EXCLUSION =
  "24 phiếu cho cùng một sản phẩm trong 5 phút từ một dải mạng, các địa chỉ email vừa xác nhận: loại theo quy định chống gian lận.";

/** A small deterministic generator (the same demo every start). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function roundBySlug(slug: string) {
  const [round] = await db().select({ id: rounds.id, status: rounds.status }).from(rounds).where(eq(rounds.slug, slug));
  return round;
}

export const publicVoteDemo: DemoStep = {
  name: "bình chọn của công chúng (Thái Nguyên đã chốt, Ninh Bình đang mở)",
  done: async () => {
    const round = await roundBySlug(DEMO_PUBLISHED_2026_SLUG);
    return !round || !!(await pollOf(round.id));
  },
  async run() {
    const organizer = await organizerContext();
    const r = random(19);
    // ── Thái Nguyên: closed, counted, one burst excluded, frozen ──
    const tn = await roundBySlug(DEMO_PUBLISHED_2026_SLUG);
    const opensAt = new Date("2026-08-21T08:00:00+07:00");
    const closesAt = new Date("2026-09-20T17:00:00+07:00");
    await savePoll({
      actorId: organizer.id,
      round: tn,
      settings: { opensAt, closesAt, maxTotal: 5, maxPerEntry: 1, maxPerDay: null, showLive: true },
    });
    const selected = await db()
      .select({ id: entries.id })
      .from(entries)
      .where(and(eq(entries.roundId, tn.id), eq(entries.status, "selected")))
      .orderBy(entries.code);
    const weights = [0.4, 0.3, 0.18, 0.12];
    const span = closesAt.getTime() - opensAt.getTime() - 3_600_000;
    const generated: Parameters<typeof bulkInsertVotes>[0]["votes"] = [];
    for (let voter = 0; voter < 180; voter++) {
      const email = `nguoi-binh-chon-${String(voter + 1).padStart(3, "0")}@example.vn`;
      const ip = `${100 + Math.floor(r() * 100)}.${Math.floor(r() * 250)}.${Math.floor(r() * 250)}.${1 + Math.floor(r() * 250)}`;
      const castAt = new Date(opensAt.getTime() + Math.floor(r() * span));
      const picks = new Set<number>();
      const howMany = 1 + Math.floor(r() * 3);
      while (picks.size < Math.min(howMany, selected.length)) {
        let x = r();
        let k = 0;
        while (k < weights.length - 1 && x > weights[k]) x -= weights[k++];
        picks.add(Math.min(k, selected.length - 1));
      }
      for (const k of picks)
        generated.push({ email, entryId: selected[k].id, castAt, ip, verifiedAt: new Date(castAt.getTime() - 86_400_000) });
    }
    // the burst: 24 fresh addresses from one /24 for the last product within five minutes
    const burstAt = new Date("2026-09-12T21:40:00+07:00").getTime();
    for (let i = 0; i < 24; i++) {
      const castAt = new Date(burstAt + i * 12_000);
      generated.push({
        email: `tam-${i + 1}@vote-burst.example`,
        entryId: selected[selected.length - 1].id,
        castAt,
        ip: `203.0.113.${10 + i}`,
        verifiedAt: new Date(castAt.getTime() - 60_000),
      });
    }
    await bulkInsertVotes({ roundId: tn.id, votes: generated });
    await flagBursts({ roundId: tn.id });
    for (const flag of await listFlags(tn.id))
      await decideFlag({
        actorId: organizer.id,
        roundId: tn.id,
        flagId: flag.id,
        decision: "excluded",
        reason: DEMO_VOTE_EXCLUSION,
      });
    await freezePoll({ actorId: organizer.id, roundId: tn.id });

    // ── Ninh Bình: open over its eligible entries for a month from now ──
    const nb = await roundBySlug(DEMO_PROVINCE_SLUG);
    if (nb) {
      const now = Date.now();
      await savePoll({
        actorId: organizer.id,
        round: nb,
        settings: {
          opensAt: new Date(now - 86_400_000),
          closesAt: new Date(now + 30 * 86_400_000),
          maxTotal: 5,
          maxPerEntry: 1,
          maxPerDay: null,
          showLive: true,
        },
      });
    }
  },
};

/** The organiser presses "Cấp giấy chứng nhận" for each winner of Thái Nguyên's frozen vote. */
export const favouriteCertificateDemo: DemoStep = {
  name: "giấy chứng nhận “Sản phẩm được công chúng yêu thích” (Thái Nguyên)",
  done: async () => {
    const round = await roundBySlug(DEMO_PUBLISHED_2026_SLUG);
    const winners = round ? await awardWithCertificates(round.id) : null;
    return !winners || winners.every((w) => w.certificate);
  },
  async run() {
    const round = await roundBySlug(DEMO_PUBLISHED_2026_SLUG);
    const winners = round ? await awardWithCertificates(round.id) : null;
    if (!round || !winners) return;
    const organizer = await organizerContext();
    for (const w of winners)
      if (!w.certificate) await issueFavouriteCertificate({ actorId: organizer.id, roundId: round.id, entryId: w.entryId });
  },
};
