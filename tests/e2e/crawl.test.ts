/**
 * Issue 11, item 2: every page a person can reach works in a real browser. For the anonymous visitor
 * and every demo role, Chromium with JavaScript on visits the pages of the role's menu and every link
 * on them (same origin, deduplicated by route pattern with a small cap, bounded), each loaded at
 * 1280 px and then resized to 360 px, and clicks through the main navigation at both widths. It fails on a console or page error or a failed
 * subresource (useBrowser), a page that never hydrates, "Đã xảy ra lỗi", horizontal overflow at
 * 360 px, and axe-core violations of serious or critical impact. Downloads (PDF, CSV, XLSX, ZIP,
 * images) are not opened but must answer 200. The pages seen are printed. The English mirror (issue 19)
 * is reached by clicking the language switch and crawled the same way.
 */
import fs from "node:fs";
import path from "node:path";

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { signIn, useBrowser, waitForHydration } from "./setup/browser";
import { horizontalOverflow, seriousViolations } from "./setup/checks";

const { openPage } = useBrowser();

const ROLES: { name: string; email: string | null; shared?: string[] }[] = [
  // Pages reachable only by a shared link (a vote's page) are visited as if from one.
  { name: "khách (chưa đăng nhập)", email: null, shared: ["/rounds/2026-tinh-ninh-binh/binh-chon", "/rounds/2026-tinh-thai-nguyen/binh-chon"] },
  { name: "admin", email: "admin@demo.cnnt.vn" },
  { name: "organizer", email: "organizer@demo.cnnt.vn", shared: ["/organizer/rounds/2026-tinh-thai-nguyen/binh-chon", "/organizer/rounds/2026-tinh-ninh-binh/binh-chon"] },
  { name: "ministry", email: "ministry@demo.cnnt.vn" },
  { name: "juror1", email: "juror1@demo.cnnt.vn" },
  { name: "owner", email: "owner@demo.cnnt.vn" },
  { name: "ninhbinh", email: "ninhbinh@demo.cnnt.vn" },
  { name: "co-so-03", email: "co-so-03@demo.cnnt.vn" },
];

const PER_PATTERN = 2;
const MAX_PAGES = 40;
/** The menu's pages (0), their links (1), and one more step, which reaches a round's tabs. */
const MAX_DEPTH = 2;
const MAX_DOWNLOADS = 12;
const DOWNLOAD = /\.(pdf|csv|xlsx|zip|png|jpe?g|webp|avif|svg|xml)$|^\/(files|certificates|api)\//;
/** Signing out; and the English mirror, crawled on its own below (reached by the language switch). */
const SKIP = /^\/logout\b|^\/en(\/|$)/;

/** The app's route patterns, from the flat file names in app/routes (`rounds.$slug.winners[.csv]`). */
const ROUTES = fs
  .readdirSync(path.resolve("app/routes"))
  .map((f) => f.replace(/\.(tsx?|jsx?)$/, ""))
  .map((name) => {
    const segments = (name.match(/(\[[^\]]*\]|[^.[\]]+)+/g) ?? [])
      .map((seg) => seg.replace(/\[([^\]]*)\]/g, "$1").replace(/_$/, ""))
      .filter((seg) => seg !== "_index" && !seg.startsWith("_"));
    const pattern = `/${segments.map((seg) => (seg === "$" ? "*" : seg.startsWith("$") ? `:${seg.slice(1)}` : seg)).join("/")}`;
    const source = segments.map((seg) => (seg === "$" ? ".*" : seg.startsWith("$") ? "[^/]+" : seg.replace(/[.*+?^${}()|\\]/g, "\\$&"))).join("/");
    return { pattern, regex: new RegExp(`^/${source}/?$`), statics: segments.filter((seg) => !seg.startsWith("$")).length };
  })
  // Most specific first; the splat (404 page) last.
  .sort((a, b) => Number(a.pattern.includes("*")) - Number(b.pattern.includes("*")) || b.statics - a.statics || b.pattern.length - a.pattern.length);

/** The route pattern a URL matches (`/organizer/programme/:province`), with its query keys. */
function routePattern(url: URL): string {
  const route = ROUTES.find((r) => r.regex.test(url.pathname))?.pattern ?? url.pathname;
  const keys = [...new Set([...url.searchParams.keys()])].sort();
  return keys.length ? `${route}?${keys.join("&")}` : route;
}

async function linksOn(page: Page): Promise<{ href: string; download: boolean }[]> {
  return page.locator("a[href]").evaluateAll((as) =>
    as.map((a) => ({ href: (a as HTMLAnchorElement).href, download: (a as HTMLAnchorElement).hasAttribute("download") })),
  );
}

/**
 * The English product page of a product whose facility gave English texts: its English name with the
 * "Provided by the facility" mark under the Vietnamese heading (what was judged, marked Vietnamese),
 * its English description marked the same, the English name in the title, and the Vietnamese
 * description still there.
 */
async function expectFacilityEnglish(page: Page, p: { vi: string; en: string; description: RegExp }) {
  expect(await page.locator("html").getAttribute("lang")).toBe("en");
  expect(await page.locator("h1").textContent()).toBe(p.vi);
  expect(await page.locator("h1").getAttribute("lang")).toBe("vi");
  const name = page.getByTestId("english-name");
  expect(await name.locator('span[lang="en"]').textContent()).toBe(p.en);
  expect(await name.locator(".badge").textContent()).toBe("Provided by the facility");
  const description = page.getByTestId("english-description");
  expect(await description.locator('p[lang="en"]').textContent()).toMatch(p.description);
  expect(await description.locator(".hint").textContent()).toBe("Provided by the facility");
  expect(await page.title()).toMatch(new RegExp(`^${p.en.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} — `));
  expect(await page.locator('#h-about ~ p[lang="vi"]').first().textContent()).toContain(p.vi);
}

/** Route patterns axe has already audited (by any role): public pages are the same for everyone. */
const audited = new Set<string>();

/** Checks the page just loaded at 1280 px, then the same page resized to a 360 px phone. */
async function pageProblems(page: Page, path: string, status: number | undefined, pattern: string): Promise<string[]> {
  const problems: string[] = [];
  if (status === undefined || status >= 400) problems.push(`${path}: HTTP ${status}`);
  try {
    await waitForHydration(page);
  } catch {
    problems.push(`${path}: never hydrated`);
  }
  if ((await page.locator("body").textContent())?.includes("Đã xảy ra lỗi")) problems.push(`${path}: “Đã xảy ra lỗi”`);
  if (!audited.has(pattern)) {
    audited.add(pattern);
    for (const v of await seriousViolations(page)) problems.push(`${path} @1280: axe ${v}`);
  }
  await page.setViewportSize({ width: 360, height: 780 });
  const { overflow, culprits } = await horizontalOverflow(page);
  if (overflow > 0) problems.push(`${path} @360: ${overflow}px wider than the screen (${culprits.join(", ")})`);
  await page.setViewportSize({ width: 1280, height: 900 });
  return problems;
}

describe("crawl: every page of every role works in Chromium at 1280 px and 360 px", () => {
  for (const role of ROLES) {
    it(`${role.name}`, { timeout: 240_000 }, async () => {
      const page = await openPage({ width: 1280 });
      if (role.email) await signIn(page, role.email);
      else await page.goto("/");
      await waitForHydration(page);
      const base = new URL(page.url()).origin;
      const home = new URL(page.url()).pathname;

      // The menu: the header's links (main navigation, account) and the page the role lands on.
      const menu = [home, ...(await page.locator("header a[href]").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href)))];
      const problems: string[] = [];
      const seen: string[] = [];
      const perPattern = new Map<string, number>();
      const downloads = new Map<string, string>();
      const queued = new Set<string>();
      const queue: { path: string; depth: number }[] = [];
      const enqueue = (href: string, depth: number, download = false) => {
        const url = new URL(href, base);
        if (url.origin !== base) return;
        url.hash = "";
        const path = `${url.pathname}${url.search}`;
        if (SKIP.test(url.pathname) || queued.has(path)) return;
        if (download || DOWNLOAD.test(url.pathname)) {
          const p = routePattern(url);
          if (downloads.size < MAX_DOWNLOADS && ![...downloads.values()].includes(p)) downloads.set(path, p);
          return;
        }
        const pattern = routePattern(url);
        if ((perPattern.get(pattern) ?? 0) >= PER_PATTERN) return;
        perPattern.set(pattern, (perPattern.get(pattern) ?? 0) + 1);
        queued.add(path);
        queue.push({ path, depth });
      };
      for (const href of [...menu, ...(role.shared ?? [])]) enqueue(href, 0);

      // Every menu page and the pages its links lead to, at 1280 px with axe and resized to 360 px.
      while (queue.length && seen.length < MAX_PAGES) {
        const { path, depth } = queue.shift()!;
        const res = await page.goto(path);
        seen.push(path);
        problems.push(...(await pageProblems(page, path, res?.status(), routePattern(new URL(path, base)))));
        if (depth < MAX_DEPTH) for (const l of await linksOn(page)) enqueue(l.href, depth + 1, l.download);
      }

      // Downloads answer 200 (with the role's session) without being opened.
      for (const path of downloads.keys()) {
        const res = await page.request.get(path, { maxRedirects: 0 });
        if (res.status() !== 200) problems.push(`${path}: download answered ${res.status()}`);
      }

      // The main navigation, clicked like a person (client-side navigation) at both widths.
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(home);
        await waitForHydration(page);
        const items = await page.locator(".site-nav a").evaluateAll((as) => as.map((a) => a.textContent!.trim()));
        expect(items.length, "main navigation").toBeGreaterThan(3);
        for (let i = 0; i < items.length; i++) {
          const link = page.locator(".site-nav a").nth(i);
          const target = new URL((await link.getAttribute("href"))!, base).pathname;
          await link.click();
          await page.waitForURL((u) => u.pathname === target);
          await page.waitForFunction(() => (window as { __remixRouter?: { state: { navigation: { state: string } } } }).__remixRouter?.state.navigation.state === "idle");
          if (await page.locator("main").getByText("Đã xảy ra lỗi").count()) problems.push(`nav “${items[i]}” @${width}: “Đã xảy ra lỗi”`);
          if (!(await page.locator(`.site-nav a[aria-current="page"]`).count())) problems.push(`nav “${items[i]}” @${width}: not marked current`);
        }
      }

      console.log(
        `crawl ${role.name}: ${seen.length} pages at 1280 and 360 px, ${downloads.size} downloads\n  ${seen.join("\n  ")}\n  ${[...downloads.keys()].join("\n  ")}`,
      );
      expect(problems).toEqual([]);
    });
  }
});

describe("crawl: the English mirror, reached by the language switch (issue 19)", () => {
  it("the English round and product pages and their links pass the same checks", { timeout: 240_000 }, async () => {
    const page = await openPage({ width: 1280 });
    await page.goto("/");
    await waitForHydration(page);
    const base = new URL(page.url()).origin;
    const problems: string[] = [];
    const seen: string[] = [];
    const check = async (status?: number) => {
      const url = new URL(page.url());
      const path = `${url.pathname}${url.search}`;
      seen.push(path);
      problems.push(...(await pageProblems(page, path, status ?? 200, routePattern(url))));
      expect(await page.locator("html").getAttribute("lang"), path).toBe(url.pathname === "/en" || url.pathname.startsWith("/en/") ? "en" : "vi");
    };
    const clickTo = async (link: ReturnType<Page["locator"]>, target: (u: URL) => boolean) => {
      await link.click();
      await page.waitForURL(target);
      await page.waitForFunction(() => (window as { __remixRouter?: { state: { navigation: { state: string } } } }).__remixRouter?.state.navigation.state === "idle");
    };

    // Vietnamese results → a round page with a filter, then the switch: the same page and query in English.
    await clickTo(page.locator(".site-nav a", { hasText: "Kết quả bình chọn" }), (u) => u.pathname === "/rounds");
    await clickTo(page.locator('main a[href="/rounds/2016-khu-vuc-phia-bac"]').first(), (u) => /^\/rounds\/2016-khu-vuc-phia-bac$/.test(u.pathname));
    await page.locator("#f-group").selectOption("2");
    await clickTo(page.getByRole("button", { name: "Lọc" }), (u) => u.searchParams.get("group") === "2");
    await clickTo(page.getByTestId("lang-switch"), (u) => u.pathname === "/en/rounds/2016-khu-vuc-phia-bac" && u.searchParams.get("group") === "2");
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("h2#list-title").textContent()).toMatch(/of 73 products match/);
    expect(await page.locator("link[rel=alternate][hreflang=vi]").getAttribute("href")).toMatch(/^https?:\/\/[^/]+\/rounds\/2016-khu-vuc-phia-bac\?group=2&/);
    await check();

    // A product card, in English: one whose facility gave English texts (the demo's, issue 19 item 6).
    await clickTo(page.locator("[data-testid=winners] h3 a", { hasText: "Bánh gai Ninh Giang" }), (u) => u.pathname.startsWith("/en/products/"));
    expect(await page.locator("#h-about").textContent()).toBe("About the product");
    await expectFacilityEnglish(page, { vi: "Bánh gai Ninh Giang", en: "Ninh Giang ramie leaf cake", description: /glutinous rice flour kneaded with boiled ramie leaves/ });
    await check();
    const productPath = new URL(page.url()).pathname;

    // The links of the English pages (same origin, English only), like the role crawl above.
    const queue: string[] = [];
    const perPattern = new Map<string, number>();
    const enqueue = async () => {
      for (const l of await linksOn(page)) {
        const url = new URL(l.href, base);
        url.hash = "";
        if (url.origin !== base || l.download || DOWNLOAD.test(url.pathname) || !/^\/en(\/|$)/.test(url.pathname)) continue;
        const path = `${url.pathname}${url.search}`;
        const pattern = routePattern(url);
        if (queue.includes(path) || seen.includes(path) || (perPattern.get(pattern) ?? 0) >= PER_PATTERN) continue;
        perPattern.set(pattern, (perPattern.get(pattern) ?? 0) + 1);
        queue.push(path);
      }
    };
    await enqueue();
    await page.goto(`/en/rounds/2016-khu-vuc-phia-bac`);
    await enqueue();
    while (queue.length && seen.length < 30) {
      const path = queue.shift()!;
      const res = await page.goto(path);
      await check(res?.status());
    }

    // Thái Nguyên tea of this year's provincial round, in English as its facility wrote it.
    await page.goto("/en/rounds/2026-tinh-thai-nguyen");
    await waitForHydration(page);
    await clickTo(page.locator("[data-testid=winners] h3 a", { hasText: "Chè búp Tân Cương đặc biệt" }), (u) => u.pathname.startsWith("/en/products/"));
    await expectFacilityEnglish(page, { vi: "Chè búp Tân Cương đặc biệt", en: "Tan Cuong special green tea", description: /^Thai Nguyen tea from Tan Cuong/ });
    await check();

    // And back: the switch on the English product page leads to the Vietnamese one, which shows
    // only the Vietnamese texts.
    await page.goto(productPath);
    await waitForHydration(page);
    await clickTo(page.getByTestId("lang-switch"), (u) => u.pathname === productPath.replace(/^\/en/, ""));
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("vi");
    expect(await page.locator("#h-about").textContent()).toBe("Giới thiệu sản phẩm");
    expect(await page.locator("h1").textContent()).toBe("Bánh gai Ninh Giang");
    expect(await page.locator("h1").getAttribute("lang")).toBeNull();
    expect(await page.title()).toMatch(/^Bánh gai Ninh Giang — /);
    expect(await page.locator("main").textContent()).toContain("Bánh gai Ninh Giang – sản phẩm của");
    expect(await page.getByTestId("english-name").count()).toBe(0);
    expect(await page.getByTestId("english-description").count()).toBe(0);
    const viText = (await page.locator("body").textContent()) ?? "";
    expect(viText).not.toContain("Ninh Giang ramie leaf cake");
    expect(viText).not.toContain("ramie leaves");
    expect(viText).not.toContain("Provided by the facility");

    console.log(`crawl in English: ${seen.length} pages at 1280 and 360 px\n  ${seen.join("\n  ")}`);
    expect(problems).toEqual([]);
  });

  it("the English vote pages (closed with results, open with the e-mail form) pass the same checks", { timeout: 240_000 }, async () => {
    const page = await openPage({ width: 1280 });
    const problems: string[] = [];
    const seen: string[] = [];
    const clickTo = async (link: ReturnType<Page["locator"]>, target: (u: URL) => boolean) => {
      await link.click();
      await page.waitForURL(target);
      await page.waitForFunction(() => (window as { __remixRouter?: { state: { navigation: { state: string } } } }).__remixRouter?.state.navigation.state === "idle");
    };
    const check = async () => {
      const url = new URL(page.url());
      seen.push(url.pathname);
      problems.push(...(await pageProblems(page, url.pathname, 200, routePattern(url))));
    };
    for (const slug of ["2026-tinh-thai-nguyen", "2026-tinh-ninh-binh"]) {
      // Reached by a shared link, like the visitor's crawl above; then the switch.
      await page.goto(`/rounds/${slug}/binh-chon`);
      await waitForHydration(page);
      expect(await page.locator("h1").textContent()).toMatch(/^Bình chọn của công chúng/);
      await clickTo(page.getByTestId("lang-switch"), (u) => u.pathname === `/en/rounds/${slug}/binh-chon`);
      await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
      expect(await page.locator("h1").textContent()).toMatch(/^People's choice — /);
      expect(await page.locator("main").textContent()).not.toMatch(/Thời gian bình chọn/);
      await check();
      if (slug === "2026-tinh-thai-nguyen") {
        // Closed: the counts, the award and the exclusion note, in English.
        expect(await page.locator("#totals").textContent()).toBe("Votes");
        expect(await page.locator("main").textContent()).toMatch(/votes are not counted after the organiser reviewed/);
        // The round's page, in English.
        await clickTo(page.getByRole("link", { name: "The round's page" }), (u) => u.pathname === `/en/rounds/${slug}`);
        await check();
      } else {
        // Open: the e-mail form, in English.
        expect(await page.locator("#ballot").textContent()).toBe("Confirm your e-mail to vote");
        expect(await page.getByLabel("E-mail address").count()).toBe(1);
      }
    }
    console.log(`crawl in English, the vote: ${seen.join(", ")}`);
    expect(problems).toEqual([]);
  });
});
