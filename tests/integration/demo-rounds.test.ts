import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { verifyFinalHash } from "../../app/models/results/results.server";
import { letterPdfKey } from "../../app/models/round/nomination.server";
import { isDemoData } from "../../app/models/shared/app-flags.server";
import * as winnersApi from "../../app/routes/api.v1.rounds.$slug.winners";
import { db, rowsOf } from "../../app/utils/db.server";
import { formatDateTimeCell } from "../../app/utils/format";
import { sha256 } from "../../app/utils/hash.server";
import { storage } from "../../app/utils/storage/index.server";
import { mediaFileKey } from "../../app/utils/uploads.server";
import { DEMO_STEPS } from "../../scripts/seed/demo";
import { DEMO_2016_SLUG, DEMO_OPEN_SLUG, DEMO_PROVINCE_SLUG, rounds2016Demo } from "../../scripts/seed/demo-rounds";
import { DEMO_2016_PRODUCTS } from "../../scripts/seed/demo-rounds-data";
import { call, jsonOf, requestAs } from "../factories/index";

describe("demo: the 2016 Northern regional round", () => {
  it(
    "is built through the models with exactly 73 selected products of 125 nominated dossiers, each with mean ≥ 70 and a certificate",
    { timeout: 420_000 },
    async () => {
      const t0 = Date.now();
      expect(await isDemoData()).toBe(false);
      for (const step of DEMO_STEPS.slice(0, 2)) await step.run(() => {});
      // The first step marks the database: every page then carries the "Dữ liệu minh họa" notice.
      expect(await isDemoData()).toBe(true);
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
      // A pass rate like real rounds' (2020 North 57 %, 2017 national 60 %): about 125 dossiers for 73.
      const dossiers = byStatus.reduce((n, r) => n + r.n, 0);
      expect(dossiers).toBe(125);
      expect(73 / dossiers).toBeGreaterThanOrEqual(0.55);
      expect(73 / dossiers).toBeLessThanOrEqual(0.6);
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
      // Both founding decisions carry their signed PDF, stored by the upload pipeline (bytes match the recorded hash).
      const bodies = rowsOf<{ kind: string; decision_no: string; pdf_id: string; pdf_sha256: string }>(
        await db().execute(sql`select kind, decision_no, pdf_id, pdf_sha256 from round_bodies where round_id = ${round.id} order by kind`),
      );
      expect(bodies.map((b) => [b.kind, b.decision_no])).toEqual([["council", "1011/QĐ-CNĐP"], ["jury", "1012/QĐ-CNĐP"]]);
      for (const b of bodies) {
        const bytes = (await storage().readAll(mediaFileKey(b.pdf_id, "document")))!;
        expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
        expect(sha256(bytes)).toBe(b.pdf_sha256);
      }
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

      // Issue 15 §8: every regional entry came by a province's cover letter, within its places, and
      // carries the provincial certificate of a decided 2016 provincial round, linked.
      const [intake] = rowsOf<{ intake_mode: string }>(await db().execute(sql`select intake_mode from rounds where slug = ${DEMO_2016_SLUG}`));
      expect(intake.intake_mode).toBe("nomination");
      const entryRows = rowsOf<{ code: string; nominated: boolean; lower_level: string | null; lower_status: string | null; lower_year: number | null; lower_valid: string | null; same_product: boolean }>(
        await db().execute(sql`select e.code, n.id is not null as nominated, lr.level as lower_level, lr.status as lower_status, lr.year as lower_year,
          c.valid_until::text as lower_valid, (fe.product_id = e.product_id) as same_product
          from entries e join rounds r on r.id = e.round_id
          left join nominations n on n.entry_id = e.id
          left join certificates c on c.id = e.lower_certificate_id
          left join rounds lr on lr.id = c.round_id
          left join entries fe on fe.id = n.from_entry_id
          where r.slug = ${DEMO_2016_SLUG}`),
      );
      expect(entryRows).toHaveLength(125);
      for (const e of entryRows) {
        expect(e).toMatchObject({ nominated: true, lower_level: "province", lower_status: "published", lower_year: 2016, same_product: true });
        expect(e.lower_valid! >= "2016-07-29").toBe(true);
      }
      const letters = rowsOf<{ province_code: string; letter_no: string; letter_date: string; signer: string; pdf_key: string; pdf_sha256: string; n: number; places: number; from_status: string; decision_no: string | null }>(
        await db().execute(sql`select l.province_code, l.letter_no, l.letter_date::text, l.signer, l.pdf_key, l.pdf_sha256,
          (select count(*)::int from nominations n where n.letter_id = l.id) as n, q.places, fr.status as from_status, fr.decision_no
          from nomination_letters l join rounds r on r.id = l.to_round_id
          join round_quotas q on q.round_id = r.id and q.province_code = l.province_code
          join rounds fr on fr.id = l.from_round_id
          where r.slug = ${DEMO_2016_SLUG} order by l.id`),
      );
      expect(letters.length).toBeGreaterThanOrEqual(3);
      expect(letters.map((l) => l.province_code)).toContain("ninh-binh");
      expect(letters.reduce((n, l) => n + l.n, 0)).toBe(125);
      for (const l of letters) {
        expect(l.n).toBeLessThanOrEqual(l.places);
        expect(l).toMatchObject({ from_status: "published", decision_no: expect.stringMatching(/\/QĐ-UBND$/), letter_no: expect.stringMatching(/\/UBND-KT$/) });
        expect(l.letter_date < "2016-07-29").toBe(true);
        // The cover letter's PDF (pdf-lib) went through the real storage path with its hash.
        const bytes = await storage().readAll(letterPdfKey(l.pdf_key));
        expect(bytes?.subarray(0, 5).toString()).toBe("%PDF-");
        expect(sha256(bytes!)).toBe(l.pdf_sha256);
      }

      // The public contract: 73 winners, each with the province, number and date of its cover letter.
      const res = await call(winnersApi.loader, requestAs(null, `/api/v1/rounds/${DEMO_2016_SLUG}/winners`), { slug: DEMO_2016_SLUG });
      const body = await jsonOf(res);
      expect(body.winners).toHaveLength(73);
      expect(body.winners.map((w: { certificate: { serial: string } }) => w.certificate.serial).sort()).toEqual(
        Array.from({ length: 73 }, (_, i) => `KV-BAC-2016-${String(i + 1).padStart(3, "0")}`),
      );
      const letterOf = new Map(letters.map((l) => [l.letter_no, l]));
      for (const w of body.winners) {
        expect(w.nomination).toEqual({ province: expect.any(String), letterNo: expect.stringMatching(/\/UBND-KT$/), letterDate: expect.stringMatching(/^2016-07-\d{2}$/) });
        expect(letterOf.get(w.nomination.letterNo)?.letter_date).toBe(w.nomination.letterDate);
        // The province is the facility's, named as in 2016.
        expect(w.nomination.province).toBe(w.facility.province.name);
      }

      // Plausible to an officer of the region: no inner-city shop, no large listed company, stone carving is a handicraft.
      const names = DEMO_2016_PRODUCTS.map((p) => p.facility).join("\n");
      for (const bad of ["Hàng Than", "Vạn Phúc", "Mộc Châu Milk", "Lam Sơn", "Công ty CP"]) expect(names).not.toContain(bad);
      const stone = rowsOf<{ group_no: number }>(await db().execute(sql`select group_no from products where name like 'Tượng đá%'`));
      expect(stone.length).toBeGreaterThan(0);
      for (const p of stone) expect(p.group_no).toBe(1);
      expect(await rounds2016Demo.done()).toBe(true);
    },
  );
});
