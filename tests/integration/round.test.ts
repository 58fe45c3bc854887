import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { advanceRound } from "../../app/models/round/round.server";
import * as home from "../../app/routes/organizer._index";
import * as overview from "../../app/routes/organizer.rounds.$slug._index";
import * as create from "../../app/routes/organizer.rounds.new";
import { db } from "../../app/utils/db.server";
import { rounds } from "../../db/schema";
import { call, confirmed, createTestUser, jsonOf, requestAs, toastOf } from "../factories";
import { createEligibleEntry, createOrganizer, createTestRound, setRoundStatus } from "../factories/scoring";

const FORM = {
  intent: "create",
  title: "Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Bắc năm 2028",
  slug: "2028-khu-vuc-phia-bac",
  level: "region",
  regionCode: "BAC",
  year: "2028",
  registrationOpensAt: "2028-03-01T08:00",
  registrationClosesAt: "2028-06-30T17:00",
  scoringClosesAt: "2028-08-31T17:00",
  passMark: "70",
  quota: "",
  jurorsPerEntry: "",
  authority: "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công – Bộ Công Thương",
};

describe("rounds", () => {
  it("guards: anonymous → login, facility and juror → 403, a round outside the organiser's scope → 404", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    expect((await call(home.loader, requestAs(null, "/organizer"))).status).toBe(302);
    expect((await call(create.action, requestAs(null, "/organizer/rounds/new", { form: FORM }))).status).toBe(302);
    for (const role of ["facility", "juror"] as const) {
      const u = await createTestUser({ roles: [role] });
      expect((await call(home.loader, requestAs(u, "/organizer"))).status).toBe(403);
      expect((await call(overview.loader, requestAs(u, `/organizer/rounds/${round.slug}`), { slug: round.slug })).status).toBe(
        403,
      );
      expect(
        (
          await call(
            overview.action,
            requestAs(u, `/organizer/rounds/${round.slug}`, { form: { intent: "advance", from: "draft" } }),
            { slug: round.slug },
          )
        ).status,
      ).toBe(403);
    }
    const south = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } });
    expect((await call(overview.loader, requestAs(south, `/organizer/rounds/${round.slug}`), { slug: round.slug })).status).toBe(
      404,
    );
    expect(
      (
        await call(
          overview.action,
          requestAs(south, `/organizer/rounds/${round.slug}`, { form: { intent: "advance", from: "draft" } }),
          { slug: round.slug },
        )
      ).status,
    ).toBe(404);
    const list = await jsonOf(await call(home.loader, requestAs(south, "/organizer")));
    expect(list.rounds.find((r: { slug: string }) => r.slug === round.slug)).toBeUndefined();
  });

  it("an organiser creates a round in scope (with the default rubric), refused outside scope and with bad input", async () => {
    const organizer = await createOrganizer();
    const res = await call(create.action, requestAs(organizer, "/organizer/rounds/new", { form: FORM }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/organizer/rounds/2028-khu-vuc-phia-bac");
    const again = await call(create.action, requestAs(organizer, "/organizer/rounds/new", { form: FORM }));
    expect(again.status).toBe(409);
    expect((await jsonOf(again)).fields.slug).toBeTruthy();
    const outside = await call(
      create.action,
      requestAs(organizer, "/organizer/rounds/new", { form: { ...FORM, slug: "nam-2028", regionCode: "NAM" } }),
    );
    expect(outside.status).toBe(403);
    const bad = await call(
      create.action,
      requestAs(organizer, "/organizer/rounds/new", { form: { ...FORM, slug: "Có Dấu", passMark: "120" } }),
    );
    expect(bad.status).toBe(400);
    expect(Object.keys((await jsonOf(bad)).fields)).toEqual(expect.arrayContaining(["slug", "passMark"]));
    const dates = await call(
      create.action,
      requestAs(organizer, "/organizer/rounds/new", {
        form: { ...FORM, slug: "ngay-sai", registrationClosesAt: "2028-01-01T08:00" },
      }),
    );
    expect((await jsonOf(dates)).fields.registrationClosesAt).toContain("phải sau ngày mở");
  });

  it("the lifecycle moves forward one step at a time and refuses with a reason", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}`;
    const step = (from: string) =>
      call(overview.action, requestAs(organizer, path, { form: confirmed({ intent: "advance", from }) }), { slug: round.slug });
    expect(await toastOf(await step("draft"))).toMatchObject({ location: path, message: "Đã chuyển đợt sang “Đang nhận hồ sơ”." });
    const stale = await step("draft");
    expect(stale.status).toBe(409);
    expect((await jsonOf(stale)).formError).toContain("Đang nhận hồ sơ");
    expect((await step("registration")).status).toBe(302);
    await createEligibleEntry({ roundId: round.id, status: "submitted" });
    await createEligibleEntry({ roundId: round.id, status: "submitted" });
    await createEligibleEntry({ roundId: round.id, status: "submitted" });
    const blocked = await step("screening");
    expect(blocked.status).toBe(409);
    const msg = (await jsonOf(blocked)).formError;
    expect(msg).toContain("còn 3 hồ sơ chưa được thẩm định");
    expect(msg).toContain("hội đồng chưa có thành viên");
    const [r] = await db().select().from(rounds).where(eq(rounds.id, round.id));
    expect(r.status).toBe("screening");
  });

  it("two organisers moving the same step at once: one wins", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const results = await Promise.allSettled([
      advanceRound({ roundId: round.id, actorId: organizer.id, from: "draft" }),
      advanceRound({ roundId: round.id, actorId: organizer.id, from: "draft" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("pass mark and quota change only before scoring", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}`;
    const form = { ...FORM, intent: "update", title: "Bình chọn sản phẩm CNNT tiêu biểu (đã sửa)", passMark: "75" };
    expect((await toastOf(await call(overview.action, requestAs(organizer, path, { form }), { slug: round.slug }))).message).toBe("Đã lưu thông tin đợt bình chọn.");
    await setRoundStatus(round.id, "scoring");
    const late = await call(overview.action, requestAs(organizer, path, { form: { ...form, passMark: "60" } }), {
      slug: round.slug,
    });
    expect(late.status).toBe(409);
    const [r] = await db().select().from(rounds).where(eq(rounds.id, round.id));
    expect(r.passMark).toBe("75.00");
  });
});
