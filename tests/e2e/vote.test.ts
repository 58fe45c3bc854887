/**
 * The people's-choice vote in Chromium (issue 19) on the demo server: a visitor proves an e-mail by the
 * link read in the local mailbox, votes for three products (the ALTCHA widget solves its challenge in
 * the page under the site's CSP) and withdraws one; a scripted crowd from the same network votes for
 * one product; the organiser reviews the flagged burst and excludes it with a reason, closes the vote
 * and freezes the counts; the public results show the counts and the exclusion note.
 */
import { solveChallenge } from "altcha-lib";
import { describe, expect, it } from "vitest";

import { baseUrl, openMail, screenshot, signIn, useBrowser, waitForHydration } from "./setup/browser";

const { openPage } = useBrowser();
const SLUG = "2026-tinh-ninh-binh";
const ROUND_TITLE = "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Ninh Bình năm 2026";

/** A voter outside the browser (same network as the visitor): link from /dev/mail, solved challenge, one vote. */
async function scriptedVoter(email: string, entryId: string) {
  const base = baseUrl();
  const post = (path: string, form: Record<string, string>, cookie = "") =>
    fetch(`${base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
      body: new URLSearchParams(form),
    });
  expect((await post(`/rounds/${SLUG}/binh-chon`, { intent: "link", email })).status).toBe(302);
  let token: string | undefined;
  for (let i = 0; i < 40 && !token; i++) {
    const list = await (await fetch(`${base}/dev/mail?to=${encodeURIComponent(email)}`)).text();
    const id = /href="\/dev\/mail\/(\d+)"/.exec(list)?.[1];
    if (id) token = /xac-nhan\/([A-Za-z0-9_-]+)/.exec(await (await fetch(`${base}/dev/mail/${id}`)).text())?.[1];
    if (!token) await new Promise((r) => setTimeout(r, 250));
  }
  const proven = await post(`/binh-chon/xac-nhan/${token}`, {});
  const cookie = proven.headers
    .getSetCookie()
    .find((c) => c.startsWith("cnnt_voter="))!
    .split(";")[0];
  const c = (await (await fetch(`${base}/binh-chon/thu-thach`)).json()) as {
    algorithm: string;
    challenge: string;
    salt: string;
    signature: string;
    maxnumber: number;
  };
  const s = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  const altcha = Buffer.from(JSON.stringify({ ...c, number: s!.number })).toString("base64");
  expect((await post(`/rounds/${SLUG}/binh-chon`, { intent: "vote", entryId, altcha }, cookie)).status).toBe(302);
}

describe("people's-choice vote", () => {
  it(
    "prove an e-mail, vote for three, withdraw one; a burst is excluded with a reason; the results show it",
    { timeout: 240_000 },
    async () => {
      // ── the visitor ──
      const page = await openPage({ width: 360 });
      await page.goto(`/rounds/${SLUG}/binh-chon`);
      await waitForHydration(page);
      await page.getByLabel("Địa chỉ email").fill("khach.binh.chon@example.vn");
      await page.getByRole("button", { name: "Gửi đường dẫn" }).click();
      await page.getByRole("status").getByText("Đã gửi đường dẫn").waitFor();
      await openMail(page, "khach.binh.chon@example.vn", "Đường dẫn bình chọn");
      await page.locator(".mail-body a[href*='/binh-chon/xac-nhan/']").first().click();
      await page.getByRole("button", { name: "Xác nhận" }).click();
      await page.getByText("Bạn bình chọn bằng địa chỉ").waitFor();
      await waitForHydration(page);
      const boxes = page.locator("input[name='entryId']");
      expect(await boxes.count()).toBe(3);
      const ids = await boxes.evaluateAll((bs) => bs.map((b) => (b as HTMLInputElement).value));
      for (let i = 0; i < 3; i++) await boxes.nth(i).check();
      // the widget solves its challenge by itself (auto="onload") with the worker the site serves
      await page.locator("altcha-widget input[name='altcha']").waitFor({ state: "attached", timeout: 30_000 });
      await page.waitForFunction(
        () => !!(document.querySelector("altcha-widget input[name='altcha']") as HTMLInputElement | null)?.value,
        undefined,
        { timeout: 60_000 },
      );
      await screenshot(page, "vote-ballot-360");
      await page.getByRole("button", { name: "Gửi phiếu bình chọn" }).click();
      await page.getByRole("status").getByText("Đã ghi nhận 3 phiếu bình chọn.").waitFor();
      const mine = page
        .locator("section", { has: page.getByRole("heading", { name: "Các phiếu bạn đã bình chọn" }) })
        .getByRole("button", { name: /Rút phiếu/ });
      expect(await mine.count()).toBe(3);
      // every product has the visitor's vote: nothing left to choose
      expect(await page.locator("input[name='entryId']").count()).toBe(0);
      await mine.last().click();
      await page.getByRole("status").getByText("Đã rút phiếu.").waitFor();
      expect(await page.getByRole("button", { name: /Rút phiếu/ }).count()).toBe(2);
      expect(await page.locator("table tbody tr").count()).toBe(3);

      // ── a scripted crowd from the visitor's network (loopback) for the first product, within minutes ──
      expect(((await (await fetch(`${baseUrl()}/api/v1/rounds/${SLUG}/votes`)).json()) as { open: boolean }).open).toBe(true);
      for (let i = 0; i < 8; i++) await scriptedVoter(`dam-dong-${i}@example.vn`, ids[0]);

      // ── the organiser reviews the flagged burst ──
      const org = await openPage({ width: 1280 });
      await signIn(org, "organizer@demo.cnnt.vn");
      await org.goto("/organizer");
      await org.getByRole("link", { name: ROUND_TITLE }).first().click();
      await org.getByRole("link", { name: "Bình chọn của công chúng" }).click();
      await org.getByRole("heading", { name: "Nhóm phiếu bất thường" }).waitFor();
      await waitForHydration(org);
      await org.getByRole("button", { name: "Kiểm tra phiếu bất thường" }).click();
      await org.getByRole("status").getByText("Đã đánh dấu 1 nhóm phiếu mới.").waitFor();
      await org.getByText(/9 phiếu cho/).waitFor();
      await org.getByLabel(/Lý do \(nhóm/).fill("9 phiếu trong vài phút từ cùng một dải mạng, địa chỉ vừa xác nhận");
      await org.getByRole("button", { name: "Loại", exact: true }).click();
      await org.getByRole("status").getByText("Đã ghi quyết định về nhóm phiếu.").waitFor();
      // the window closes (the organiser ends it now), then the counts are frozen
      await org.getByRole("button", { name: "Đóng bình chọn ngay" }).click();
      await org.getByRole("status").getByText("Đã đóng bình chọn.").waitFor();
      await org.getByRole("button", { name: "Chốt kết quả" }).click();
      await org
        .getByRole("status")
        .getByText(/Đã chốt kết quả/)
        .waitFor();
      await screenshot(org, "vote-organizer");

      // ── the public results ──
      await org.getByRole("link", { name: "Trang công khai" }).click();
      await org.getByText("9 phiếu không được tính").waitFor();
      expect(await org.locator("main").textContent()).toContain("9 phiếu: 9 phiếu trong vài phút từ cùng một dải mạng");
      expect(await org.getByText(/Kết quả đã chốt; mã SHA-256/).count()).toBe(1);
      const rows = await org.locator("table tbody tr td:last-child").allTextContents();
      // the first product's 9 votes (the visitor's among them) are excluded, the third was withdrawn
      expect(rows.map(Number).sort()).toEqual([0, 0, 1]);
      await screenshot(org, "vote-results");
    },
  );
});
