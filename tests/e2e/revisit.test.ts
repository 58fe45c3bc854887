/**
 * Issue 11, item 6: a page the browser revalidates (304) still runs. Chromium applies a 304's headers
 * to the cached body, so a fresh CSP nonce on the 304 used to refuse the body's inline scripts and the
 * page never hydrated. Cacheable pages now allow their scripts by hash and a 304 carries no policy.
 * Signed-in copies are `private, no-cache` (every visit revalidates); anonymous copies revalidate on
 * reload.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { signIn, useBrowser, waitForHydration } from "./setup/browser";

const { openPage } = useBrowser();
const PAGES = ["/", "/rounds", "/rounds/2016-khu-vuc-phia-bac", "/commendations", "/programme", "/stats"];

/**
 * Whether the document now shown came from the browser's cache after the server answered 304: only
 * the 304's headers crossed the network (transferSize > 0 but below the body's size).
 */
const revalidated = (page: Page) =>
  page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return nav.transferSize > 0 && nav.transferSize < nav.encodedBodySize;
  });

/** Loads the page, then comes back to it so the browser revalidates; whether that was a 304. */
async function revisit(page: Page, path: string, again: () => Promise<unknown>) {
  await page.goto(path);
  await waitForHydration(page);
  await again();
  await page.waitForURL((u) => u.pathname === path.split("?")[0]);
  await waitForHydration(page);
  return (await revalidated(page)) ? 1 : 0;
}

describe("a revalidated page still hydrates", () => {
  it("for a signed-in visitor (private, no-cache: each visit is a 304)", async () => {
    const page = await openPage();
    await signIn(page, "owner@demo.cnnt.vn");
    let revalidated = 0;
    for (const path of PAGES) {
      revalidated += await revisit(page, path, async () => {
        await page.goto("/verify");
        await page.goto(path);
      });
    }
    // The revalidations really were 304s (else this test would not test the bug).
    expect(revalidated).toBeGreaterThanOrEqual(PAGES.length - 1);
    // The hydrated page works: the client router takes the next click.
    await page.getByRole("link", { name: "Kết quả bình chọn" }).first().click();
    await page.waitForURL((u) => u.pathname === "/rounds");
  });

  it("for an anonymous visitor, on reload", async () => {
    const page = await openPage({ width: 360 });
    let revalidated = 0;
    for (const path of PAGES) {
      revalidated += await revisit(page, path, () => page.reload());
    }
    expect(revalidated).toBeGreaterThanOrEqual(PAGES.length - 1);
  });
});
