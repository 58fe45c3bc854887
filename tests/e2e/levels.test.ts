/**
 * Issue 15's done-when in Chromium, on a server of its own (an embedded database this file fills
 * through the models first): a provincial round of Ninh Bình is decided (recognised products with
 * certificates); its organiser opens the round, the "Đề nghị và chỉ tiêu" tab, and sends two
 * products to the Northern regional round — which takes nominations, two places for Ninh Bình —
 * with a cover letter (number, date, signer, PDF); each facility follows its link and confirms the
 * dossier without uploading anything; the regional secretariat sees the letter with the
 * 30-working-day clock, moves the round to screening and screens a nominated dossier with the
 * checklist (the provincial certificate is linked, not typed). Refused with their messages: a
 * Hà Nội facility entering the Ninh Bình round, and a district certificate expired before the
 * closing day. The server is then stopped to check in the database that no file was uploaded again.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { eq, inArray } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";

import { saveEntryDraft, submitEntry } from "../../app/models/entry/entry.server";
import { storeDocument } from "../../app/models/entry/media.server";
import { setIntakeMode, setQuota } from "../../app/models/round/nomination.server";
import { databaseHandle, db, openPglite, setDatabase } from "../../app/utils/db.server";
import { resetEnv } from "../../app/utils/env.server";
import { prepareDatabase } from "../../db/migrate";
import { entries, media, nominations } from "../../db/schema";
import { addCompleteMedia, createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { createTestUser, TEST_PASSWORD } from "../factories/index";
import { createPublishedRound } from "../factories/published";
import { createTestRound, setRoundStatus } from "../factories/round";
import { type AppProcess, freePort, startApp } from "../setup/app-process";
import { confirmInDialog, useBrowser, waitForHydration } from "./setup/browser";

const { openPage } = useBrowser();
const root = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-levels-e2e-"));
const dataDir = path.join(root, "data");
const uploadsDir = path.join(root, "uploads");
let app: AppProcess | null = null;
const LOWER_TITLE = "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Ninh Bình năm 2026";
afterAll(async () => {
  await app?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Runs `fn` on the embedded database and the uploads folder of the file's server (the server must be stopped). */
async function onDatabase<T>(fn: () => Promise<T>): Promise<T> {
  const own = (() => {
    try {
      return databaseHandle();
    } catch {
      return undefined;
    }
  })();
  const uploads = process.env.UPLOADS_DIR;
  process.env.UPLOADS_DIR = uploadsDir;
  resetEnv();
  const handle = await openPglite(dataDir);
  await prepareDatabase(handle);
  setDatabase(handle);
  try {
    return await fn();
  } finally {
    setDatabase(own);
    await handle.close();
    process.env.UPLOADS_DIR = uploads;
    resetEnv();
  }
}

async function signInAt(page: Page, base: string, email: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(TEST_PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.getByRole("button", { name: "Đăng nhập" }).click()]);
  await page.waitForFunction(() => document.querySelector("h1")?.textContent !== "Đăng nhập");
}

async function productIn(provinceCode: string, name: string, facility: string) {
  const owner = await createTestUser({ fullName: `Chủ ${facility}` });
  const { id: facilityId } = await createTestFacility(owner.id, { name: facility, provinceCode, legacyProvinceCode: provinceCode, district: "Kim Sơn", commune: "Kim Chính" });
  const { id: productId } = await createTestProduct(owner.id, facilityId, { name });
  const { photos, doc } = await addCompleteMedia(owner.id, facilityId, productId);
  return { owner, facilityId, productId, doc, photos };
}

describe("up the levels in Chromium: a province nominates, facilities confirm, the region screens", () => {
  it("decided provincial round → cover letter for two products → confirmations without uploads → checklist and clock; territory and expired certificate refused", async () => {
    const world = await onDatabase(async () => {
      const orgRegion = await createTestUser({ fullName: "Nguyễn Văn Cục", roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
      const orgProvince = await createTestUser({ fullName: "Trần Thị Sở", roles: ["organizer"], organizerScope: { scopeProvince: "ninh-binh" } });
      const a = await productIn("ninh-binh", "Thảm cói xuất khẩu Kim Sơn", "HTX Cói Kim Chính");
      const b = await productIn("ninh-binh", "Khay mây đan Gia Viễn", "Tổ hợp tác Mây tre Gia Thanh");
      // The provincial round, decided and published with its certificates.
      const lower = await createPublishedRound({
        level: "province",
        provinceCode: "ninh-binh",
        year: 2026,
        decisionDate: "2026-08-20",
        title: LOWER_TITLE,
        existing: [{ productId: a.productId, meanScore: 84 }, { productId: b.productId, meanScore: 78 }],
        products: [{ name: "Nem chua Yên Mạc", facility: "Hộ kinh doanh Đỗ Văn Mạc", province: "Ninh Bình", status: "not_selected", meanScore: 61 }],
      });
      // The regional round takes nominations; Ninh Bình has two places.
      const higher = await createTestRound({ level: "region", regionCode: "BAC", title: "Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Bắc năm 2026 (đề nghị)" });
      await setIntakeMode({ actorId: orgRegion.id, slug: higher.slug, mode: "nomination" });
      await setQuota({ actorId: orgRegion.id, slug: higher.slug, provinceCode: "ninh-binh", places: 2 });
      // A Ninh Bình round taking direct registration: a Hà Nội facility is outside its territory.
      const direct = await createTestRound({ level: "province", provinceCode: "ninh-binh", regionCode: null, title: "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Ninh Bình năm 2026 (đợt 2)" });
      const hanoi = await productIn("ha-noi", "Bình hoa mây giang Phú Vinh", "HTX Mây tre Phú Vinh Mới");
      // A Ninh Bình dossier in screening whose district certificate expired before the closing day.
      const screening = await createTestRound({ level: "province", provinceCode: "ninh-binh", regionCode: null, title: "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Ninh Bình năm 2026 (đợt 3)" });
      const late = await productIn("ninh-binh", "Rượu nếp cái hoa vàng Kim Sơn", "Hộ kinh doanh Phạm Văn Rượu");
      await storeDocument({ actorId: late.owner.id, facilityId: late.facilityId, productId: late.productId, bytes: fixture("registration.pdf"), fileName: "chung-nhan-cap-huyen.pdf", docType: "earlier_certificate" });
      const { id: lateEntry } = await saveEntryDraft({
        actorId: late.owner.id,
        roundId: screening.id,
        productId: late.productId,
        lowerCertificate: { serial: "H-KS-2021-007", issuer: "UBND huyện Kim Sơn", decisionNo: "15/QĐ-UBND", year: "2021" },
      });
      await submitEntry({ actorId: late.owner.id, entryId: lateEntry });
      await setRoundStatus(screening.id, "screening");
      const mediaBefore = (await db().select({ id: media.id }).from(media).where(inArray(media.productId, [a.productId, b.productId]))).length;
      return { orgRegion: orgRegion.email, orgProvince: orgProvince.email, a, b, lower: { ...lower.round, title: LOWER_TITLE }, higher, direct, hanoi, screening, late, mediaBefore };
    });
    const port = await freePort();
    app = await startApp({ dataDir, uploadsDir, port, env: { NODE_ENV: "test", RATE_LIMIT_FACTOR: "20" } });
    const base = app.baseUrl;

    // ── the provincial organiser sends two recognised products up with a cover letter ──
    const prov = await openPage();
    await signInAt(prov, base, world.orgProvince);
    await prov.goto(`${base}/organizer`);
    await waitForHydration(prov);
    await prov.getByRole("link", { name: world.lower.title, exact: true }).first().click();
    await prov.getByRole("link", { name: "Đề nghị và chỉ tiêu", exact: true }).click();
    await prov.getByRole("heading", { name: "Đề nghị sản phẩm lên cấp trên" }).waitFor();
    await waitForHydration(prov);
    await prov.getByLabel("Đợt cấp trên").selectOption(world.higher.slug);
    await prov.getByLabel(/Thảm cói xuất khẩu Kim Sơn/).check();
    await prov.getByLabel(/Khay mây đan Gia Viễn/).check();
    // The product the province did not recognise is not offered.
    expect(await prov.getByLabel(/Nem chua Yên Mạc/).count()).toBe(0);
    await prov.getByLabel("Số công văn").fill("2150/UBND-KT");
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    await prov.getByLabel("Ngày công văn").fill(today);
    await prov.getByLabel("Người ký (chức vụ, họ tên)").fill("KT. Chủ tịch – Phó Chủ tịch Trần Văn Mẫu");
    await prov.getByLabel("Bản chụp công văn (PDF)").setInputFiles({ name: "cong-van-2150.pdf", mimeType: "application/pdf", buffer: fixture("registration.pdf") });
    await prov.getByRole("button", { name: "Gửi đề nghị" }).click();
    await prov.getByText("Đã gửi đề nghị 2 sản phẩm kèm công văn.").waitFor();

    // ── each facility confirms its dossier: nothing is uploaded again ──
    const owners: Page[] = [];
    for (const p of [world.a, world.b]) {
      const owner = await openPage({ width: 360 });
      owners.push(owner);
      await signInAt(owner, base, p.owner.email);
      await owner.goto(`${base}/facility`);
      await waitForHydration(owner);
      await owner.getByRole("link", { name: "Sản phẩm được đề nghị lên cấp trên" }).click();
      const card = owner.getByTestId("nomination").filter({ hasText: "công văn 2150/UBND-KT" });
      await card.waitFor();
      await card.getByRole("button", { name: "Xác nhận và nộp hồ sơ" }).click();
      await owner.getByText(/Đã xác nhận và nộp hồ sơ lên cấp trên từ hồ sơ, ảnh và tài liệu sẵn có/).waitFor();
      await owner.getByText("Hồ sơ đã nộp lên cấp trên.").waitFor();
    }

    // ── the regional secretariat: the letter, the clock, screening with the checklist ──
    const reg = await openPage();
    await signInAt(reg, base, world.orgRegion);
    await reg.goto(`${base}/organizer`);
    await waitForHydration(reg);
    await reg.getByRole("link", { name: world.higher.title, exact: true }).first().click();
    await reg.getByRole("link", { name: "Đề nghị và chỉ tiêu", exact: true }).click();
    const letters = reg.getByTestId("letters");
    await letters.getByText(/Ninh Bình: công văn 2150\/UBND-KT/).waitFor();
    const clock = (await letters.getByTestId("clock").first().textContent()) ?? "";
    expect(clock).toMatch(/Hồ sơ đủ từ \d{4}-\d{2}-\d{2}; hạn xử lý \d{4}-\d{2}-\d{2}; đã dùng 0, còn 30 ngày làm việc/);
    // The summary list carries the provincial certificates.
    expect(await letters.locator("tr", { hasText: "Thảm cói xuất khẩu Kim Sơn" }).textContent()).toMatch(/84/);
    await reg.getByRole("link", { name: "Tổng quan", exact: true }).click();
    await waitForHydration(reg);
    await reg.getByRole("button", { name: "Chuyển sang “Thẩm định hồ sơ”" }).click();
    await confirmInDialog(reg, "Chuyển sang “Thẩm định hồ sơ”");
    await reg.getByText(/Trạng thái: Thẩm định/).waitFor();
    await reg.getByRole("link", { name: "Thẩm định", exact: true }).click();
    await reg.getByRole("link", { name: "Thảm cói xuất khẩu Kim Sơn" }).click();
    await waitForHydration(reg);
    await reg.getByTestId("checklist").waitFor();
    await reg.getByLabel("Hợp lệ", { exact: true }).check();
    for (const ok of await reg.locator('input[type="radio"][value="ok"]').all()) await ok.check();
    expect(await reg.locator('input[type="radio"][value="ok"]:checked').count()).toBe(5);
    await reg.getByRole("button", { name: "Ghi nhận kết quả" }).click();
    await reg.waitForURL(/saved=1/);
    // The address can show saved=1 before the page's data is the new one: wait for the status itself.
    await reg.getByTestId("entry-status").filter({ hasText: /^Hợp lệ$/ }).waitFor({ timeout: 10_000 });
    expect(await reg.getByTestId("entry-status").textContent()).toBe("Hợp lệ");

    // ── refused: a Hà Nội facility in the Ninh Bình round ──
    const outsider = await openPage({ width: 360 });
    await signInAt(outsider, base, world.hanoi.owner.email);
    await outsider.goto(`${base}/facility`);
    await waitForHydration(outsider);
    await outsider.getByRole("link", { name: `Tham gia ${world.direct.title}` }).first().click();
    await waitForHydration(outsider);
    await outsider.getByRole("button", { name: "Lưu bản nháp" }).click();
    await outsider.getByText(/Hà Nội.*không thuộc Ninh Bình/).first().waitFor();

    // ── refused: a district certificate expired before the closing day ──
    await prov.goto(`${base}/organizer`);
    await prov.getByRole("link", { name: world.screening.title, exact: true }).first().click();
    await prov.getByRole("link", { name: "Thẩm định", exact: true }).click();
    await prov.getByRole("link", { name: "Rượu nếp cái hoa vàng Kim Sơn" }).click();
    await waitForHydration(prov);

    await prov.getByTestId("checklist").waitFor();
    await prov.fill("#pc_issuedOn", "2021-06-01");
    await prov.fill("#pc_validUntil", "2024-12-31");
    await prov.selectOption("#pc_level", "district");
    await prov.getByLabel("Đã đối chiếu bản chụp với bản gốc").check();
    await prov.getByLabel("Hợp lệ", { exact: true }).check();
    for (const ok of await prov.locator('input[type="radio"][value="ok"]').all()) await ok.check();
    await prov.getByRole("button", { name: "Ghi nhận kết quả" }).click();
    await prov.getByText(/hết hiệu lực ngày 31\/12\/2024, trước hạn nộp hồ sơ của đợt/).first().waitFor();
    expect(await prov.getByTestId("entry-status").textContent()).toBe("Đã nộp, chờ thẩm định");

    // ── in the database: the confirmed dossiers reuse the files; the refusals wrote nothing ──
    // The pages are closed first: a page left open would revalidate against the stopped server.
    for (const page of [prov, reg, outsider, ...owners]) await page.close();
    await app.stop();
    app = null;
    await onDatabase(async () => {
      const rows = await db().select().from(nominations).where(eq(nominations.toRoundId, world.higher.id));
      expect(rows.map((n) => n.status)).toEqual(["confirmed", "confirmed"]);
      for (const p of [world.a, world.b]) {
        const [e] = await db().select().from(entries).where(eq(entries.productId, p.productId)).orderBy(entries.id);
        const higherEntry = (await db().select().from(entries).where(eq(entries.productId, p.productId))).find((x) => x.roundId === world.higher.id)!;
        expect(e).toBeTruthy();
        expect(higherEntry.status === "submitted" || higherEntry.status === "eligible").toBe(true);
        expect(higherEntry.lowerCertificateId).not.toBeNull();
        expect(((higherEntry.snapshot as { documents: { id: string }[] }).documents ?? []).map((d) => d.id)).toContain(p.doc.id);
      }
      const mediaAfter = (await db().select({ id: media.id }).from(media).where(inArray(media.productId, [world.a.productId, world.b.productId]))).length;
      expect(mediaAfter).toBe(world.mediaBefore);
      expect(await db().select().from(entries).where(eq(entries.productId, world.hanoi.productId))).toEqual([]);
      const [late] = await db().select().from(entries).where(eq(entries.productId, world.late.productId));
      expect(late.status).toBe("submitted");
    });
  });
});
