import fs from "node:fs";
import { createRequire } from "node:module";

import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { baseUrl, screenshot, signIn, useBrowser } from "./setup/browser";

const { openPage } = useBrowser();
const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page (evaluated: the CSP refuses injected scripts). */
async function seriousViolations(page: Page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ["violations"] });
  });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

async function actualsFile(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("So lieu");
  sheet.addRow(["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "Mã tỉnh", "Tỉnh/thành phố", "Kế hoạch", "Thực hiện"]);
  sheet.addRow(["DAO_TAO_NGHE", "Đào tạo nghề", "lao động", "ninh-binh", "Ninh Bình", "1.500", "1.234"]);
  sheet.addRow(["DOANH_THU_TU_VAN", "Doanh thu", "triệu đồng", "ninh-binh", "Ninh Bình", 800, "612,5"]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe("the khuyến công conference report", () => {
  it("shows the Northern region's 9 months of 2016 with the chart, on a phone and a desktop, and prints on A4", async () => {
    for (const width of [360, 1280]) {
      const page = await openPage({ width });
      const res = await page.goto("/programme/2016/bac?period=9m");
      expect(res?.status()).toBe(200);
      const training = page.locator('tr[data-indicator="DAO_TAO_NGHE"]');
      await expect(training.textContent()).resolves.toMatch(/5\.910.*4\.875.*82,49%/);
      const revenue = page.locator('tr[data-indicator="DOANH_THU_TU_VAN"]');
      await expect(revenue.textContent()).resolves.toMatch(/7\.456,43.*61,3%/);
      expect(await page.locator("svg.programme-chart").count()).toBe(7);
      expect(await page.locator("svg.programme-chart rect").count()).toBeGreaterThan(100);
      // The furthest-behind provinces are highlighted.
      expect(await page.locator("#DAO_TAO_NGHE tr.behind").count()).toBe(3);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `programme-report-${width}`);
      if (width === 1280) {
        await page.emulateMedia({ media: "print" });
        expect(await page.locator(".site-nav").isVisible()).toBe(false);
        await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
        await screenshot(page, "programme-report-print-a4");
        const pdf = await page.pdf({ format: "A4", printBackground: true });
        expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      }
    }
    const xlsx = await fetch(`${baseUrl()}/programme/2016/bac/bao-cao.xlsx?period=9m`);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    let training: unknown[] = [];
    workbook.getWorksheet("Tong hop")!.eachRow((row) => {
      if (row.getCell(1).value === "DAO_TAO_NGHE") training = (row.values as unknown[]).slice(4);
    });
    expect(training).toEqual([5910, 4875, 0.8249]);
  });

  it("a provincial officer imports actuals from XLSX, the regional organiser approves, the public report changes", async () => {
    const publicView = async () => {
      const page = await openPage({ width: 360 });
      await page.goto("/programme/2017/bac?period=6m");
      return page;
    };
    const before = await publicView();
    expect(await before.getByRole("status").textContent()).toContain("Chưa có số liệu nào được duyệt");

    const officer = await openPage({ width: 360 });
    await signIn(officer, "ninhbinh@demo.cnnt.vn");
    await officer.goto("/organizer/programme?year=2017&period=6", { waitUntil: "networkidle" });
    expect(await officer.getByRole("heading", { level: 1 }).textContent()).toBe("Số liệu chương trình khuyến công");
    // The provincial officer sees their own province only.
    expect(await officer.locator("tbody tr").count()).toBe(1);
    await officer.getByLabel(/Tệp số liệu/).setInputFiles({
      name: "ninh-binh-6-thang-2017.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: await actualsFile(),
    });
    await officer.getByRole("button", { name: "Nhập và gửi duyệt" }).click();
    await officer.getByText(/Đã nhập 2 dòng/).waitFor();
    await officer.locator("tbody tr").first().getByText("2 chờ duyệt").waitFor();
    expect(await seriousViolations(officer)).toEqual([]);
    await screenshot(officer, "programme-officer-imported-360");
    // The entry form shows the imported figures in Vietnamese format, ready for a correction.
    await officer.getByRole("link", { name: "Ninh Bình" }).click();
    await officer.getByRole("heading", { name: "Số liệu khuyến công — Ninh Bình" }).waitFor();
    expect(await officer.getByLabel("Kế hoạch: Đào tạo nghề, truyền nghề, nâng cao tay nghề").inputValue()).toBe("1.500");
    expect(await officer.getByLabel("Thực hiện: Doanh thu từ các dự án được tư vấn").inputValue()).toBe("612,5");
    expect(await seriousViolations(officer)).toEqual([]);
    await screenshot(officer, "programme-officer-entry-360");

    const stillHidden = await publicView();
    expect(await stillHidden.getByRole("status").textContent()).toContain("Chưa có số liệu nào được duyệt");

    // The regional organiser approves, without JavaScript.
    const organiser = await openPage({ width: 1280, javaScript: false });
    await signIn(organiser, "organizer@demo.cnnt.vn");
    await organiser.goto("/organizer/programme?year=2017&period=6");
    await organiser.getByRole("button", { name: "Duyệt số liệu Ninh Bình" }).click();
    await organiser.getByText("Đã duyệt 2 số liệu.").waitFor();

    const after = await publicView();
    const row = after.locator('tr[data-indicator="DAO_TAO_NGHE"]');
    await expect(row.textContent()).resolves.toMatch(/1\.500.*1\.234.*82,27%/);
    await expect(after.locator('tr[data-indicator="DOANH_THU_TU_VAN"]').textContent()).resolves.toMatch(/800.*612,5.*76,56%/);
    await screenshot(after, "programme-report-after-approval-360");
  });

  it("the admin manages the indicator catalogue, and the public index lists the reports", async () => {
    const admin = await openPage({ width: 360 });
    await signIn(admin, "admin@demo.cnnt.vn");
    await admin.goto("/admin/indicators");
    expect(await admin.getByRole("heading", { level: 1 }).textContent()).toBe("Danh mục chỉ tiêu khuyến công");
    expect(await admin.locator("details").count()).toBeGreaterThanOrEqual(7);
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(admin)).toEqual([]);
    await screenshot(admin, "programme-admin-indicators-360");

    const visitor = await openPage({ width: 360 });
    await visitor.goto("/programme");
    await visitor.getByRole("link", { name: /Khu vực phía Bắc — 9 tháng đầu năm 2016/ }).click();
    await visitor.getByRole("heading", { level: 1, name: /Khu vực phía Bắc/ }).waitFor();
    expect(new URL(visitor.url()).pathname).toBe("/programme/2016/bac");
  });
});
