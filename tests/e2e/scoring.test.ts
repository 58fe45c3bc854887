/**
 * The scoring journey in Chromium on the demo server: the organiser opens scoring of the demo
 * provincial round (2026-tinh-ninh-binh), jurors score their assigned entries (one of them without
 * JavaScript) and submit, the juror in declared conflict gets 404 on the entry, the organiser
 * finalises, records the decision and publishes, and the entries appear with certificate codes.
 * Also: the 2016 Northern round lists exactly 73 winners, each ≥ 70 with a certificate.
 */
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { baseUrl, confirmInDialog, openMail, screenshot, signIn, useBrowser, waitForHydration } from "./setup/browser";

const { openPage } = useBrowser();
const SLUG = "2026-tinh-ninh-binh";
const ROUND_TITLE = "tỉnh Ninh Bình năm 2026";

async function scoreAll(page: Page, points: (max: number, i: number) => number, javaScript = true) {
  await page.goto("/jury");
  const section = page.locator("section", { has: page.getByRole("heading", { name: new RegExp(ROUND_TITLE) }) });
  const hrefs = await section.locator("a[href^='/jury/entries/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) {
    await page.goto(href);
    const inputs = page.locator("input[data-max]");
    const n = await inputs.count();
    expect(n).toBeGreaterThan(10);
    for (let i = 0; i < n; i++) {
      const max = Number(await inputs.nth(i).getAttribute("data-max"));
      await inputs.nth(i).fill(String(points(max, i)).replace(".", ","));
    }
    await page.getByLabel("Nhận xét").fill("Sản phẩm đẹp, có thị trường.");
    await page.getByRole("button", { name: "Nộp phiếu (khóa)" }).click();
    if (javaScript) {
      await confirmInDialog(page, "Nộp phiếu", /Sau khi nộp, phiếu sẽ bị khóa và không sửa được/);
    } else {
      // Without JavaScript the server answers a confirmation step carrying the typed points.
      await page.getByRole("heading", { name: "Nộp phiếu chấm?" }).waitFor();
      expect(await page.getByText("Sau khi nộp, phiếu sẽ bị khóa và không sửa được", { exact: false }).isVisible()).toBe(true);
      await page.getByRole("button", { name: "Nộp phiếu", exact: true }).click();
    }
    await page.getByText("Đã nộp phiếu chấm").waitFor();
  }
  return hrefs;
}

/** Opens the newest invitation mail to `email` in the local mailbox and accepts it (signed in as its owner). */
async function acceptInvitationFromMail(page: Page, email: string) {
  await openMail(page, email, "Lời mời");
  const invite = await page.locator(".mail-body a[href*='/invitations/']").getAttribute("href");
  await page.goto(invite!);
  await Promise.all([page.waitForURL("**/jury?nhan-loi=ok"), page.getByRole("button", { name: "Nhận lời" }).click()]);
}

describe("scoring a round, end to end", () => {
  // Runs first: the round is still in screening, and everything changed here is put back.
  it("organiser, by clicking: dashboard → round → council (add a juror, assign, conflict rule) → minutes, printed", async () => {
    const org = await openPage();
    await signIn(org, "organizer@demo.cnnt.vn");
    await waitForHydration(org);
    await org.getByRole("link", { name: new RegExp(ROUND_TITLE) }).first().click();
    await org.waitForURL((u) => u.pathname === `/organizer/rounds/${SLUG}`);
    await org.getByRole("heading", { level: 1, name: new RegExp(ROUND_TITLE) }).waitFor();
    await org.getByRole("link", { name: "Hội đồng và phân công" }).click();
    await org.waitForURL((u) => u.pathname === `/organizer/rounds/${SLUG}/council`);
    await org.getByRole("heading", { name: /Ban giám khảo \(\d+ thành viên\)/ }).waitFor();

    const councilRows = org.locator("section[aria-labelledby=council] tbody tr");
    const before = await councilRows.locator("td:first-child").allInnerTexts();
    // Members join only by invitation: juror 5 is invited by e-mail and accepts from the mail's link.
    await org.fill("#invite-email", "juror5@demo.cnnt.vn");
    await org.selectOption("#invite-role", "member");
    await org.getByRole("button", { name: "Gửi lời mời" }).click();
    await org.getByText("Đã gửi lời mời qua email").first().waitFor();
    const j5 = await openPage();
    await signIn(j5, "juror5@demo.cnnt.vn");
    await acceptInvitationFromMail(j5, "juror5@demo.cnnt.vn");
    await org.reload();
    await expect.poll(() => councilRows.count()).toBe(before.length + 1);
    const added = (await councilRows.locator("td:first-child").allInnerTexts()).find((t) => !before.includes(t))!;
    const name = added.split("\n")[0].trim();
    expect(await councilRows.filter({ hasText: name }).locator("td").nth(1).textContent()).toBe("Ủy viên");

    // Assign the new juror to the first entry, then take the assignment back.
    const firstEntry = org.locator("section[aria-labelledby=assign] tbody tr").first();
    await firstEntry.locator("select").selectOption({ label: name });
    await firstEntry.getByRole("button", { name: "Thêm" }).click();
    await org.getByText("Đã phân công giám khảo.").waitFor();
    await expect.poll(() => firstEntry.getByText(name).count()).toBeGreaterThan(0);
    await firstEntry.getByRole("button", { name: `Bỏ phân công ${name}` }).click();
    await org.getByText("Đã bỏ phân công.").waitFor();

    // The same-province conflict rule: applied (no juror here names a province, so nothing is dropped), then lifted.
    await org.getByRole("button", { name: "Áp dụng", exact: true }).click();
    await org.getByText("Đã cập nhật quy tắc xung đột cùng tỉnh (bỏ 0 lượt phân công bị xung đột).").waitFor();
    await org.getByText("đang áp dụng").waitFor();
    await org.getByRole("button", { name: "Bỏ áp dụng" }).click();
    await org.getByText("không áp dụng").waitFor();

    await councilRows.filter({ hasText: name }).getByRole("button", { name: "Rút khỏi hội đồng" }).click();
    await confirmInDialog(org, "Rút khỏi hội đồng", /mọi lượt phân công chấm của họ/);
    await org.getByText("Đã rút thành viên khỏi hội đồng.").waitFor();
    await expect.poll(() => councilRows.count()).toBe(before.length);

    // The minutes, by their tab, and the print button (window.print is recorded, not run).
    await org.getByRole("link", { name: "Biên bản" }).click();
    await org.waitForURL((u) => u.pathname === `/organizer/rounds/${SLUG}/minutes`);
    await org.getByRole("heading", { name: "BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN" }).waitFor();
    expect(await org.locator("article.minutes").textContent()).toMatch(/Chủ tịch/);
    await org.evaluate(() => {
      window.print = () => {
        document.documentElement.dataset.printed = "true";
      };
    });
    await org.getByRole("button", { name: "In biên bản" }).click();
    expect(await org.evaluate(() => document.documentElement.dataset.printed)).toBe("true");
    await screenshot(org, "organizer-minutes-1280");
  });

  it("organiser opens scoring; jurors score; the conflicted juror gets 404; finalise and publish; certificates appear", async () => {
    // 1. The organiser opens scoring.
    const org = await openPage();
    await signIn(org, "organizer@demo.cnnt.vn");
    await org.goto(`/organizer/rounds/${SLUG}`);
    await org.getByRole("button", { name: /Chuyển sang “Đang chấm điểm”/ }).click();
    await confirmInDialog(org, "Chuyển sang “Đang chấm điểm”", /không quay lại giai đoạn trước được/);
    await org.getByText("Đã chuyển đợt sang “Đang chấm điểm”").waitFor();

    // 2. Juror 1 scores on a tablet with JavaScript (the live total follows the inputs).
    const j1 = await openPage({ width: 800 });
    await signIn(j1, "juror1@demo.cnnt.vn");
    await j1.goto("/jury");
    const firstHref = await j1
      .locator("section", { has: j1.getByRole("heading", { name: new RegExp(ROUND_TITLE) }) })
      .locator("a[href^='/jury/entries/']")
      .first()
      .getAttribute("href");
    await j1.goto(firstHref!);
    // The dossier as submitted is beside the sheet, photos included (served to the assigned juror).
    const photo = await j1.locator("img[alt^='Ảnh sản phẩm']").first().getAttribute("src");
    expect((await j1.request.get(photo!)).status()).toBe(200);
    // So are the documents, while judging (after publication they are listed without a link).
    const docHref = await j1.getByTestId("evidence-documents").getByRole("link").first().getAttribute("href");
    const docRes = await j1.request.get(docHref!);
    expect(docRes.status()).toBe(200);
    expect(docRes.headers()["content-type"]).toBe("application/pdf");
    await j1.locator("input[data-max]").first().fill("7,5");
    expect(await j1.locator("output#total").textContent()).toBe("7,5");
    // "Hủy" in the dialog posts nothing: the sheet is still open.
    let posts = 0;
    j1.on("request", (r) => void (r.method() === "POST" && posts++));
    await j1.getByRole("button", { name: "Nộp phiếu (khóa)" }).click();
    await j1.getByRole("dialog").getByRole("button", { name: "Hủy" }).click();
    await j1.getByRole("dialog").waitFor({ state: "hidden" });
    expect(posts).toBe(0);
    expect(await j1.getByRole("button", { name: "Lưu nháp" }).isVisible()).toBe(true);
    await screenshot(j1, "jury-sheet-800");
    const hrefs = await scoreAll(j1, (max) => max);

    // 3. Juror 2 scores without JavaScript; juror 3 with it.
    const j2 = await openPage({ width: 1024, javaScript: false });
    await signIn(j2, "juror2@demo.cnnt.vn");
    await scoreAll(j2, (max, i) => (i % 3 ? max : max - 0.5), false);
    const j3 = await openPage();
    await signIn(j3, "juror3@demo.cnnt.vn");
    await scoreAll(j3, (max) => max);

    // 3b. A juror who had no account: invited by e-mail, signs up with that address, verifies it from
    // the mail, accepts, is assigned an entry and scores it.
    const email = `giam-khao-moi-${Date.now().toString(36)}@example.vn`;
    await org.goto(`/organizer/rounds/${SLUG}/council`);
    await org.fill("#invite-email", email);
    await org.selectOption("#invite-role", "member");
    await org.getByRole("button", { name: "Gửi lời mời" }).click();
    await org.getByText(`${email} — Ủy viên, đã mời, chờ nhận lời`).waitFor();
    const newcomer = await openPage({ width: 360 });
    await newcomer.goto("/signup");
    await newcomer.fill("#f-fullName", "Vũ Thị Mới Mời");
    await newcomer.fill("#f-email", email);
    await newcomer.fill("#f-password", "mat-khau-giam-khao-2026");
    await newcomer.fill("#f-confirm", "mat-khau-giam-khao-2026");
    await Promise.all([newcomer.waitForURL("**/signup?gui=*"), newcomer.getByRole("button", { name: "Tạo tài khoản" }).click()]);
    await openMail(newcomer, email, "Xác nhận địa chỉ email");
    await newcomer.locator(".mail-body a[href*='/verify-email?token=']").click();
    await newcomer.getByRole("button", { name: "Xác nhận email" }).click();
    await newcomer.waitForURL("**/login?tb=xac-nhan");
    await signIn(newcomer, email, "mat-khau-giam-khao-2026");
    await acceptInvitationFromMail(newcomer, email);
    await org.reload();
    const entryRow = org.locator("section[aria-labelledby=assign] tbody tr").first();
    await entryRow.locator("select").selectOption({ label: "Vũ Thị Mới Mời" });
    await entryRow.getByRole("button", { name: "Thêm" }).click();
    await org.getByText("Đã phân công giám khảo.").waitFor();
    // The assignment reached them by e-mail too.
    await openMail(newcomer, email, "phân công");
    const scored = await scoreAll(newcomer, (max) => max);
    expect(scored).toHaveLength(1);
    expect(hrefs).toContain(scored[0]);

    // 4. Juror 4 declared a conflict with the first entry: 404, and a bad point is refused for juror 1.
    const j4 = await openPage();
    await signIn(j4, "juror4@demo.cnnt.vn");
    const conflicted = await j4.goto(hrefs[0]);
    expect(conflicted?.status()).toBe(404);

    // 4b. Issue 13: juror 3 declares a conflict after submitting. The sheet keeps counting; the
    // organiser sees a pending "phiếu cần quyết định", cannot finalise, and decides with a reason;
    // the results page, the minutes and the export show the exclusion.
    await j3.goto(hrefs[0]);
    await j3.getByText("Khai báo xung đột lợi ích với hồ sơ này").click();
    await j3.getByLabel(/Lý do/).fill("Em họ tôi mới vào làm ở cơ sở này");
    await j3.getByRole("button", { name: /Khai báo và rút khỏi chấm/ }).click();
    await confirmInDialog(j3, "Khai báo và rút khỏi hồ sơ", /không tự rút lại được khai báo/);
    await j3.getByText("Phiếu bạn đã nộp vẫn được tính cho đến khi ban tổ chức quyết định").waitFor();
    await org.goto(`/organizer/rounds/${SLUG}/results`);
    await org.getByRole("heading", { name: /Phiếu cần quyết định \(1\)/ }).waitFor();
    await org.getByRole("button", { name: "Chốt kết quả" }).click();
    await confirmInDialog(org, "Chốt kết quả", /mã băm SHA-256/);
    await org.getByText(/Còn 1 phiếu cần quyết định/).waitFor();
    const reason = "Hội đồng xác nhận quan hệ họ hàng với cơ sở";
    const item = org.locator("[data-testid^='sheet-decision-']");
    await item.getByLabel("Lý do quyết định").fill(reason);
    await item.getByRole("button", { name: "Không tính phiếu này" }).click();
    await org.getByText("Đã ghi quyết định: phiếu không được tính.").waitFor();
    await org.getByTestId("excluded-note").filter({ hasText: `1 phiếu không tính: ${reason}` }).waitFor();
    await screenshot(org, "organizer-sheet-decision");
    // The minutes as served (their client render still reads COUNCIL_ROLES from a .server module,
    // which the move of the council rules into council-rules.ts fixes).
    const minutesHtml = await (await org.request.get(`/organizer/rounds/${SLUG}/minutes`)).text();
    expect(minutesHtml).toContain(`1 phiếu không tính: ${reason}`);
    const xlsx = await org.request.get(`/organizer/rounds/${SLUG}/export?table=results&format=xlsx`);
    expect(xlsx.status()).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.body()) as never);
    const cells: string[] = [];
    book.worksheets[0].eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? ""))));
    expect(cells).toContain("Phiếu không tính (lý do)");
    expect(cells).toContain(`1 phiếu không tính: ${reason}`);

    // 5. The organiser finalises, records the decision and publishes.
    await org.goto(`/organizer/rounds/${SLUG}/results`);
    await org.getByRole("button", { name: "Chốt kết quả" }).click();
    await confirmInDialog(org, "Chốt kết quả", /mã băm SHA-256/);
    await org.getByText("Đã chốt kết quả:").waitFor();
    await org.getByLabel("Số quyết định công nhận").fill("312/QĐ-UBND");
    await org.getByLabel("Ngày quyết định").fill("2026-11-27");
    await org.getByLabel("Chức danh người ký").fill("Phó Chủ tịch UBND tỉnh Ninh Bình");
    await org.getByLabel("Họ tên người ký").fill("Trần Văn Mẫu");
    await org.getByRole("button", { name: "Lưu quyết định" }).click();
    await org.getByText("Đã ghi nhận quyết định công nhận").waitFor();
    await org.getByRole("button", { name: "Công bố kết quả" }).click();
    await confirmInDialog(org, "Công bố và cấp giấy chứng nhận", /không hoàn tác được/);
    await org.getByText(/Đã công bố kết quả và cấp 3 giấy chứng nhận/).waitFor();
    await screenshot(org, "organizer-results-published");

    // 6. The entries appear publicly with a certificate code.
    const res = await fetch(`${baseUrl()}/api/v1/rounds/${SLUG}/winners`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      winners: { productName: string; meanScore: number | string; certificate: { serial: string; code: string } }[];
    };
    expect(body.winners).toHaveLength(3);
    for (const w of body.winners) {
      expect(Number(w.meanScore)).toBeGreaterThanOrEqual(70);
      expect(w.certificate.code).toMatch(/^[2-9A-Z]{14}$/);
    }
    const verify = await org.goto(`/verify/${body.winners[0].certificate.code}`);
    expect(verify?.status()).toBe(200);
  });

  it("the 2016 Northern round lists exactly 73 winners, ranked, each ≥ 70 with a certificate serial and code", async () => {
    const res = await fetch(`${baseUrl()}/api/v1/rounds/2016-khu-vuc-phia-bac/winners`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      winners: { rank: number; meanScore: number | string; certificate: { serial: string; code: string } }[];
    };
    expect(body.winners).toHaveLength(73);
    const ranks = body.winners.map((w) => w.rank);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    for (const w of body.winners) {
      expect(Number(w.meanScore)).toBeGreaterThanOrEqual(70);
      expect(w.certificate.serial).toMatch(/^KV-BAC-2016-\d{3}$/);
      expect(w.certificate.code).toHaveLength(14);
    }
  });

  it("the organiser's round pages and the minutes render on a phone", async () => {
    const page = await openPage({ width: 360 });
    await signIn(page, "organizer@demo.cnnt.vn");
    for (const path of [
      "/organizer",
      `/organizer/rounds/2016-khu-vuc-phia-bac/council`,
      `/organizer/rounds/2016-khu-vuc-phia-bac/minutes`,
    ]) {
      const r = await page.goto(path);
      expect(r?.status()).toBe(200);
    }
    await screenshot(page, "organizer-minutes-360");
  });
});
