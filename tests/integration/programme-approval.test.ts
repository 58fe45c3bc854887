/**
 * The approver of programme figures sees what they approve: the value last approved beside the new
 * one, the percentage of plan, and a warning past 200 % of plan; while figures wait, the public
 * report says so instead of changing its totals without a word. The public API keeps its shape.
 */
import { describe, expect, it } from "vitest";

import { pendingNote, planWarning } from "../../app/models/programme/rules";
import * as api from "../../app/routes/api.v1.programme.$year.$region";
import * as provincePage from "../../app/routes/organizer.programme.$province";
import * as overview from "../../app/routes/organizer.programme._index";
import * as reportPage from "../../app/routes/programme.$year.$region";
import * as publicIndex from "../../app/routes/programme._index";
import { call, jsonOf, requestAs } from "../factories";
import { officers } from "../factories/programme";

const form = (values: Record<string, string>, intent = "save-submit") => ({ intent, year: "2020", periodMonths: "12", ...values });

describe("the warning rule", () => {
  it("warns only past 200 % of plan, naming the percentage", () => {
    expect(planWarning(100, 200)).toBeNull();
    expect(planWarning(0, 50)).toBeNull();
    expect(planWarning(null, 50)).toBeNull();
    expect(planWarning(10, 57.6)).toMatch(/576%.*vượt 200%/);
    expect(pendingNote({ figures: 0, provinces: [] })).toBeNull();
    expect(pendingNote({ figures: 2, provinces: ["Ninh Bình"] })).toMatch(/^2 số liệu của Ninh Bình đang chờ .* duyệt/);
  });
});

describe("approving programme figures", () => {
  it("shows old value, new value, % of plan and the warning; the public report notes what is pending", async () => {
    const officer = await officers.ninhBinh();
    const north = await officers.north();
    const path = "/organizer/programme/ninh-binh?year=2020&period=12";
    const save = (values: Record<string, string>) => call(provincePage.action, requestAs(officer, path, { form: form(values) }), { province: "ninh-binh" });
    const approve = () =>
      call(overview.action, requestAs(north, "/organizer/programme", { form: { intent: "approve", provinceCode: "ninh-binh", year: "2020", periodMonths: "12" } }));
    const review = async () => (await jsonOf(await call(provincePage.loader, requestAs(north, path), { province: "ninh-binh" }))).rows;
    const publicReport = async () => (await jsonOf(await call(reportPage.loader, requestAs(null, "/programme/2020/bac?period=12m"), { year: "2020", region: "bac" }))).report;

    expect((await save({ "plan.MO_HINH_TD": "10", "actual.MO_HINH_TD": "9" })).status).toBe(302);
    let rows = await review();
    expect(rows.find((r: { code: string }) => r.code === "MO_HINH_TD")).toMatchObject({ status: "submitted", plan: 10, actual: 9, approved: null });
    expect((await publicReport()).pending).toEqual({ figures: 1, provinces: ["Ninh Bình"] });
    expect((await approve()).status).toBe(302);
    expect((await publicReport()).pending).toEqual({ figures: 0, provinces: [] });

    // A correction to 57,6 — 576 % of plan — waits for approval with the approved 9 beside it.
    expect((await save({ "plan.MO_HINH_TD": "10", "actual.MO_HINH_TD": "57,6" })).status).toBe(302);
    rows = await review();
    const corrected = rows.find((r: { code: string }) => r.code === "MO_HINH_TD");
    expect(corrected).toMatchObject({ status: "submitted", plan: 10, actual: 57.6, approved: { plan: 10, actual: 9 } });
    expect(planWarning(corrected.plan, corrected.actual)).toMatch(/576%/);
    const list = (await jsonOf(await call(overview.loader, requestAs(north, "/organizer/programme?year=2020&period=12")))).provinces;
    expect(list.find((p: { code: string }) => p.code === "ninh-binh")).toMatchObject({ submitted: 1, warnings: 1 });

    // The public side: the page notes the pending figure; the national roll-up too; the API keeps its exact shape.
    const report = await publicReport();
    expect(pendingNote(report.pending)).toMatch(/1 số liệu của Ninh Bình/);
    const index = await jsonOf(await call(publicIndex.loader, requestAs(null, "/programme")));
    if (index.national?.year === 2020) expect(index.national.pending.figures).toBe(1);
    const body = await jsonOf(await call(api.loader, requestAs(null, "/api/v1/programme/2020/bac?period=12m"), { year: "2020", region: "bac" }));
    expect(Object.keys(body)).toEqual(["year", "region", "period", "indicators"]);

    // A second correction: the approver still compares with the value last approved (9), not the pending one.
    expect((await save({ "plan.MO_HINH_TD": "10", "actual.MO_HINH_TD": "5,76" })).status).toBe(302);
    expect((await review()).find((r: { code: string }) => r.code === "MO_HINH_TD")).toMatchObject({ actual: 5.76, approved: { plan: 10, actual: 9 } });
    expect((await approve()).status).toBe(302);
    expect((await review()).find((r: { code: string }) => r.code === "MO_HINH_TD")).toMatchObject({ status: "approved", approved: null });
  });
});
