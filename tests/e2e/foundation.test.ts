import { describe, expect, it } from "vitest";

import { baseUrl, screenshot, signIn, useBrowser } from "./setup/browser";

const { openPage } = useBrowser();

describe("a newcomer", () => {
  it("opens the Vietnamese home page on a phone", async () => {
    const page = await openPage({ width: 360 });
    await page.goto("/");
    await expect(page.locator("html")).toBeDefined();
    expect(await page.getAttribute("html", "lang")).toBe("vi");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sản phẩm công nghiệp nông thôn tiêu biểu");
    // Nothing wider than the phone's screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "home-360");
  });

  it("sees the Vietnamese 404 page for an unknown address", async () => {
    const page = await openPage();
    const res = await page.goto("/khong-co-trang-nay");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Không tìm thấy trang" }).isVisible()).resolves.toBe(true);
  });

  it("reads /healthz", async () => {
    const res = await fetch(`${baseUrl()}/healthz`);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
  });
});

describe("each demo role signs in and lands on its home", () => {
  const cases: [string, string, string][] = [
    ["admin@demo.cnnt.vn", "/admin", "Quản trị hệ thống"],
    ["organizer@demo.cnnt.vn", "/organizer", "Ban tổ chức"],
    ["ministry@demo.cnnt.vn", "/ministry", "Khen thưởng"],
    ["juror1@demo.cnnt.vn", "/jury", "Chấm điểm"],
    ["owner@demo.cnnt.vn", "/facility", "Cơ sở"],
  ];
  for (const [email, path, heading] of cases) {
    it(`${email} → ${path}`, async () => {
      const page = await openPage({ width: 360 });
      await signIn(page, email);
      expect(new URL(page.url()).pathname).toBe(path);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(heading);
      await screenshot(page, `home-${path.slice(1)}`);
    });
  }

  it("works without JavaScript", async () => {
    const page = await openPage({ javaScript: false });
    await signIn(page, "juror2@demo.cnnt.vn");
    expect(new URL(page.url()).pathname).toBe("/jury");
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL((u) => u.pathname === "/");
    expect(await page.getByRole("link", { name: "Đăng nhập" }).isVisible()).toBe(true);
  });
});
