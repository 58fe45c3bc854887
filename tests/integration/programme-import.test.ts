import { and, eq } from "drizzle-orm";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";

import * as overview from "../../app/routes/organizer.programme._index";
import * as template from "../../app/routes/organizer.programme.mau[.xlsx]";
import { db } from "../../app/utils/db.server";
import { auditEvents, programmeFigures } from "../../db/schema";
import { call, jsonOf, requestAs, toastOf } from "../factories";
import { officers, readWorkbook, xlsxFile } from "../factories/programme";

const stored = (year: number) =>
  db()
    .select()
    .from(programmeFigures)
    .where(and(eq(programmeFigures.year, year), eq(programmeFigures.periodMonths, 9)));

const importAs = async (user: { cookie: string }, file: File | Blob, year = 2016) =>
  call(overview.action, requestAs(user, "/organizer/programme", { form: { intent: "import", year: String(year), periodMonths: "9", file } }));

describe("the XLSX template", () => {
  it("holds one row per indicator for the officer's own province only", async () => {
    const officer = await officers.ninhBinh();
    const res = await call(template.loader, requestAs(officer, "/organizer/programme/mau.xlsx?year=2016&period=9"));
    expect(res.status).toBe(200);
    const workbook = await readWorkbook(await res.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const provinces = new Set<string>();
    sheet.eachRow((row, n) => {
      if (n > 1) provinces.add(String(row.getCell(4).value));
    });
    expect([...provinces]).toEqual(["ninh-binh"]);
    expect(sheet.rowCount).toBeGreaterThanOrEqual(8);
    expect((await call(template.loader, requestAs(officer, "/organizer/programme/mau.xlsx"))).status).toBe(400);
  });
});

describe("importing figures", () => {
  it("imports a whole file in both decimal conventions, as submitted for approval", async () => {
    const officer = await officers.ninhBinh();
    const file = await xlsxFile([
      ["DAO_TAO_NGHE", "ninh-binh", "1.200", 1000],
      ["DOANH_THU_TU_VAN", "Ninh Bình", "700,5", "655.25"],
      ["MO_HINH_TD", "ninh-binh", 0, 1],
      [null, null, null, null],
      ["hoi_cho", "ninh-binh", 6, null],
    ]);
    const res = await importAs(officer, file, 2020);
    const toast = await toastOf(res);
    expect(toast.message).toContain("Đã nhập 4 dòng");
    expect(toast.location).toMatch(/^\/organizer\/programme\?year=2020&period=\d+$/);
    const rows = Object.fromEntries((await stored(2020)).map((r) => [r.indicatorCode, r]));
    expect([Number(rows.DAO_TAO_NGHE.plan), Number(rows.DAO_TAO_NGHE.actual)]).toEqual([1200, 1000]);
    expect([Number(rows.DOANH_THU_TU_VAN.plan), Number(rows.DOANH_THU_TU_VAN.actual)]).toEqual([700.5, 655.25]);
    expect([Number(rows.MO_HINH_TD.plan), Number(rows.MO_HINH_TD.actual)]).toEqual([0, 1]);
    expect([Number(rows.HOI_CHO.plan), rows.HOI_CHO.actual]).toEqual([6, null]);
    expect(Object.values(rows).every((r) => r.status === "submitted")).toBe(true);
    const view = await jsonOf(await call(overview.loader, requestAs(officer, "/organizer/programme?year=2020&period=9")));
    expect(view.provinces).toEqual([expect.objectContaining({ code: "ninh-binh", submitted: 4, approved: 0, draft: 0 })]);

    // An actuals-only file keeps the plans; after approval, a changed figure is an audited correction.
    const north = await officers.north();
    const approve = await call(
      overview.action,
      requestAs(north, "/organizer/programme", { form: { intent: "approve", provinceCode: "ninh-binh", year: "2020", periodMonths: "9" } }),
    );
    expect(approve.status).toBe(302);
    const again = await importAs(officer, await xlsxFile([["DAO_TAO_NGHE", "ninh-binh", null, "1.100"]]), 2020);
    expect(again.status).toBe(302);
    const [training] = (await stored(2020)).filter((r) => r.indicatorCode === "DAO_TAO_NGHE");
    expect([Number(training.plan), Number(training.actual), training.status]).toEqual([1200, 1100, "submitted"]);
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, "programme.figure.correct"));
    expect(event.before).toMatchObject({ plan: 1200, actual: 1000, status: "approved" });
    expect(event.after).toMatchObject({ plan: 1200, actual: 1100, source: "import" });
  });

  it("reports each bad row and imports nothing", async () => {
    const officer = await officers.ninhBinh();
    const file = await xlsxFile([
      ["DAO_TAO_NGHE", "ninh-binh", 100, 90], // good, but the file has errors: not imported
      ["KHONG_CO", "ninh-binh", 1, 1], // unknown indicator
      ["MO_HINH_TD", "tinh-ma", 1, 1], // unknown province
      ["MO_HINH_TD", "thanh-hoa", 1, 1], // outside the officer's scope
      ["HOI_CHO", "ninh-binh", -5, 1], // negative
      ["NANG_CAO_QL", "ninh-binh", "nhiều", 1], // not a number
      ["DAO_TAO_NGHE", "ninh-binh", 1, 1], // duplicate of row 2
    ]);
    const res = await importAs(officer, file);
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.formError).toContain("6 dòng lỗi");
    expect(body.fields["row-2"]).toBeUndefined();
    expect(body.fields["row-3"]).toContain("KHONG_CO");
    expect(body.fields["row-4"]).toContain("tinh-ma");
    expect(body.fields["row-5"]).toContain("ngoài phạm vi");
    expect(body.fields["row-6"]).toContain("không được âm");
    // Each message ends with exactly one full stop ("(đang là -5).", not "(đang là -5)..").
    for (const message of Object.values(body.fields as Record<string, string>)) expect(message).not.toMatch(/\.\.$/);
    expect(body.fields["row-6"]).toMatch(/\(đang là -5\)\.$/);
    expect(body.fields["row-7"]).toContain("không phải là số");
    expect(body.fields["row-8"]).toContain("trùng với dòng 2");
    expect(await stored(2016)).toHaveLength(0);
  });

  it("refuses a file that is not a workbook, or has no header", async () => {
    const officer = await officers.ninhBinh();
    const notXlsx = new File(["Mã chỉ tiêu;Kế hoạch\nDAO_TAO_NGHE;5"], "so-lieu.xlsx", { type: "text/csv" });
    const res = await importAs(officer, notXlsx);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).formError).toContain("không phải là bảng tính Excel");
    const noFile = await call(overview.action, requestAs(officer, "/organizer/programme", { form: { intent: "import", year: "2016", periodMonths: "9" } }));
    expect(noFile.status).toBe(400);
    expect(await stored(2016)).toHaveLength(0);
  });

  it("refuses a zip bomb before unpacking it", async () => {
    const officer = await officers.ninhBinh();
    const zip = new JSZip();
    zip.file("xl/workbook.xml", "<workbook/>");
    zip.file("xl/worksheets/sheet1.xml", "0".repeat(60 * 1024 * 1024));
    const bytes = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    expect(bytes.byteLength).toBeLessThan(1024 * 1024);
    const res = await importAs(officer, new File([new Uint8Array(bytes)], "bom.xlsx"));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).formError).toContain("giải nén ra quá lớn");
  });
});
