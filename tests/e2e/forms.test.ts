/**
 * Redirect after a successful form: the organiser saves a round's settings, sees the message once,
 * reloads, and nothing is posted again (one audit row, one POST). Chromium with JavaScript on.
 */
import { describe, expect, it } from "vitest";

import { signIn, useBrowser } from "./setup/browser";

const { openPage } = useBrowser();
const SLUG = "2026-khu-vuc-phia-bac";

describe("forms redirect after success", () => {
  it("an organiser's saved form shows its message once, and a reload does not post again", async () => {
    const admin = await openPage();
    await signIn(admin, "admin@demo.cnnt.vn");
    const before = await admin.goto("/admin/audit?action=round.update").then(() => admin.locator("tbody tr").count());

    const page = await openPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("console", (m) => void (m.type() === "error" && problems.push(`console: ${m.text()}`)));
    const posts: string[] = [];
    page.on("request", (r) => void (r.method() === "POST" && posts.push(r.url())));
    await signIn(page, "organizer@demo.cnnt.vn");
    posts.length = 0;
    await page.goto(`/organizer/rounds/${SLUG}`);
    await page.waitForLoadState("networkidle");
    await page.getByRole("button", { name: "Lưu thông tin" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Đã lưu thông tin đợt bình chọn." }).count()).toBe(1);
    expect(posts).toHaveLength(1);
    expect(new URL(page.url()).pathname).toBe(`/organizer/rounds/${SLUG}`);

    await page.reload();
    await page.getByRole("heading", { name: /Trạng thái:/ }).waitFor();
    expect(await page.getByText("Đã lưu thông tin đợt bình chọn.").count()).toBe(0);
    expect(posts).toHaveLength(1);

    // A client-side navigation does not carry the message to the next page either.
    await page.getByRole("link", { name: "Thang điểm" }).click();
    await page.waitForURL(/\/rubric$/);
    expect(await page.getByText("Đã lưu thông tin đợt bình chọn.").count()).toBe(0);

    await admin.goto("/admin/audit?action=round.update");
    expect(await admin.locator("tbody tr").count()).toBe(before + 1);
    expect(problems).toEqual([]);
  });
});
