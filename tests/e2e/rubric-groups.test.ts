/**
 * Issue 15, item 7: the organiser picks a product group on the rubric page, sees it uses the default
 * set, gives it its own sub-criteria (a wrong sum is refused in Vietnamese), then returns it to the
 * default set. Chromium with JavaScript on; the round is left as it was found.
 */
import { describe, expect, it } from "vitest";

import { confirmInDialog, screenshot, signIn, useBrowser, waitForHydration } from "./setup/browser";

const { openPage } = useBrowser();
const SLUG = "2026-khu-vuc-phia-bac";

describe("sub-criteria per product group", () => {
  it("the organiser selects group 2, saves its own sub-criteria, and returns it to the default set", async () => {
    const page = await openPage();
    await signIn(page, "organizer@demo.cnnt.vn");
    await page.goto(`/organizer/rounds/${SLUG}`);
    await page.getByRole("link", { name: "Thang điểm" }).click();
    await page.waitForURL(/\/rubric$/);
    await waitForHydration(page);

    await page.getByLabel("Thang điểm của").selectOption("2");
    await page.getByRole("button", { name: "Xem" }).click();
    await page.waitForURL(/\/rubric\?group=2$/);
    await page.getByText(/chưa có tiêu chí con riêng và dùng thang điểm chung/).waitFor();
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, "rubric-group-360");

    const box = page.getByLabel(/Mỗi dòng một tiêu chí/);
    const lines = await box.inputValue();
    const four = lines.split("\n").find((l) => l.startsWith("4 |"))!;
    await box.fill(`${lines}`.replace(four, `${four}\n4.a | Sở hữu trí tuệ, nhãn hiệu | 4\n4.b | Tham gia hội chợ | 7`));
    await page.getByRole("button", { name: "Lưu tiêu chí con riêng của nhóm 2" }).click();
    await page
      .getByText(/Tổng điểm các tiêu chí con của 4 là 11, phải bằng 10/)
      .first()
      .waitFor();

    await box.fill((await box.inputValue()).replace("4.b | Tham gia hội chợ | 7", "4.b | Tham gia hội chợ | 6"));
    await page.getByRole("button", { name: "Lưu tiêu chí con riêng của nhóm 2" }).click();
    await page.getByRole("status").filter({ hasText: "Đã lưu tiêu chí con riêng của nhóm 2." }).waitFor();
    expect(await page.getByRole("cell", { name: "4.b. Tham gia hội chợ" }).count()).toBe(1);

    await page.getByRole("button", { name: "Dùng thang điểm chung" }).click();
    await confirmInDialog(page, "Dùng thang điểm chung", /thang điểm chung của đợt/);
    await page.getByRole("status").filter({ hasText: "Nhóm 2 dùng lại thang điểm chung của đợt." }).waitFor();
    expect(await page.getByRole("cell", { name: "4.b. Tham gia hội chợ" }).count()).toBe(0);
  });
});
