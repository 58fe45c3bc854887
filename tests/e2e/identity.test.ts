/**
 * Accounts tied to people, in Chromium on the demo server without SMTP (messages read at /dev/mail):
 * sign-up with the verification link, a forgotten password whose reset ends the old session, and
 * an organiser's council invitation that the invitee accepts while signed in with that address.
 * The invited juror who then scores is in scoring.test.ts (step 3b: the demo round is in scoring
 * only there); sign-up → verification → submission and the "returned" mail's link, in dossier.test.ts.
 */
import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";

import { openMail, screenshot, signIn, useBrowser } from "./setup/browser";

const browser = useBrowser();
const problems: string[] = [];
/** A page whose console errors and page errors fail the test. */
async function openPage(options: { width?: number } = {}) {
  const page = await browser.openPage(options);
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
  return page;
}
afterEach(() => {
  const found = problems.splice(0);
  expect(found).toEqual([]);
});
const PASSWORD = "mat-khau-rat-dai-2026";

async function signUpAndVerify(page: Page, email: string, fullName: string) {
  await page.goto("/signup");
  await page.fill("#f-fullName", fullName);
  await page.fill("#f-email", email);
  await page.fill("#f-password", PASSWORD);
  await page.fill("#f-confirm", PASSWORD);
  await Promise.all([page.waitForURL("**/signup?gui=*"), page.getByRole("button", { name: "Tạo tài khoản" }).click()]);
  await page.getByRole("heading", { name: "Kiểm tra hộp thư của bạn" }).waitFor();
  await openMail(page, email, "Xác nhận địa chỉ email");
  await page.locator(".mail-body a[href*='/verify-email?token=']").click();
  await page.getByRole("button", { name: "Xác nhận email" }).click();
  await page.waitForURL("**/login?tb=xac-nhan");
}

describe("identity by e-mail", () => {
  it("forgotten password: the reset link sets a new one, once, and the old session is gone", async () => {
    const email = `quen-${Date.now().toString(36)}@example.vn`;
    const a = await openPage();
    await signUpAndVerify(a, email, "Lê Thị Quên");
    await signIn(a, email, PASSWORD);
    expect((await a.goto("/account"))?.url()).toMatch(/\/account$/);

    const b = await openPage({ width: 360 });
    await b.goto("/login");
    await b.getByRole("link", { name: "Quên mật khẩu?" }).click();
    // The login page has a #f-email box too: fill the one on the reset page, not the one leaving.
    await b.getByRole("heading", { name: "Quên mật khẩu" }).waitFor();
    await b.fill("#f-email", email);
    await b.getByRole("button", { name: "Gửi liên kết đặt lại" }).click();
    await b.getByText("Kiểm tra hộp thư của bạn").waitFor();
    await openMail(b, email, "Đặt lại mật khẩu");
    const href = await b.locator(".mail-body a[href*='/reset-password?token=']").getAttribute("href");
    await b.goto(href!);
    await b.fill("#f-password", "mat-khau-moi-hoan-toan");
    await b.fill("#f-confirm", "mat-khau-moi-hoan-toan");
    await Promise.all([b.waitForURL("**/login?tb=dat-lai"), b.getByRole("button", { name: "Đặt mật khẩu mới" }).click()]);
    await b.getByText("Đã đặt mật khẩu mới").waitFor();
    await screenshot(b, "password-reset-360");
    // The link works once.
    await b.goto(href!);
    await b.getByText(/không hợp lệ hoặc đã được dùng/).waitFor();
    await signIn(b, email, "mat-khau-moi-hoan-toan");

    // The session opened before the reset has ended.
    await a.goto("/account");
    expect(new URL(a.url()).pathname).toBe("/login");
  });

  it("an organiser invites a juror by e-mail; another account cannot take it; the invitee accepts and sits on the council", async () => {
    const email = `giam-khao-${Date.now().toString(36)}@example.vn`;
    const org = await openPage();
    await signIn(org, "organizer@demo.cnnt.vn");
    await org.goto("/organizer/rounds/2026-khu-vuc-phia-bac/council");
    await org.fill("#invite-email", email);
    await org.selectOption("#invite-role", "member");
    await org.getByRole("button", { name: "Gửi lời mời" }).click();
    await org.getByText("Đã gửi lời mời qua email").waitFor();
    await org.getByText(`${email} — Ủy viên, đã mời, chờ nhận lời`).waitFor();

    const juror = await openPage();
    await signUpAndVerify(juror, email, "Phạm Văn Giám Khảo");
    await openMail(juror, email, "Lời mời");
    const invite = await juror.locator(".mail-body a[href*='/invitations/']").getAttribute("href");

    // Someone else signed in cannot accept it (its 403 is expected, so this page is not watched).
    const other = await browser.openPage();
    await signIn(other, "owner@demo.cnnt.vn");
    await other.goto(invite!);
    await other.getByRole("button", { name: "Nhận lời" }).click();
    await other.getByText(/Lời mời này gửi tới một địa chỉ email khác/).waitFor();

    await juror.goto(invite!);
    await signIn(juror, email, PASSWORD).catch(() => {});
    if (!juror.url().includes("/invitations/")) await juror.goto(invite!);
    await Promise.all([juror.waitForURL("**/jury?nhan-loi=ok"), juror.getByRole("button", { name: "Nhận lời" }).click()]);
    await juror.getByRole("link", { name: "Chấm điểm" }).first().waitFor();

    await org.reload();
    await org.getByRole("cell", { name: "Phạm Văn Giám Khảo" }).first().waitFor();
  });
});
