/** Demo of the people's-choice vote (issue 19): seeded through the models after the rounds it needs. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { ensureCertificatePdf } from "../../app/models/certificate/pdf.server";
import { verifyCertificateCode } from "../../app/models/certificate/verification.server";
import { publicVote } from "../../app/models/vote/poll.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { certificates } from "../../db/schema";
import { DEMO_STEPS } from "../../scripts/seed/demo";
import { DEMO_PUBLISHED_2026_SLUG } from "../../scripts/seed/demo-published-2026";
import { DEMO_2016_SLUG, DEMO_PROVINCE_SLUG } from "../../scripts/seed/demo-rounds";
import { DEMO_VOTE_EXCLUSION, favouriteCertificateDemo, publicVoteDemo } from "../../scripts/seed/demo-vote";

describe("demo: people's-choice votes", () => {
  it(
    "Thái Nguyên 2026 closed and frozen with one burst excluded, its winner's award certificate on /verify; Ninh Bình 2026 open; 2016 without a vote",
    { timeout: 400_000 },
    async () => {
      const later = [publicVoteDemo, favouriteCertificateDemo];
      for (const step of DEMO_STEPS) if (!later.includes(step)) await step.run(() => {});
      const t0 = Date.now();
      await publicVoteDemo.run(() => {});
      console.log(`vote demo seeded in ${Date.now() - t0} ms`);
      expect(await publicVoteDemo.done()).toBe(true);

      const tn = (await publicVote(DEMO_PUBLISHED_2026_SLUG))!;
      expect(tn.poll.phase).toBe("frozen");
      expect(tn.poll.finalHash).toMatch(/^[0-9a-f]{64}$/);
      const counted = tn.totals!.reduce((s, t) => s + t.votes, 0);
      expect(counted).toBeGreaterThan(200);
      expect(tn.excluded).toEqual({ count: 24, reasons: [`24 phiếu: ${DEMO_VOTE_EXCLUSION}`] });
      expect(tn.award).toHaveLength(1);
      const [{ n }] = rowsOf<{ n: string }>(
        await db().execute(
          sql`select count(*) as n from vote_flags f join rounds r on r.id = f.round_id where r.slug = ${DEMO_PUBLISHED_2026_SLUG} and f.status = 'excluded'`,
        ),
      );
      expect(Number(n)).toBe(1);

      // The organiser's button, pressed once for the winner: one favourite certificate, verified by its code.
      expect(await favouriteCertificateDemo.done()).toBe(false);
      await favouriteCertificateDemo.run(() => {});
      expect(await favouriteCertificateDemo.done()).toBe(true);
      const again = await publicVote(DEMO_PUBLISHED_2026_SLUG);
      expect(again!.awardCertificates).toHaveLength(1);
      expect(again!.awardCertificates[0].entryId).toBe(tn.award[0].entryId);
      const shown = await verifyCertificateCode({ code: again!.awardCertificates[0].code, client: "demo-test" });
      expect(shown).toMatchObject({
        kind: "favourite",
        status: "valid",
        decisionNo: null,
        validUntil: null,
        issuer: "Ủy ban nhân dân tỉnh Thái Nguyên",
      });
      expect(shown!.subject).toMatchObject({
        name: tn.award[0].productName,
        signerName: "Lê Quang Minh",
        vote: { finalHash: tn.poll.finalHash },
      });
      const [cert] = await db()
        .select()
        .from(certificates)
        .where(sql`${certificates.code} = ${shown!.code}`);
      const { bytes } = await ensureCertificatePdf(cert);
      if (process.env.FAVOURITE_PDF_OUT) (await import("node:fs")).writeFileSync(process.env.FAVOURITE_PDF_OUT, bytes);

      const nb = (await publicVote(DEMO_PROVINCE_SLUG))!;
      expect(nb.poll.phase).toBe("open");
      expect(nb.candidates).toHaveLength(3);
      expect(await publicVote(DEMO_2016_SLUG)).toBeNull();
    },
  );
});
