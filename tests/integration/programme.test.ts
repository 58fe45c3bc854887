import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { getNationalReport } from "../../app/models/programme/report.server";
import * as adminIndicators from "../../app/routes/admin.indicators";
import * as api from "../../app/routes/api.v1.programme.$year.$region";
import * as provincePage from "../../app/routes/organizer.programme.$province";
import * as overview from "../../app/routes/organizer.programme._index";
import * as template from "../../app/routes/organizer.programme.mau[.xlsx]";
import * as reportPage from "../../app/routes/programme.$year.$region";
import * as reportXlsx from "../../app/routes/programme.$year.$region_.bao-cao[.xlsx]";
import * as publicIndex from "../../app/routes/programme._index";
import { db } from "../../app/utils/db.server";
import { auditEvents, programmeFigures } from "../../db/schema";
import { programmeDemo } from "../../scripts/seed/demo-programme";
import { call, createTestUser, jsonOf, requestAs, toastOf } from "../factories";
import { officers, readWorkbook } from "../factories/programme";

const figures = (province: string, year: number, period: number) =>
  db()
    .select()
    .from(programmeFigures)
    .where(and(eq(programmeFigures.provinceCode, province), eq(programmeFigures.year, year), eq(programmeFigures.periodMonths, period)));

const entryPath = (province: string, year = 2017, period = 6) => `/organizer/programme/${province}?year=${year}&period=${period}`;

function entryForm(values: Record<string, string>, intent = "save-submit", year = 2017, period = 6) {
  const form: Record<string, string> = { intent, year: String(year), periodMonths: String(period) };
  for (const [k, v] of Object.entries(values)) form[k] = v;
  return form;
}

describe("guards", () => {
  it("sends anonymous callers to sign in and refuses other roles", async () => {
    const facility = await createTestUser({ roles: ["facility"] });
    const juror = await createTestUser({ roles: ["juror"] });
    const organizer = await officers.north();
    const cases: [unknown, string, Record<string, string>][] = [
      [overview.loader, "/organizer/programme", {}],
      [provincePage.loader, entryPath("ninh-binh"), { province: "ninh-binh" }],
      [template.loader, "/organizer/programme/mau.xlsx?year=2016&period=9", {}],
      [adminIndicators.loader, "/admin/indicators", {}],
    ];
    for (const [loader, path, params] of cases) {
      const anon = await call(loader as never, requestAs(null, path), params);
      expect(anon.status).toBe(302);
      expect(anon.headers.get("Location")).toContain("/login");
      expect((await call(loader as never, requestAs(facility, path), params)).status).toBe(403);
      expect((await call(loader as never, requestAs(juror, path), params)).status).toBe(403);
    }
    expect((await call(adminIndicators.loader, requestAs(organizer, "/admin/indicators"))).status).toBe(403);
    const post = await call(provincePage.action, requestAs(null, entryPath("ninh-binh"), { form: entryForm({}) }), { province: "ninh-binh" });
    expect(post.status).toBe(302);
    const postFacility = await call(overview.action, requestAs(facility, "/organizer/programme", { form: { intent: "approve" } }));
    expect(postFacility.status).toBe(403);
    const postIndicator = await call(adminIndicators.action, requestAs(organizer, "/admin/indicators", { form: { intent: "create" } }));
    expect(postIndicator.status).toBe(403);
  });
});

describe("entering figures", () => {
  it("saves a provincial officer's figures in both decimal conventions, for their province only", async () => {
    const officer = await officers.ninhBinh();
    const page = await call(provincePage.loader, requestAs(officer, entryPath("ninh-binh")), { province: "ninh-binh" });
    expect(page.status).toBe(200);
    const res = await call(
      provincePage.action,
      requestAs(officer, entryPath("ninh-binh"), {
        form: entryForm({
          "plan.DAO_TAO_NGHE": "4.875",
          "actual.DAO_TAO_NGHE": "4875",
          "plan.DOANH_THU_TU_VAN": "12.163,85",
          "actual.DOANH_THU_TU_VAN": "7456.43",
        }),
      }),
      { province: "ninh-binh" },
    );
    expect(await toastOf(res)).toMatchObject({ message: "Đã lưu và gửi duyệt.", location: "/organizer/programme/ninh-binh?year=2017&period=6" });
    const rows = await figures("ninh-binh", 2017, 6);
    const byCode = Object.fromEntries(rows.map((r) => [r.indicatorCode, r]));
    expect(Number(byCode.DAO_TAO_NGHE.plan)).toBe(4875);
    expect(Number(byCode.DAO_TAO_NGHE.actual)).toBe(4875);
    expect(Number(byCode.DOANH_THU_TU_VAN.plan)).toBe(12163.85);
    expect(Number(byCode.DOANH_THU_TU_VAN.actual)).toBe(7456.43);
    expect(rows.every((r) => r.status === "submitted")).toBe(true);
  });

  it("answers 404 for a province outside the officer's scope, and writes nothing", async () => {
    const officer = await officers.ninhBinh();
    const loader = await call(provincePage.loader, requestAs(officer, entryPath("thanh-hoa")), { province: "thanh-hoa" });
    expect(loader.status).toBe(404);
    const res = await call(
      provincePage.action,
      requestAs(officer, entryPath("thanh-hoa"), { form: entryForm({ "actual.DAO_TAO_NGHE": "100" }) }),
      { province: "thanh-hoa" },
    );
    expect(res.status).toBe(404);
    expect(await figures("thanh-hoa", 2017, 6)).toHaveLength(0);
    // an unknown province is not found either
    expect((await call(provincePage.loader, requestAs(officer, entryPath("khong-co")), { province: "khong-co" })).status).toBe(404);
    // the southern organiser does not reach a northern province
    const south = await officers.south();
    expect((await call(provincePage.loader, requestAs(south, entryPath("ninh-binh")), { province: "ninh-binh" })).status).toBe(404);
  });

  it("refuses negative and non-numeric figures with a message per field, saving nothing", async () => {
    const officer = await officers.ninhBinh();
    const res = await call(
      provincePage.action,
      requestAs(officer, entryPath("ninh-binh", 2018), {
        form: entryForm({ "plan.HOI_CHO": "-3", "actual.HOI_CHO": "mười", "plan.MO_HINH_TD": "5", "actual.MO_HINH_TD": "4" }, "save-submit", 2018),
      }),
      { province: "ninh-binh" },
    );
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.fields["plan.HOI_CHO"]).toContain("không được âm");
    expect(body.fields["actual.HOI_CHO"]).toContain("không phải là số");
    expect(await figures("ninh-binh", 2018, 6)).toHaveLength(0);
  });
});

describe("approval, corrections and the public report", () => {
  it("publishes only approved figures; a plan of 0 shows no percentage; corrections are audited and re-approved", async () => {
    const officer = await officers.ninhBinh();
    const north = await officers.north();
    const path = entryPath("ninh-binh", 2019, 12);
    const save = (values: Record<string, string>) =>
      call(provincePage.action, requestAs(officer, path, { form: entryForm(values, "save-submit", 2019, 12) }), { province: "ninh-binh" });
    expect((await save({ "plan.MO_HINH_TD": "4", "actual.MO_HINH_TD": "3", "plan.HOI_CHO": "0", "actual.HOI_CHO": "2" })).status).toBe(302);

    const apiGet = async () => jsonOf(await call(api.loader, requestAs(null, "/api/v1/programme/2019/bac?period=year"), { year: "2019", region: "bac" }));
    expect((await apiGet()).indicators).toEqual([]); // submitted, not approved yet

    // the provincial officer cannot approve
    const own = await call(
      overview.action,
      requestAs(officer, "/organizer/programme", { form: { intent: "approve", provinceCode: "ninh-binh", year: "2019", periodMonths: "12" } }),
    );
    expect(own.status).toBe(403);
    // the southern organiser does not reach Ninh Bình
    const south = await officers.south();
    const far = await call(
      overview.action,
      requestAs(south, "/organizer/programme", { form: { intent: "approve", provinceCode: "ninh-binh", year: "2019", periodMonths: "12" } }),
    );
    expect(far.status).toBe(404);

    const ok = await call(
      overview.action,
      requestAs(north, "/organizer/programme", { form: { intent: "approve", provinceCode: "ninh-binh", year: "2019", periodMonths: "12" } }),
    );
    expect(ok.status).toBe(302);
    const published = await apiGet();
    expect(published).toMatchObject({ year: 2019, region: "bac", period: "12m" });
    const models = published.indicators.find((i: { code: string }) => i.code === "MO_HINH_TD");
    expect(models).toMatchObject({ plan: 4, actual: 3, percentOfPlan: 75 });
    const fairs = published.indicators.find((i: { code: string }) => i.code === "HOI_CHO");
    expect(fairs).toMatchObject({ plan: 0, actual: 2, percentOfPlan: null });
    expect(fairs.byProvince.find((p: { province: string }) => p.province === "Ninh Bình")).toEqual({
      province: "Ninh Bình",
      plan: 0,
      actual: 2,
      percentOfPlan: null,
    });

    // the page prints "—" for the plan of 0
    const page = await jsonOf(await call(reportPage.loader, requestAs(null, "/programme/2019/bac?period=12m"), { year: "2019", region: "bac" }));
    expect(page.report.indicators.find((i: { code: string }) => i.code === "HOI_CHO").percentOfPlan).toBeNull();

    // a correction after approval is audited and goes back for approval
    expect((await save({ "plan.MO_HINH_TD": "4", "actual.MO_HINH_TD": "4", "plan.HOI_CHO": "0", "actual.HOI_CHO": "2" })).status).toBe(302);
    const [row] = (await figures("ninh-binh", 2019, 12)).filter((r) => r.indicatorCode === "MO_HINH_TD");
    expect(row.status).toBe("submitted");
    expect(row.approvedBy).toBeNull();
    const events = await db().select().from(auditEvents).where(eq(auditEvents.action, "programme.figure.correct"));
    expect(events).toHaveLength(1); // HOI_CHO did not change: no correction
    expect(events[0]).toMatchObject({ actorId: officer.id, entityId: String(row.id) });
    expect(events[0].before).toMatchObject({ plan: 4, actual: 3, status: "approved" });
    expect(events[0].after).toMatchObject({ plan: 4, actual: 4, status: "submitted" });
    const [unchanged] = (await figures("ninh-binh", 2019, 12)).filter((r) => r.indicatorCode === "HOI_CHO");
    expect(unchanged.status).toBe("approved");
    const afterCorrection = await apiGet();
    expect(afterCorrection.indicators.find((i: { code: string }) => i.code === "MO_HINH_TD")).toBeUndefined();

    await call(
      overview.action,
      requestAs(north, "/organizer/programme", { form: { intent: "approve", provinceCode: "ninh-binh", year: "2019", periodMonths: "12" } }),
    );
    expect((await apiGet()).indicators.find((i: { code: string }) => i.code === "MO_HINH_TD")).toMatchObject({ actual: 4, percentOfPlan: 100 });
    const approvals = await db().select().from(auditEvents).where(eq(auditEvents.action, "programme.approve"));
    expect(approvals).toHaveLength(2);
  });

  it("keeps drafts out of the approval until they are sent, and approves once", async () => {
    const officer = await officers.ninhBinh();
    const north = await officers.north();
    const path = entryPath("ninh-binh", 2021, 3);
    const draft = await call(
      provincePage.action,
      requestAs(officer, path, { form: entryForm({ "plan.CUM_CN": "2", "actual.CUM_CN": "1" }, "save", 2021, 3) }),
      { province: "ninh-binh" },
    );
    expect(draft.status).toBe(302);
    expect((await figures("ninh-binh", 2021, 3))[0].status).toBe("draft");
    const approve = () =>
      call(
        overview.action,
        requestAs(north, "/organizer/programme", { form: { intent: "approve", provinceCode: "ninh-binh", year: "2021", periodMonths: "3" } }),
      );
    const early = await approve();
    expect(early.status).toBe(400); // a draft is not waiting for approval
    expect((await figures("ninh-binh", 2021, 3))[0].status).toBe("draft");
    const sent = await call(provincePage.action, requestAs(officer, path, { form: entryForm({}, "submit", 2021, 3) }), { province: "ninh-binh" });
    expect(sent.status).toBe(302);
    expect((await figures("ninh-binh", 2021, 3))[0].status).toBe("submitted");
    const [first, second] = await Promise.all([approve(), approve()]);
    expect([first.status, second.status].sort()).toEqual([302, 400]);
    expect((await figures("ninh-binh", 2021, 3))[0]).toMatchObject({ status: "approved", approvedBy: north.id });
    const overviewData = await jsonOf(await call(overview.loader, requestAs(north, "/organizer/programme?year=2021&period=3")));
    expect(overviewData.provinces).toHaveLength(28);
    expect(overviewData.provinces.find((p: { code: string }) => p.code === "ninh-binh")).toMatchObject({ approved: 1, canApprove: true });
  });

  it("answers 304 to a client that has the current report, and never after an approval changed it", async () => {
    const officer = await officers.ninhBinh();
    const north = await officers.north();
    const path = "/api/v1/programme/2022/bac?period=9m";
    const get = (etag?: string) =>
      call(api.loader, requestAs(null, path, { headers: etag ? { "If-None-Match": etag } : {} }), { year: "2022", region: "bac" });
    const first = await get();
    const etag = first.headers.get("ETag")!;
    expect(etag).toBeTruthy();
    expect(first.headers.get("Cache-Control")).toContain("public");
    expect((await get(etag)).status).toBe(304);
    await call(provincePage.action, requestAs(officer, entryPath("ninh-binh", 2022, 9), { form: entryForm({ "plan.SXSH": "3", "actual.SXSH": "3" }, "save-submit", 2022, 9) }), {
      province: "ninh-binh",
    });
    const afterEntry = await get(etag);
    expect(afterEntry.status).toBe(200);
    const etag2 = afterEntry.headers.get("ETag")!;
    expect((await jsonOf(afterEntry)).indicators).toEqual([]);
    await call(
      overview.action,
      requestAs(north, "/organizer/programme", { form: { intent: "approve", provinceCode: "ninh-binh", year: "2022", periodMonths: "9" } }),
    );
    const afterApproval = await get(etag2);
    expect(afterApproval.status).toBe(200);
    expect((await jsonOf(afterApproval)).indicators[0]).toMatchObject({ code: "SXSH", plan: 3, actual: 3, percentOfPlan: 100 });
  });

  it("approves every waiting province of the region at once, and only those", async () => {
    const north = await officers.north();
    const south = await officers.south();
    const save = (user: { cookie: string }, province: string) =>
      call(provincePage.action, requestAs(user, entryPath(province, 2023, 6), { form: entryForm({ "plan.DE_AN": "2", "actual.DE_AN": "1" }, "save-submit", 2023, 6) }), {
        province,
      });
    for (const p of ["ha-noi", "ninh-binh", "thanh-hoa"]) expect((await save(north, p)).status).toBe(302);
    expect((await save(south, "can-tho")).status).toBe(302);
    const all = (user: { cookie: string }) =>
      call(overview.action, requestAs(user, "/organizer/programme", { form: { intent: "approve-all", year: "2023", periodMonths: "6" } }));
    const officer = await officers.ninhBinh();
    expect((await all(officer)).status).toBe(400); // a provincial officer approves nothing
    const res = await all(north);
    expect(res.status).toBe(302);
    expect((await toastOf(res)).message).toBe("Đã duyệt 3 số liệu của 3 tỉnh.");
    expect((await figures("can-tho", 2023, 6))[0].status).toBe("submitted");
    expect((await all(north)).status).toBe(400);
  });

  it("refuses an unknown region (404) and a bad period (400) in the API", async () => {
    expect((await call(api.loader, requestAs(null, "/api/v1/programme/2016/dong-bac?period=9m"), { year: "2016", region: "dong-bac" })).status).toBe(404);
    expect((await call(api.loader, requestAs(null, "/api/v1/programme/2016/bac?period=15m"), { year: "2016", region: "bac" })).status).toBe(400);
    expect((await call(api.loader, requestAs(null, "/api/v1/programme/abc/bac"), { year: "abc", region: "bac" })).status).toBe(400);
  });
});

describe("the demo: Northern region, first 9 months of 2016", () => {
  it("returns the conference's published figures, in the API's exact shape, and the same numbers in XLSX", async () => {
    await officers.north("organizer@demo.cnnt.vn");
    await programmeDemo.run(() => {});
    expect(await programmeDemo.done()).toBe(true);

    const res = await call(api.loader, requestAs(null, "/api/v1/programme/2016/bac?period=9m"), { year: "2016", region: "bac" });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(Object.keys(body)).toEqual(["year", "region", "period", "indicators"]);
    expect(body).toMatchObject({ year: 2016, region: "bac", period: "9m" });
    const by = Object.fromEntries(body.indicators.map((i: { code: string }) => [i.code, i]));
    expect(Object.keys(body.indicators[0])).toEqual(["code", "name", "unit", "plan", "actual", "percentOfPlan", "byProvince"]);
    expect(by.DAO_TAO_NGHE).toMatchObject({ plan: 5910, actual: 4875, percentOfPlan: 82.49 });
    expect(by.NANG_CAO_QL.actual).toBe(2940);
    expect(by.MO_HINH_TD.actual).toBe(19);
    expect(by.UNG_DUNG_MMTB.actual).toBe(203);
    expect(by.HOI_CHO.actual).toBe(113);
    expect(by.TU_VAN_DU_AN.actual).toBe(225);
    expect(by.DOANH_THU_TU_VAN).toMatchObject({ actual: 7456.43, percentOfPlan: 61.3 });
    for (const i of body.indicators) {
      expect(i.byProvince).toHaveLength(28);
      expect(Object.keys(i.byProvince[0])).toEqual(["province", "plan", "actual", "percentOfPlan"]);
      const sum = i.byProvince.reduce((s: number, p: { actual: number }) => s + p.actual, 0);
      expect(Math.round(sum * 100)).toBe(Math.round(i.actual * 100));
      if (i.code !== "DOANH_THU_TU_VAN") expect(i.byProvince.every((p: { actual: number }) => Number.isInteger(p.actual))).toBe(true);
    }

    const xlsx = await call(reportXlsx.loader, requestAs(null, "/programme/2016/bac/bao-cao.xlsx?period=9m"), { year: "2016", region: "bac" });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("Content-Type")).toContain("spreadsheetml");
    const workbook = await readWorkbook(await xlsx.arrayBuffer());
    const summary = workbook.getWorksheet("Tong hop")!;
    const rows = new Map<string, (string | number)[]>();
    summary.eachRow((row) => {
      const values = (row.values as (string | number)[]).slice(1);
      rows.set(String(values[0]), values);
    });
    expect(rows.get("DAO_TAO_NGHE")!.slice(3)).toEqual([5910, 4875, 0.8249]);
    expect(rows.get("DOANH_THU_TU_VAN")!.slice(3)).toEqual([12163.85, 7456.43, 0.613]);
    expect(workbook.getWorksheet("Theo tinh")!.rowCount).toBe(1 + 7 * 28);

    // the public index lists the report, and the national roll-up carries the northern totals
    const index = await jsonOf(await call(publicIndex.loader, requestAs(null, "/programme")));
    expect(index.reports).toContainEqual(expect.objectContaining({ year: 2016, periodMonths: 9, slug: "bac" }));
    const national = await getNationalReport({ year: 2016, periodMonths: 9 });
    const nationalTraining = national.indicators.find((i) => i.code === "DAO_TAO_NGHE");
    expect(nationalTraining?.byPlace.map((p) => p.code)).toEqual(["BAC", "TRUNG_TN", "NAM"]);
    expect(nationalTraining).toMatchObject({ plan: 5910, actual: 4875, percentOfPlan: 82.49 });
  });
});

describe("the indicator catalogue", () => {
  it("lets the admin add and change indicators, audited, and refuses a duplicate code", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const list = await jsonOf(await call(adminIndicators.loader, requestAs(admin, "/admin/indicators")));
    expect(list.indicators.map((i: { code: string }) => i.code)).toContain("DAO_TAO_NGHE");
    const add = (form: Record<string, string>) => call(adminIndicators.action, requestAs(admin, "/admin/indicators", { form }));
    const created = await add({ intent: "create", code: "ty_le_viec_lam", name: "Tỷ lệ lao động có việc làm sau đào tạo", unit: "%", aggregation: "avg", position: "20", active: "on" });
    expect((await toastOf(created)).message).toBe("Đã thêm chỉ tiêu.");
    const dup = await add({ intent: "create", code: "TY_LE_VIEC_LAM", name: "Trùng", unit: "%", aggregation: "avg", position: "21", active: "on" });
    expect(dup.status).toBe(400);
    expect((await jsonOf(dup)).fields.code).toContain("đã có");
    const bad = await add({ intent: "create", code: "X", name: "", unit: "", aggregation: "median", position: "0" });
    expect(bad.status).toBe(400);
    expect(Object.keys((await jsonOf(bad)).fields)).toEqual(expect.arrayContaining(["code", "name", "unit", "aggregation", "position"]));
    const updated = await add({ intent: "update", code: "TY_LE_VIEC_LAM", name: "Tỷ lệ có việc làm", unit: "%", aggregation: "avg", position: "20" });
    expect(updated.status).toBe(302);
    const after = await jsonOf(await call(adminIndicators.loader, requestAs(admin, "/admin/indicators")));
    expect(after.indicators.find((i: { code: string }) => i.code === "TY_LE_VIEC_LAM")).toMatchObject({ name: "Tỷ lệ có việc làm", active: false });
    const events = await db().select().from(auditEvents).where(eq(auditEvents.entity, "programme_indicator")).orderBy(asc(auditEvents.id));
    expect(events.map((e) => e.action)).toEqual(["indicator.create", "indicator.update"]);

    // an inactive indicator cannot be entered
    const officer = await officers.ninhBinh();
    const page = await jsonOf(await call(provincePage.loader, requestAs(officer, entryPath("ninh-binh")), { province: "ninh-binh" }));
    expect(page.rows.map((r: { code: string }) => r.code)).not.toContain("TY_LE_VIEC_LAM");
  });
});
