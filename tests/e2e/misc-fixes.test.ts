/**
 * Item 9 of issue 11 in real Chromium: charts readable on a 360 px phone, the open round's call
 * for entries reached by clicking from the home page, "Đăng ký tham gia" never a 403 for a
 * signed-in juror, one "Khen thưởng" in a ministry officer's menu, "gốm" finds pottery only with
 * the match marked.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { signIn, useBrowser } from "./setup/browser";

const { openPage } = useBrowser();

/** Fails on console errors and page errors, as a person would notice a broken page. */
function watch(page: Page) {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** The size each chart text is drawn at on screen: computed font size × the SVG's scale. */
async function chartTextSizes(page: Page, selector: string) {
  return page.evaluate((sel) => {
    return [...document.querySelectorAll(`${sel} text`)].map((t) => {
      const ctm = (t as SVGTextElement).getScreenCTM();
      return { text: t.textContent ?? "", px: parseFloat(getComputedStyle(t).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1) };
    });
  }, selector);
}

async function noOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

describe("on a 360 px phone", () => {
  it("the statistics and the programme report draw chart text at 12 px or more", async () => {
    const page = await openPage({ width: 360 });
    const errors = watch(page);
    await page.goto("/stats");
    const stats = await chartTextSizes(page, "svg.chart");
    expect(stats.length).toBeGreaterThan(10);
    for (const t of stats) expect(t.px, t.text).toBeGreaterThanOrEqual(12);
    await noOverflow(page);
    await page.goto("/programme/2016/bac?period=9m");
    const programme = await chartTextSizes(page, "svg.programme-chart");
    expect(programme.length).toBeGreaterThan(20);
    for (const t of programme) expect(t.px, t.text).toBeGreaterThanOrEqual(12);
    await noOverflow(page);
    expect(errors).toEqual([]);
  });

  it("a producer finds the open round's call for entries from the home page", async () => {
    const page = await openPage({ width: 360 });
    const errors = watch(page);
    await page.goto("/");
    await page.getByRole("link", { name: /^Đăng ký tham gia/ }).first().click();
    await page.waitForURL(/\/rounds\/[^/]+\/the-le/);
    await page.getByRole("heading", { name: "Tiêu chí chấm điểm (tổng 100 điểm)" }).waitFor();
    expect(await page.getByText("(giờ Việt Nam)").first().isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Đăng ký tài khoản cơ sở" }).isVisible()).toBe(true);
    await noOverflow(page);
    expect(errors).toEqual([]);
  });
});

describe("signed in", () => {
  it("a juror who follows “Đăng ký tham gia” is told what to do, not refused", async () => {
    const page = await openPage();
    const errors = watch(page);
    await signIn(page, "juror1@demo.cnnt.vn");
    await page.getByRole("link", { name: "Trang chủ" }).click();
    await page.getByRole("link", { name: /^Đăng ký tham gia/ }).first().click();
    await page.waitForURL(/\/the-le/);
    await page.getByText("không dùng để nộp hồ sơ").waitFor();
    expect(await page.getByText("403").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("a ministry officer's menu names each item once", async () => {
    const page = await openPage();
    await signIn(page, "ministry@demo.cnnt.vn");
    const labels = await page.locator("nav.site-nav a").allTextContents();
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain("Quản lý khen thưởng");
  });
});

describe("search", () => {
  it("“gốm” lists pottery only, each with the match marked", async () => {
    const page = await openPage();
    await page.goto("/search?q=g%E1%BB%91m");
    const items = page.locator("#h-products + ul > li");
    const n = await items.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) {
      const item = items.nth(i);
      expect((await item.innerText()).toLowerCase()).not.toMatch(/gỗ/);
      expect(await item.locator("mark").count()).toBeGreaterThan(0);
    }
  });
});
