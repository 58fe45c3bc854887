import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { confirmInDialog, screenshot, signIn, useBrowser } from "./setup/browser";

const { openPage } = useBrowser();

const HEADER = "Loại (Tập thể/Cá nhân),Tên tập thể / Họ và tên,Chức vụ,\"Cơ quan, đơn vị\",\"Tỉnh, thành phố\",Thành tích";
const CSV = [
  HEADER,
  "Tập thể,Trung tâm Khuyến công tỉnh Hà Giang,,Sở Công Thương tỉnh Hà Giang,Hà Giang,Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015",
  "Cá nhân,Nguyễn Thị Thủy Ngân,Phó Giám đốc,Trung tâm Khuyến công tỉnh Hà Giang,Hà Giang,Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015",
  "Cá nhân,Đặng Văn Lữ,Chuyên viên,Sở Công Thương tỉnh Cao Bằng,Cao Bằng,Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015",
].join("\r\n");

describe("the ministry officer issues Bằng khen", () => {
  it("imports a recipients file, issues the decision, watches the batch reach 100 %, downloads and verifies a certificate", async () => {
    const page = await openPage({ width: 1280 });
    await signIn(page, "ministry@demo.cnnt.vn");
    await page.goto("/ministry");
    await page.locator('input[name="number"]').fill("5123/QĐ-BCT");
    await page.locator('input[name="signedOn"]').fill("2016-10-07");
    await page.locator('input[name="signerName"]').fill("Trần Tuấn Anh");
    await page.locator('input[name="periodFrom"]').fill("2013");
    await page.locator('input[name="periodTo"]').fill("2015");
    await Promise.all([page.waitForURL(/\/ministry\/decisions\/\d+$/), page.getByRole("button", { name: "Tạo quyết định (bản nháp)" }).click()]);

    // A bad file first: refused with row and column, nothing imported.
    await page.setInputFiles("#file", { name: "sai.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${HEADER}\r\nNhóm,Sở A,,,,x\r\n`) });
    await page.getByRole("button", { name: "Nhập danh sách" }).click();
    await expect.poll(() => page.getByTestId("import-errors").textContent()).toMatch(/Dòng 2, cột A \(Loại \(Tập thể\/Cá nhân\)\)/);
    expect(await page.getByText("Chưa có người nhận.").isVisible()).toBe(true);

    await page.setInputFiles("#file", { name: "danh-sach.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${CSV}\r\n`) });
    await page.getByRole("button", { name: "Nhập danh sách" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toMatch(/Đã nhập 3 người nhận/);
    await expect.poll(() => page.getByRole("cell", { name: /^Nguyễn Thị Thủy Ngân/ }).isVisible()).toBe(true);

    await page.getByRole("button", { name: "Ban hành và phát hành Bằng khen" }).click();
    await Promise.all([page.waitForURL(/\/ministry\/jobs\/\d+$/), confirmInDialog(page, "Ban hành và phát hành Bằng khen", /không sửa được nữa/)]);
    await expect.poll(() => page.getByTestId("job-percent").textContent(), { timeout: 60_000 }).toBe("100%");
    expect(await page.locator("progress").getAttribute("value")).toBe("100");
    await screenshot(page, "commendations-batch-done");

    await page.getByRole("link", { name: "Xem danh sách và từng Bằng khen" }).click();
    await page.waitForURL(/\/ministry\/decisions\/\d+$/);
    await screenshot(page, "commendations-decision-issued");
    const row = page.getByRole("row", { name: /Nguyễn Thị Thủy Ngân/ });
    const href = await row.getByRole("link", { name: /^BK-2016-\d{4}$/ }).getAttribute("href");
    expect(href).toMatch(/^\/certificates\/BK-2016-\d{4}\.pdf$/);
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-e2e-pdf-"));
    const pdf = path.join(dir, "bang-khen.pdf");
    fs.writeFileSync(pdf, await res.body());
    execFileSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-singlefile", pdf, path.join(dir, "trang-1")]);
    expect(fs.statSync(path.join(dir, "trang-1.png")).size).toBeGreaterThan(10_000);
    fs.copyFileSync(path.join(dir, "trang-1.png"), path.resolve("tests/e2e/screenshots/commendations-certificate-page-1.png"));
    const text = execFileSync("pdftotext", ["-f", "1", "-l", "1", pdf, "-"]).toString("utf-8").normalize("NFC");
    expect(text).toContain("Nguyễn Thị Thủy Ngân");
    expect(text).toContain("BẰNG KHEN");
    expect(text).toContain("Quyết định số 5123/QĐ-BCT");

    // The URL in the QR code (printed beside it) leads to the verify page: still valid.
    const url = /Kiểm tra tại (\S+\/verify\/([A-Z0-9]{14}))/.exec(text);
    expect(url).not.toBeNull();
    await page.goto(`/verify/${url![2]}`);
    expect(await page.locator("main").textContent()).toMatch(/còn hiệu lực/);
    expect(await page.locator("main").textContent()).toContain("Nguyễn Thị Thủy Ngân");
  });

  it("shows the batch progress without JavaScript (the page refreshes itself)", async () => {
    const page = await openPage({ width: 360, javaScript: false });
    await signIn(page, "ministry@demo.cnnt.vn");
    // Creating a decision and importing a list work as plain HTML forms too.
    await page.goto("/ministry");
    await page.locator('input[name="number"]').fill("5124/QĐ-BCT");
    await page.locator('input[name="signedOn"]').fill("2016-10-07");
    await page.locator('input[name="signerName"]').fill("Trần Tuấn Anh");
    await page.locator('input[name="periodFrom"]').fill("2013");
    await page.locator('input[name="periodTo"]').fill("2013");
    await Promise.all([page.waitForURL(/\/ministry\/decisions\/\d+$/), page.getByRole("button", { name: "Tạo quyết định (bản nháp)" }).click()]);
    await page.setInputFiles("#file", { name: "danh-sach.csv", mimeType: "text/csv", buffer: Buffer.from(`${CSV}\r\n`) });
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Nhập danh sách" }).click()]);
    expect(await page.getByRole("status").first().textContent()).toMatch(/Đã nhập 3 người nhận/);
    expect(await page.getByRole("cell", { name: /^Đặng Văn Lữ/ }).isVisible()).toBe(true);

    await page.goto("/ministry");
    await page.getByRole("link", { name: "4286/QĐ-BCT" }).click();
    await page.waitForURL(/\/ministry\/decisions\/\d+$/);
    expect(await page.getByRole("cell", { name: /^(?:Ông |Bà )?Trần Văn Đức/ }).isVisible()).toBe(true);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".table-wrap table"))
        .map((e) => `${e.tagName}.${e.className}#${e.id}: ${(e.textContent ?? "").slice(0, 40)}`),
    );
    await screenshot(page, "commendations-decision-360");
    expect(wide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.getByRole("button", { name: "Tạo lại các PDF còn thiếu" }).click();
    await page.waitForURL(/\/ministry\/jobs\/\d+$/);
    // The 25 demo PDFs are rendered lazily, so the batch is usually still running here: the page
    // then carries a meta refresh (inside <noscript>) and reloads itself until 100 %.
    if ((await page.getByTestId("job-percent").textContent()) !== "100%") {
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(1);
    }
    await expect.poll(async () => (await page.getByTestId("job-percent").textContent()) ?? "", { timeout: 90_000, interval: 1000 }).toBe("100%");
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth).catch(() => 0);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "commendations-batch-nojs-360");
  });
});
