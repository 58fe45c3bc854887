import fs from "node:fs";
import path from "node:path";

import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, inject, onTestFailed } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve("tests/e2e/screenshots");

export const baseUrl = () => inject("baseUrl");

/** Launches Debian's Chromium once per file; pages are opened per test with `openPage`. */
export function useBrowser() {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async openPage(options: { width?: number; javaScript?: boolean } = {}): Promise<Page> {
      const context = await browser.newContext({
        baseURL: baseUrl(),
        viewport: { width: options.width ?? 1280, height: 900 },
        javaScriptEnabled: options.javaScript ?? true,
        locale: "vi-VN",
        timezoneId: "Asia/Ho_Chi_Minh",
      });
      contexts.push(context);
      const page = await context.newPage();
      // Screenshots on failure: the page as it was when the test failed.
      onTestFailed(async ({ task }) => {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        const name = `FAILED-${task.name.replace(/[^\p{L}\p{N}]+/gu, "-").slice(0, 80)}.png`;
        await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true }).catch(() => {});
      });
      return page;
    },
  };
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, email: string, password = "demo-2016") {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.getByRole("button", { name: "Đăng nhập" }).click()]);
  // The address changes as the navigation commits; wait until the new page has rendered too.
  await page.waitForFunction(() => document.querySelector("h1")?.textContent !== "Đăng nhập");
}

/**
 * Goes ahead in the confirmation dialog of an irreversible action (app/components/Confirm.tsx):
 * checks that it names the consequence, then presses its confirm button.
 */
export async function confirmInDialog(page: Page, confirmLabel: string, consequence?: RegExp) {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  if (consequence) expect(await dialog.textContent()).toMatch(consequence);
  await dialog.getByRole("button", { name: confirmLabel, exact: true }).click();
}
