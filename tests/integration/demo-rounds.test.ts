import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { verifyFinalHash } from "../../app/models/results/results.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { formatDateTimeCell } from "../../app/utils/format";
import { DEMO_STEPS } from "../../scripts/seed/demo";
import { DEMO_2016_SLUG, DEMO_OPEN_SLUG, DEMO_PROVINCE_SLUG, rounds2016Demo } from "../../scripts/seed/demo-rounds";

describe("demo: the 2016 Northern regional round", () => {
  it(
    "is built through the models with exactly 73 selected products, each with mean ≥ 70 and a certificate",
    { timeout: 240_000 },
    async () => {
      const t0 = Date.now();
      for (const step of DEMO_STEPS.slice(0, 2)) await step.run(() => {});
      expect(DEMO_STEPS).toContain(rounds2016Demo);
      await rounds2016Demo.run((m) => console.log(m));
      const ms = Date.now() - t0;
      console.log(`demo rounds seeded in ${ms} ms`);
      const byStatus = rowsOf<{ status: string; n: number; mn: string | null; mx: string | null }>(
        await db().execute(sql`select e.status, count(*)::int as n, min(e.mean_score)::text as mn, max(e.mean_score)::text as mx
        from entries e join rounds r on r.id = e.round_id where r.slug = ${DEMO_2016_SLUG} group by e.status order by e.status`),
      );
      const get = (s: string) => byStatus.find((r) => r.status === s);
      expect(get("selected")?.n).toBe(73);
      expect(Number(get("selected")?.mn)).toBeGreaterThanOrEqual(70);
      expect(get("not_selected")?.n).toBeGreaterThan(0);
      expect(Number(get("not_selected")?.mx)).toBeLessThan(70);
      expect(get("ineligible")?.n).toBeGreaterThan(0);
      const [round] = rowsOf<{
        id: number;
        status: string;
        final_hash: string | null;
        decision_no: string;
        public_version: number;
      }>(await db().execute(sql`select * from rounds where slug = ${DEMO_2016_SLUG}`));
      // Public twice: the provisional list (15/09/2016), then the decided list (07/10/2016).
      expect(round).toMatchObject({ status: "published", decision_no: "1208/QĐ-CNĐP", public_version: 2 });
      // Issue 14: the jury scored, the council met (6 of 7), voted 73, one complaint rejected.
      const [session2016] = rowsOf<{ held_on: string; present: number; total: number; approved: number; complaints: string; window: string }>(
        await db().execute(sql`select s.held_on::text, cardinality(s.present_user_ids) as present, s.members_total as total,
          (select count(*)::int from council_votes v where v.session_id = s.id and v.approved) as approved,
          (select string_agg(status || ':' || follow_up, ',') from complaints where round_id = s.round_id) as complaints,
          (select (complaints_close_at - provisional_published_at)::text from round_process where round_id = s.round_id) as window
          from council_sessions s where s.round_id = ${round.id}`),
      );
      expect(session2016).toEqual({ held_on: "2016-09-14", present: 6, total: 7, approved: 73, complaints: "rejected:none", window: "10 days" });
      expect(await verifyFinalHash(round.id)).toBe(true);
      const certs = rowsOf<{ n: number; ranked: number }>(
        await db().execute(
          sql`select count(*)::int as n, count(e.rank)::int as ranked from certificates c join entries e on e.id = c.entry_id where c.round_id = ${round.id} and e.status = 'selected'`,
        ),
      );
      expect(certs[0]).toEqual({ n: 73, ranked: 73 });
      const [open] = rowsOf<{ status: string; closes: string }>(
        await db().execute(sql`select status, registration_closes_at::text as closes from rounds where slug = ${DEMO_OPEN_SLUG}`),
      );
      expect(open.status).toBe("registration");
      // The demo deadlines are at an office hour in Vietnam time, not the minute the seed ran.
      const deadlines = rowsOf<{ slug: string; opens: string | Date; closes: string | Date; scoring: string | Date }>(
        await db().execute(
          sql`select slug, registration_opens_at as opens, registration_closes_at as closes, scoring_closes_at as scoring from rounds where slug in (${DEMO_OPEN_SLUG}, ${DEMO_PROVINCE_SLUG})`,
        ),
      );
      expect(deadlines).toHaveLength(2);
      for (const d of deadlines) {
        expect(formatDateTimeCell(d.opens)).toMatch(/ 08:00$/);
        expect(formatDateTimeCell(d.closes)).toMatch(/ 17:00$/);
        expect(formatDateTimeCell(d.scoring)).toMatch(/ 17:00$/);
      }
      const [council] = rowsOf<{ n: number }>(
        await db().execute(
          sql`select count(*)::int as n from council_members cm join rounds r on r.id = cm.round_id where r.slug = ${DEMO_OPEN_SLUG}`,
        ),
      );
      expect(council.n).toBe(7);
      const [prov] = rowsOf<{ status: string; eligible: number; assigned: number; conflicts: number }>(
        await db().execute(sql`select r.status,
        (select count(*)::int from entries e where e.round_id = r.id and e.status = 'eligible') as eligible,
        (select count(*)::int from assignments a where a.round_id = r.id) as assigned,
        (select count(*)::int from conflicts c where c.round_id = r.id and c.kind = 'declared') as conflicts
        from rounds r where r.slug = ${DEMO_PROVINCE_SLUG}`),
      );
      expect(prov).toEqual({ status: "screening", eligible: 3, assigned: 9, conflicts: 1 });
      expect(await rounds2016Demo.done()).toBe(true);
    },
  );
});
