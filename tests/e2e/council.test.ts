/**
 * Issue 14's done-when in Chromium, on a server of its own (an embedded database this file fills
 * through the models first): the council's secretary opens a session and records the votes, the
 * organiser publishes the provisional list, a producer files a complaint and gets its receipt, the
 * organiser resolves it; someone without an account complains by e-mail and follows the mailed link;
 * the organiser resolves that one too; the window is then closed in the database (the server is stopped for it,
 * since the embedded database allows one process, and started again on the same folder and port);
 * the organiser records the decision, publishes, certificates are issued, and the minutes show the
 * session, attendance, votes, the complaint and the decision.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { eq, sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";

import { saveSeat } from "../../app/models/council/bodies.server";
import { databaseHandle, openPglite, setDatabase } from "../../app/utils/db.server";
import { prepareDatabase } from "../../db/migrate";
import { roundProcess, rounds } from "../../db/schema";
import { createTestUser, TEST_PASSWORD } from "../factories/index";
import { scoringRound, setRoundStatus, submitSheet } from "../factories/scoring";
import { type AppProcess, freePort, startApp } from "../setup/app-process";
import { confirmInDialog, useBrowser, waitForHydration } from "./setup/browser";

const { openPage } = useBrowser();
const root = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-council-e2e-"));
const dataDir = path.join(root, "data");
const uploadsDir = path.join(root, "uploads");
let app: AppProcess | null = null;
afterAll(async () => {
  await app?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Runs `fn` on the embedded database of the file's server (the server must be stopped). */
async function onDatabase<T>(fn: () => Promise<T>): Promise<T> {
  const own = (() => {
    try {
      return databaseHandle();
    } catch {
      return undefined;
    }
  })();
  const handle = await openPglite(dataDir);
  await prepareDatabase(handle);
  setDatabase(handle);
  try {
    return await fn();
  } finally {
    setDatabase(own);
    await handle.close();
  }
}

async function signInAt(page: Page, base: string, email: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(TEST_PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.getByRole("button", { name: "Đăng nhập" }).click()]);
  await page.waitForFunction(() => document.querySelector("h1")?.textContent !== "Đăng nhập");
}

describe("council, provisional results, complaints and decision in Chromium", () => {
  it("secretary → votes → provisional list → complaint → resolution → window closed → decision → publication → minutes", async () => {
    const world = await onDatabase(async () => {
      const ctx = await scoringRound({ entryCount: 3, jurorCount: 3 });
      const means = [86, 74, 61];
      for (const [i, e] of ctx.entries.entries())
        for (const j of ctx.jurors) await submitSheet({ roundId: ctx.round.id, entryId: e.id, jurorId: j.id, total: means[i] });
      await setRoundStatus(ctx.round.id, "deliberation");
      // The council: jurors 1 and 2 sit on both bodies; juror 3 is the council's secretary.
      const chair = await createTestUser({ fullName: "Trần Văn Chủ" });
      await saveSeat({ roundId: ctx.round.id, actorId: ctx.organizer.id, email: chair.email, role: "chair" });
      await saveSeat({ roundId: ctx.round.id, actorId: ctx.organizer.id, email: ctx.jurors[0].email, role: "vice_chair" });
      await saveSeat({ roundId: ctx.round.id, actorId: ctx.organizer.id, email: ctx.jurors[1].email, role: "member" });
      await saveSeat({ roundId: ctx.round.id, actorId: ctx.organizer.id, email: ctx.jurors[2].email, role: "secretary" });
      const producer = await createTestUser({ fullName: "Lò Thị Sản" });
      return { slug: ctx.round.slug, organizer: ctx.organizer.email, secretary: ctx.jurors[2].email, producer: producer.email, codes: ctx.entries.map((e) => e.code!) };
    });
    const port = await freePort();
    const start = async () => (app = await startApp({ dataDir, uploadsDir, port, env: { NODE_ENV: "test", RATE_LIMIT_FACTOR: "20" } }));
    await start();
    const base = app!.baseUrl;

    // ── the secretary opens the session and records the votes ──
    const sec = await openPage();
    await signInAt(sec, base, world.secretary);
    await sec.goto(`${base}/jury`);
    await waitForHydration(sec);
    await sec.getByRole("link", { name: /Phiên họp hội đồng/ }).click();
    await sec.getByRole("heading", { name: "Khai mạc phiên họp" }).waitFor();
    await sec.getByLabel("Ngày họp").fill("2026-09-10");
    await sec.getByLabel("Địa điểm").fill("Phòng họp số 2, Sở Công Thương");
    await sec.getByRole("button", { name: "Khai mạc phiên họp" }).click();
    await sec.getByText("Đã khai mạc phiên họp.").waitFor();
    for (const [code, yes, no] of [
      [world.codes[0], "4", "0"],
      [world.codes[1], "3", "1"],
      [world.codes[2], "0", "4"],
    ] as const) {
      await sec.getByText(`Ghi biểu quyết ${code}`).click();
      const row = sec.locator("tr", { hasText: code });
      await row.getByLabel("Số phiếu đồng ý").fill(yes);
      await row.getByLabel("Số phiếu không đồng ý").fill(no);
      await row.getByRole("button", { name: "Ghi số phiếu" }).click();
      await sec.getByText(/Đã ghi biểu quyết/).waitFor();
    }
    await sec.getByRole("button", { name: "Kết thúc phiên họp và thông qua danh sách" }).click();
    await confirmInDialog(sec, "Kết thúc phiên họp", /danh sách hội đồng đề nghị công nhận/);
    await sec.getByText("Đã kết thúc phiên họp: hội đồng đề nghị công nhận 2 sản phẩm.").waitFor();

    // ── the organiser publishes the provisional list ──
    const org = await openPage();
    await signInAt(org, base, world.organizer);
    await org.goto(`${base}/organizer/rounds/${world.slug}`);
    await waitForHydration(org);
    await org.getByRole("link", { name: "Hội đồng bình chọn và quyết định" }).click();
    await org.getByRole("heading", { name: /Hội đồng bình chọn \(4 thành viên\)/ }).waitFor();
    await org.getByRole("button", { name: /Công khai kết quả dự kiến/ }).click();
    await confirmInDialog(org, "Công khai và mở thời hạn khiếu nại");
    await org.getByText(/Đã công khai kết quả dự kiến; nhận khiếu nại đến/).waitFor();

    // ── a producer reads the provisional list and files a complaint ──
    const prod = await openPage({ width: 360 });
    await signInAt(prod, base, world.producer);
    await prod.goto(`${base}/rounds/${world.slug}`);
    await prod.waitForURL((u) => u.pathname === `/rounds/${world.slug}/du-kien`);
    await prod.getByRole("heading", { name: "Kết quả dự kiến (2 sản phẩm)" }).waitFor();
    await prod.getByLabel("Mã hồ sơ (nếu khiếu nại về một hồ sơ)").fill(world.codes[1]);
    await prod.getByLabel("Nội dung").fill("Sản phẩm chưa có giấy chứng nhận chất lượng còn hiệu lực khi nộp hồ sơ.");
    await prod.getByRole("button", { name: "Gửi khiếu nại" }).click();
    await prod.getByRole("heading", { name: "Giấy biên nhận khiếu nại" }).waitFor();
    const code = (await prod.locator("dd strong").first().textContent())!.trim();
    expect(code).toMatch(/^KN26-\d+-001$/);

    // ── anyone with an e-mail address, without an account: recorded only once the mailed link is followed ──
    const anon = await openPage({ width: 360 });
    const email = `nguoi-dan-${Date.now().toString(36)}@example.vn`;
    await anon.goto(`${base}/rounds/${world.slug}/du-kien`);
    await waitForHydration(anon);
    await anon.getByLabel("Email của bạn").fill(email);
    await anon.getByLabel("quy trình bình chọn").check();
    await anon.getByLabel("Nội dung").fill("Danh sách thành viên hội đồng bình chọn chưa được công bố trước phiên họp.");
    await anon.getByRole("button", { name: "Gửi khiếu nại" }).click();
    await anon.getByText(/Đã gửi thư tới .*chỉ được ghi nhận khi đó/).waitFor();
    await anon.getByText("Khiếu nại đã nhận (1)").waitFor();
    await anon.goto(`${base}/dev/mail?to=${encodeURIComponent(email)}`);
    await anon.locator("a[href^='/dev/mail/']", { hasText: "Xác nhận gửi khiếu nại" }).first().click();
    await anon.locator(".mail-body a[href*='/khieu-nai/xac-nhan?token=']").click();
    await anon.getByRole("heading", { name: "Xác nhận gửi khiếu nại" }).waitFor();
    await waitForHydration(anon);
    await anon.getByRole("button", { name: "Xác nhận gửi khiếu nại" }).click();
    await anon.getByRole("heading", { name: "Giấy biên nhận khiếu nại" }).waitFor();
    const byEmail = (await anon.locator("dd strong").first().textContent())!.trim();
    expect(byEmail).toMatch(/^KN26-\d+-002$/);

    // ── the organiser resolves it ──
    await org.reload();
    const item = org.getByRole("article", { name: `Khiếu nại ${code}` });
    await item.getByLabel("Lý do").fill("Giấy chứng nhận còn hiệu lực đến 2027, có trong hồ sơ (trang 4).");
    await item.getByRole("button", { name: `Ghi kết quả giải quyết ${code}` }).click();
    await org.getByText("Đã ghi kết quả giải quyết khiếu nại.").waitFor();
    const second = org.getByRole("article", { name: `Khiếu nại ${byEmail}` });
    await second.getByLabel("Lý do").fill("Danh sách thành viên đã đăng trên trang của Cục ngày 01/08/2016.");
    await second.getByRole("button", { name: `Ghi kết quả giải quyết ${byEmail}` }).click();
    await second.getByText(/Danh sách thành viên đã đăng trên trang của Cục/).waitFor();
    // before the window closes the decision is refused
    await org.getByLabel("Số quyết định").last().fill("77/QĐ-CNĐP");
    await org.locator("#f-dec-date").fill("2026-10-01");
    await org.getByLabel("Chức vụ người ký").fill("Cục trưởng Cục Công nghiệp địa phương");
    await org.getByLabel("Họ tên người ký").fill("Nguyễn Văn Bình");
    await org.getByRole("button", { name: "Ghi quyết định công nhận" }).click();
    await confirmInDialog(org, "Ghi quyết định và chốt kết quả");
    await org.getByText(/Thời hạn khiếu nại chưa hết/).waitFor();

    // ── the window closes: set in the database while the server is stopped (pages left first,
    // so no page asks the stopped server for anything) ──
    for (const p of [sec, org, prod, anon]) await p.goto("about:blank");
    await app!.stop();
    app = null;
    await onDatabase(async () => {
      const db = databaseHandle().db;
      const [r] = await db.select().from(rounds).where(eq(rounds.slug, world.slug));
      await db.update(roundProcess).set({ complaintsCloseAt: sql`now() - interval '1 minute'` }).where(eq(roundProcess.roundId, r.id));
    });
    await start();

    // ── decision, publication, certificates ──
    await org.goto(`${base}/organizer/rounds/${world.slug}/hoi-dong`);
    await waitForHydration(org);
    await org.getByLabel("Số quyết định").last().fill("77/QĐ-CNĐP");
    await org.locator("#f-dec-date").fill("2026-10-01");
    await org.getByLabel("Chức vụ người ký").fill("Cục trưởng Cục Công nghiệp địa phương");
    await org.getByLabel("Họ tên người ký").fill("Nguyễn Văn Bình");
    await org.getByRole("button", { name: "Ghi quyết định công nhận" }).click();
    await confirmInDialog(org, "Ghi quyết định và chốt kết quả");
    await org.getByText("Đã ghi quyết định công nhận 2 sản phẩm.").waitFor();
    await org.getByRole("button", { name: "Công bố kết quả và cấp giấy chứng nhận" }).click();
    await confirmInDialog(org, "Công bố và cấp giấy chứng nhận");
    await org.getByText("Đã công bố kết quả và cấp 2 giấy chứng nhận.").waitFor();

    // ── the minutes show it all ──
    const res = await org.request.get(`${base}/organizer/rounds/${world.slug}/hoi-dong/bien-ban.pdf`);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    const file = path.join(root, "bien-ban.pdf");
    fs.writeFileSync(file, await res.body());
    execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", file, path.join(root, "bien-ban")]);
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString().replace(/\s+/g, " ");
    expect(text).toContain("Phiên họp 1: ngày 10/09/2026, tại Phòng họp số 2, Sở Công Thương");
    expect(text).toContain("Có mặt 4/4 thành viên");
    expect(text).toContain(`${code} (về ${world.codes[1]}`);
    expect(text).toContain("Không chấp nhận. Giấy chứng nhận còn hiệu lực đến 2027");
    expect(text).toContain(`${byEmail} (về quy trình`);
    expect(text).toContain("Quyết định số 77/QĐ-CNĐP ngày 01/10/2026");
    expect(text).toMatch(/công nhận 2 sản phẩm/);
    const api = await (await fetch(`${base}/api/v1/rounds/${world.slug}`)).json();
    expect(api).toMatchObject({ stage: "published", council: { sessionDate: "2026-09-10", membersPresent: 4, membersTotal: 4 } });
    const winners = await (await fetch(`${base}/api/v1/rounds/${world.slug}/winners`)).json();
    expect(winners.winners.map((w: { certificate: { code: string } | null }) => !!w.certificate)).toEqual([true, true]);
  });
});
