/** Demo of the people's-choice vote (issue 19): seeded through the models after the rounds it needs. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { publicVote } from "../../app/models/vote/poll.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { DEMO_STEPS } from "../../scripts/seed/demo";
import { DEMO_PUBLISHED_2026_SLUG } from "../../scripts/seed/demo-published-2026";
import { DEMO_2016_SLUG, DEMO_PROVINCE_SLUG } from "../../scripts/seed/demo-rounds";
import { DEMO_VOTE_EXCLUSION, publicVoteDemo } from "../../scripts/seed/demo-vote";

describe("demo: people's-choice votes", () => {
  it(
    "Thái Nguyên 2026 closed and frozen with one burst excluded; Ninh Bình 2026 open; 2016 without a vote",
    { timeout: 400_000 },
    async () => {
      for (const step of DEMO_STEPS) if (step !== publicVoteDemo) await step.run(() => {});
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

      const nb = (await publicVote(DEMO_PROVINCE_SLUG))!;
      expect(nb.poll.phase).toBe("open");
      expect(nb.candidates).toHaveLength(3);
      expect(await publicVote(DEMO_2016_SLUG)).toBeNull();
    },
  );
});
