/**
 * The printable papers of the demo as Chromium prints them (A4 PDF, pdftotext): the minutes of the
 * 2016 round carry the decision line "Quyết định số 1208/QĐ-CNĐP, ngày 26 tháng 9 năm 2016"; the
 * ministry's decision page names individuals with "Ông/Bà". PDFs and PNGs land in screenshots/.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { SCREENSHOTS, signIn, useBrowser } from "./setup/browser";

const { openPage } = useBrowser();

function printed(bytes: Buffer, name: string): string {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", file, path.join(SCREENSHOTS, name)]);
  return execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf-8").normalize("NFC");
}

describe("printed papers of the demo", () => {
  it("the minutes of the 2016 round print the decision's date line by the state's rule", async () => {
    const page = await openPage();
    await signIn(page, "organizer@demo.cnnt.vn");
    await page.goto("/organizer/rounds/2016-khu-vuc-phia-bac/minutes");
    await page.locator("article.minutes").waitFor();
    const text = printed(await page.pdf({ format: "A4", printBackground: true }), "minutes-2016");
    expect(text).toContain("BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN");
    expect(text).toMatch(/Quyết định số 1208\/QĐ-CNĐP,\s+ngày 26 tháng 9 năm 2016/);
  });

  it("the ministry's decision lists individuals with Ông/Bà; the emblem is on file", async () => {
    const page = await openPage();
    await signIn(page, "ministry@demo.cnnt.vn");
    await page.goto("/ministry");
    expect(await page.getByText("Bộ Công Thương: “bieu-trung-minh-hoa.png”", { exact: false }).count()).toBe(1);
    await page.getByRole("link", { name: "4286/QĐ-BCT" }).click();
    await page.waitForURL(/\/ministry\/decisions\/\d+$/);
    await page.getByRole("heading", { name: /4286\/QĐ-BCT/ }).first().waitFor();
    const text = printed(await page.pdf({ format: "A4", printBackground: true }), "commendation-decision");
    expect(text).toMatch(/Bà Nguyễn Thị Thủy/);
    expect(text).toMatch(/Ông Trần Văn Đức/);
  });
});
