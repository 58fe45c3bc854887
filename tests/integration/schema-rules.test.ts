/** Rules the database itself enforces, and the reference data every page relies on. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { recordAudit } from "../../app/models/shared/audit.server";
import { db, pgErrorCode, rowsOf, ruleViolation } from "../../app/utils/db.server";

const one = async <T>(q: ReturnType<typeof sql>) => rowsOf<T>(await db().execute(q))[0];

describe("reference data", () => {
  it("has the 63 provinces of 2016 in three regions and the 34 units since 1 July 2025", async () => {
    const counts = rowsOf<{ region_code: string; n: number }>(
      await db().execute(sql`select region_code, count(*)::int as n from provinces group by region_code order by region_code`),
    );
    expect(Object.fromEntries(counts.map((c) => [c.region_code, c.n]))).toEqual({ BAC: 28, TRUNG_TN: 15, NAM: 20 });
    expect((await one<{ n: number }>(sql`select count(*)::int as n from provinces_2025`)).n).toBe(34);
    expect((await one<{ n: number }>(sql`select count(*)::int as n from product_groups`)).n).toBe(4);
  });

  it("maps every 2016 province to the unit it became", async () => {
    const map = async (name: string) =>
      (await one<{ name: string }>(sql`select n.name from provinces p join provinces_2025 n on n.code = p.current_code where p.name = ${name}`)).name;
    expect(await map("Hà Nam")).toBe("Ninh Bình");
    expect(await map("Nam Định")).toBe("Ninh Bình");
    expect(await map("Thừa Thiên Huế")).toBe("Huế");
    expect(await map("Hải Dương")).toBe("TP. Hải Phòng");
    expect(await map("Bình Thuận")).toBe("Lâm Đồng");
    expect(await map("Hà Nội")).toBe("Hà Nội");
    const orphans = await one<{ n: number }>(sql`select count(*)::int as n from provinces_2025 n where not exists (select 1 from provinces p where p.current_code = n.code)`);
    expect(orphans.n).toBe(0);
  });

  it("folds Vietnamese for diacritic-insensitive search", async () => {
    const r = await one<{ a: string; b: string; c: boolean }>(
      sql`select vn_fold('Đậu phụ Đắk Lắk') as a, vn_fold('NƯỚC MẮM') as b, vn_fold('Gốm Bát Tràng') % vn_fold('gom bat trang') as c`,
    );
    expect(r.a).toBe("dau phu dak lak");
    expect(r.b).toBe("nuoc mam");
    expect(r.c).toBe(true);
  });
});

describe("database rules", () => {
  it("keeps the audit log append-only, even for direct SQL", async () => {
    await recordAudit({ actorId: null, action: "test.event", entity: "test", entityId: 1 });
    const update = await db().execute(sql`update audit_events set action = 'x'`).catch((e) => e);
    expect(ruleViolation(update)).toBe("audit_append_only");
    const del = await db().execute(sql`delete from audit_events`).catch((e) => e);
    expect(ruleViolation(del)).toBe("audit_append_only");
    expect((await one<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'test.event'`)).n).toBe(1);
  });

  it("refuses a second account with the same e-mail in another case", async () => {
    await db().execute(sql`insert into users (id, email, password_hash, full_name) values ('u1', 'An@Example.vn', 'x', 'An')`);
    const dup = await db().execute(sql`insert into users (id, email, password_hash, full_name) values ('u2', 'an@example.VN', 'x', 'An')`).catch((e) => e);
    expect(pgErrorCode(dup)).toBe("23505");
  });

  it("refuses a round whose registration closes before it opens, or a pass mark above 100", async () => {
    const bad = (opens: string, closes: string, pass: string) =>
      db()
        .execute(
          sql`insert into rounds (slug, title, level, region_code, year, registration_opens_at, registration_closes_at, scoring_closes_at, pass_mark, authority)
              values (${`r-${Math.random()}`}, 't', 'region', 'BAC', 2016, ${opens}, ${closes}, '2016-12-31', ${pass}, 'Cục')`,
        )
        .catch((e) => e);
    expect(pgErrorCode(await bad("2016-06-01", "2016-05-01", "70"))).toBe("23514");
    expect(pgErrorCode(await bad("2016-05-01", "2016-06-01", "101"))).toBe("23514");
  });
});
