import fs from "node:fs";
import path from "node:path";

import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, inject, onTestFailed } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve("tests/e2e/screenshots");

export const baseUrl = () => inject("baseUrl");

/**
 * What went wrong in a page that a person would notice or that means a bug: console errors, uncaught
 * page errors, subresources (images, scripts, styles, fonts) answering 4xx/5xx or failing, and data
 * requests answering 5xx. A document answering 4xx is a page the test asked for (a 404 page), and
 * Chromium's "Failed to load resource" line for it is not counted; neither are requests the page
 * itself aborted by navigating on.
 */
export function watchPage(page: Page, options: { javaScript?: boolean } = {}) {
  const problems: string[] = [];
  const failedDocuments = new Set<string>();
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const text = m.text();
    if (text.startsWith("Failed to load resource") && failedDocuments.has(m.location().url)) return;
    problems.push(`console error on ${page.url()}: ${text}${m.location().url ? ` (${m.location().url})` : ""}`);
  });
  page.on("pageerror", (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on("response", (r) => {
    const type = r.request().resourceType();
    if (r.status() < 400) return;
    if (type === "document") failedDocuments.add(r.url());
    else if (type === "fetch" || type === "xhr") {
      if (r.status() >= 500) problems.push(`${r.status()} for data request ${r.url()}`);
      else failedDocuments.add(r.url()); // a form's validation error (400/409) or a 404 the page shows
    } else problems.push(`${r.status()} for ${type} ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    const error = r.failure()?.errorText ?? "";
    if (error.includes("ERR_ABORTED") || r.resourceType() === "document") return;
    // With JavaScript off, Chromium refuses the module preloads and reports it as "csp".
    if (options.javaScript === false && error === "csp" && r.resourceType() === "script") return;
    problems.push(`request failed (${error}) for ${r.resourceType()} ${r.url()}`);
  });
  return problems;
}

/** Launches Debian's Chromium once per file; pages are opened per test with `openPage`. */
export function useBrowser() {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const watched: string[][] = [];
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
    // Any console error, page error or failed subresource fails the test that caused it.
    const problems = watched.splice(0).flat();
    if (problems.length) throw new Error(`the browser reported problems:\n${[...new Set(problems)].slice(0, 20).join("\n")}`);
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
      watched.push(watchPage(page, { javaScript: options.javaScript ?? true }));
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

/** Waits until React has hydrated the document (root.tsx marks `<html data-hydrated>` in an effect). */
export async function waitForHydration(page: Page, timeout = 15_000) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true", undefined, { timeout });
}

export async function signIn(page: Page, email: string, password = "demo-2016") {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.getByRole("button", { name: "Đăng nhập" }).click()]);
  // The address changes as the navigation commits; wait until the new page has rendered too.
  await page.waitForFunction(() => document.querySelector("h1")?.textContent !== "Đăng nhập");
}

/** Opens the newest message to `to` whose subject contains `subject` in the local mailbox (/dev/mail). */
export async function openMail(page: Page, to: string, subject: string) {
  for (let attempt = 0; ; attempt++) {
    await page.goto(`/dev/mail?to=${encodeURIComponent(to)}`);
    // Only the mailbox's own list (a signed-in header has links such as "Lời mời" too).
    const link = page.locator("a[href^='/dev/mail/']", { hasText: new RegExp(subject.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).first();
    if ((await link.count()) > 0) {
      await link.click();
      await page.locator(".mail-body").waitFor();
      return;
    }
    if (attempt > 20) throw new Error(`no mail "${subject}" to ${to}`);
    await page.waitForTimeout(250);
  }
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
