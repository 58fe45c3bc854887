/**
 * The public journey of issue 5 in real Chromium, at 360 px and 1280 px, with and without
 * JavaScript: search "nuoc mam" without diacritics, open the product, follow its certificate to the
 * verify page and read its true status; the 2016 round page shows 73 products; axe-core finds no
 * serious or critical violations on any public page.
 */
import fs from "node:fs";
import { createRequire } from "node:module";

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { baseUrl, screenshot, useBrowser } from "./setup/browser";

const { openPage } = useBrowser();
const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SLUG = "2016-khu-vuc-phia-bac";

/** Runs axe-core in the page (evaluated, since the CSP refuses injected script tags). */
async function seriousViolations(page: Page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ["violations"] });
  });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

async function noOverflow(page: Page) {
  const { overflow, culprits } = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    culprits: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  }));
  expect(overflow, `wider than the screen: ${culprits.join(", ")}`).toBeLessThanOrEqual(0);
}

/**
 * A valid certificate from the public API: preferably one issued this year (a product certificate
 * of this year's round), else any certificate the API reports as valid (e.g. a certificate of merit,
 * which does not expire).
 */
async function validCertificateCode(): Promise<string | undefined> {
  const year = new Date().getFullYear();
  const codes: string[] = [];
  const rounds = (await (await fetch(`${baseUrl()}/api/v1/rounds`)).json()) as { slug: string; year: number }[];
  for (const r of [...rounds].sort((a, b) => b.year - a.year)) {
    const body = (await (await fetch(`${baseUrl()}/api/v1/rounds/${r.slug}/winners`)).json()) as { winners: { certificate: { code: string } | null }[] };
    const code = body.winners.find((w) => w.certificate)?.certificate?.code;
    if (code) codes.push(code);
  }
  const com = (await (await fetch(`${baseUrl()}/api/v1/commendations`)).json()) as { decisions: { recipients: { certificate: { code: string } | null }[] }[] };
  for (const d of com.decisions) {
    const code = d.recipients.find((r) => r.certificate)?.certificate?.code;
    if (code) codes.push(code);
  }
  let fallback: string | undefined;
  for (const code of codes) {
    const cert = (await (await fetch(`${baseUrl()}/api/v1/certificates/${code}`)).json()) as { status: string; issuedAt: string };
    if (cert.status !== "valid") continue;
    if (cert.issuedAt.startsWith(String(year))) return code;
    fallback ??= code;
  }
  return fallback;
}

for (const width of [360, 1280]) {
  for (const javaScript of [true, false]) {
    const tag = `${width}${javaScript ? "" : "-nojs"}`;
    describe(`a visitor at ${width} px${javaScript ? "" : " without JavaScript"}`, () => {
      it("finds “nuoc mam”, opens the product and verifies its certificate", async () => {
        const page = await openPage({ width, javaScript });
        await page.goto("/");
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sản phẩm công nghiệp nông thôn tiêu biểu");
        await page.getByLabel("Tìm sản phẩm, cơ sở").fill("nuoc mam");
        await Promise.all([page.waitForURL((u) => u.pathname === "/search"), page.getByRole("button", { name: "Tìm kiếm" }).click()]);
        await page.locator("#h-products").waitFor();
        const first = page.locator("#h-products + ul li a").first();
        const name = (await first.textContent())!.trim();
        expect(name.toLocaleLowerCase("vi")).toContain("nước mắm");
        expect(await page.locator("mark").count()).toBeGreaterThan(0);
        await noOverflow(page);
        await screenshot(page, `public-search-${tag}`);

        await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/products/")), first.click()]);
        // With JavaScript the router may change the address before it draws the new page.
        await page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
        for (const img of await page.locator("main img").all()) {
          expect(await img.getAttribute("alt")).toBe(name);
          expect(Number(await img.getAttribute("width"))).toBeGreaterThan(0);
          expect(Number(await img.getAttribute("height"))).toBeGreaterThan(0);
        }
        await noOverflow(page);
        await screenshot(page, `public-product-${tag}`);

        const verifyLinks = page.getByRole("link", { name: /Xác minh giấy chứng nhận/ });
        expect(await verifyLinks.count()).toBeGreaterThan(0);
        // The first recognition in the history is the oldest: a 2016 certificate, long expired.
        await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/verify/")), verifyLinks.first().click()]);
        await page.locator(".verdict").waitFor();
        const verdict = (await page.getByRole("status").first().textContent())!;
        expect(verdict).toContain("hết hiệu lực");
        expect(verdict).toMatch(/\d{2}\/\d{2}\/\d{4}/);
        expect(await page.getByText(name).count()).toBeGreaterThan(0);
        await noOverflow(page);
        await screenshot(page, `public-verify-expired-${tag}`);
      });

      it("sees a valid certificate (issued this year where the data has one) as valid, and an unknown code as not found", async () => {
        const code = await validCertificateCode();
        expect(code, "the demo data has a valid certificate").toBeTruthy();
        const page = await openPage({ width, javaScript });
        await page.goto("/verify");
        await page.getByLabel("Mã xác minh").fill(code!.toLowerCase().replace(/(.{4})/g, "$1-"));
        await Promise.all([page.waitForURL((u) => u.pathname === `/verify/${code}`), page.getByRole("button", { name: "Tra cứu" }).click()]);
        await page.locator(".verdict").waitFor();
        expect(await page.getByRole("status").first().textContent()).toContain("còn hiệu lực");
        await screenshot(page, `public-verify-valid-${tag}`);
        const res = await page.goto("/verify/ZZZZZZZZZZZZZZ");
        expect(res?.status()).toBe(404);
        expect(await page.getByRole("status").first().textContent()).toContain("Không tìm thấy");
      });

      it("the 2016 Northern round page shows 73 products and filters without losing them", async () => {
        const page = await openPage({ width, javaScript });
        const res = await page.goto(`/rounds/${SLUG}`);
        expect(res?.status()).toBe(200);
        expect(await page.locator("[data-testid=winners] > li").count()).toBe(73);
        expect(await page.getByRole("heading", { level: 2, name: /73 sản phẩm/ }).count()).toBe(1);
        await noOverflow(page);
        await screenshot(page, `public-round-${tag}`);
        await page.getByLabel("Sắp xếp theo").selectOption("name");
        await Promise.all([page.waitForURL((u) => u.searchParams.get("sort") === "name"), page.getByRole("button", { name: "Lọc" }).click()]);
        await page.waitForLoadState("networkidle");
        expect(await page.locator("[data-testid=winners] > li").count()).toBe(73);
      });
    });
  }
}

describe("accessibility and sharing", () => {
  const pages = ["/", "/rounds", `/rounds/${SLUG}`, "/search?q=nuoc+mam", "/commendations", "/stats", "/verify"];

  it("axe-core finds no serious or critical violations on the public pages", async () => {
    const page = await openPage({ width: 1280 });
    const problems: string[] = [];
    await page.goto(`/search?q=nuoc+mam`);
    const productHref = await page.locator("#h-products + ul li a").first().getAttribute("href");
    for (const path of [...pages, productHref!]) {
      await page.goto(path);
      for (const v of await seriousViolations(page)) problems.push(`${path} → ${v}`);
    }
    const verify = page.getByRole("link", { name: /Xác minh giấy chứng nhận/ }).first();
    await page.goto(productHref!);
    await verify.click();
    await page.waitForURL((u) => u.pathname.startsWith("/verify/"));
    for (const v of await seriousViolations(page)) problems.push(`verify → ${v}`);
    await screenshot(page, "public-verify-1280-axe");
    expect(problems).toEqual([]);
  });

  it("pages carry titles, descriptions and Open Graph images; the card and sitemap answer", async () => {
    const page = await openPage({ width: 1280 });
    await page.goto(`/rounds/${SLUG}`);
    expect(await page.title()).toContain("năm 2016");
    const og = await page.locator('meta[property="og:image"]').getAttribute("content");
    expect(og).toMatch(/og\.png$/);
    const card = await fetch(og!.replace(/^https?:\/\/[^/]+/, baseUrl()));
    expect(card.headers.get("content-type")).toBe("image/png");
    const sitemap = await (await fetch(`${baseUrl()}/sitemap.xml`)).text();
    expect(sitemap).toContain(`/rounds/${SLUG}</loc>`);
    // And its English twin, both naming each other (issue 19).
    expect(sitemap).toContain(`/en/rounds/${SLUG}</loc>`);
    expect(sitemap).toMatch(new RegExp(`<xhtml:link rel="alternate" hreflang="en" href="[^"]*/en/rounds/${SLUG}"/>`));
    await page.goto("/stats");
    expect(await page.locator("svg.chart").count()).toBeGreaterThan(1);
    await screenshot(page, "public-stats-1280");
    await page.goto("/commendations");
    await screenshot(page, "public-commendations-1280");
  });

  it("the round page's first load on a phone stays within the weight budget", async () => {
    const page = await openPage({ width: 360 });
    await page.goto(`/rounds/${SLUG}`, { waitUntil: "load" });
    const weights = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const res = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
      const sum = (list: PerformanceResourceTiming[]) => list.reduce((n, r) => n + r.transferSize, 0);
      const images = res.filter((r) => r.initiatorType === "img" || /\/files\//.test(r.name));
      const scripts = res.filter((r) => r.initiatorType === "script" || r.name.endsWith(".js") || r.initiatorType === "link" && r.name.endsWith(".js"));
      return { html: nav.transferSize, other: sum(res.filter((r) => !images.includes(r))), images: sum(images), js: sum(scripts) };
    });
    console.log(`round page at 360 px: html ${weights.html} B, other ${weights.other} B, images ${weights.images} B, js ${weights.js} B`);
    expect(weights.html + weights.other).toBeLessThanOrEqual(200 * 1024);
    expect(weights.html + weights.other + weights.images).toBeLessThanOrEqual(1024 * 1024);
    expect(weights.js).toBeLessThanOrEqual(120 * 1024);
  });

  it("a conditional request gets 304", async () => {
    const first = await fetch(`${baseUrl()}/rounds/${SLUG}`);
    const etag = first.headers.get("etag")!;
    expect(first.headers.get("cache-control")).toContain("public");
    const again = await fetch(`${baseUrl()}/rounds/${SLUG}`, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
  });

  it("keyboard users reach the search box and the product links", async () => {
    const page = await openPage({ width: 360 });
    await page.goto(`/rounds/${SLUG}`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("Bỏ qua điều hướng");
    await page.keyboard.press("Enter");
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => !!document.activeElement?.closest(".product-card"));
    }
    expect(reached).toBe(true);
  });
});
