/**
 * The producer's journey on a phone: sign up, register a facility, create a product, upload three
 * camera photos (EXIF orientation + GPS) and PDFs, submit into the demo open round; the secretariat
 * returns it with a comment (without JavaScript), the owner fixes and resubmits, the secretariat
 * marks it eligible. The stored variants carry no GPS.
 *
 * Needs the demo open round `2026-khu-vuc-phia-bac` (the round demo step). When E2E_DATABASE_URL is
 * set and that step has not landed yet, the round is inserted directly so the journey still runs.
 */
import path from "node:path";

import postgres from "postgres";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { confirmInDialog, openMail, screenshot, signIn, useBrowser } from "./setup/browser";

const { openPage } = useBrowser();
const SLUG = "2026-khu-vuc-phia-bac";
const TITLE = "Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Bắc năm 2026";
const fixture = (name: string) => path.resolve("tests/fixtures", name);

beforeAll(async () => {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) return;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [found] = await sql`select id from rounds where slug = ${SLUG}`;
    if (!found) {
      await sql`insert into rounds (slug, title, level, region_code, year, registration_opens_at, registration_closes_at, scoring_closes_at, authority, status)
        values (${SLUG}, ${TITLE}, 'region', 'BAC', 2026, now() - interval '30 days', now() + interval '60 days', now() + interval '120 days', 'Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công', 'registration')`;
    }
  } finally {
    await sql.end();
  }
});

describe("a producer's dossier, from sign-up to eligible", () => {
  it("runs the whole journey", async () => {
    const owner = await openPage({ width: 360 });
    const stamp = Date.now().toString(36);
    const email = `moi-${stamp}@example.vn`;
    const productName = `Chiếu cói Kim Sơn ${stamp}`;

    // Sign up and register the facility.
    await owner.goto("/signup");
    await owner.fill("#f-fullName", "Trần Văn Cói");
    await owner.fill("#f-email", email);
    await owner.fill("#f-password", "mat-khau-rat-dai-2026");
    await owner.fill("#f-confirm", "mat-khau-rat-dai-2026");
    await Promise.all([owner.waitForURL("**/signup?gui=*"), owner.getByRole("button", { name: "Tạo tài khoản" }).click()]);
    await owner.getByRole("heading", { name: "Kiểm tra hộp thư của bạn" }).waitFor();
    // The verification link from the captured mail (the local mailbox: no SMTP_URL here).
    await openMail(owner, email, "Xác nhận địa chỉ email");
    await owner.locator(".mail-body a[href*='/verify-email?token=']").click();
    await owner.getByRole("button", { name: "Xác nhận email" }).click();
    await owner.waitForURL("**/login?tb=xac-nhan");
    await signIn(owner, email, "mat-khau-rat-dai-2026");
    await owner.goto("/facility");
    await owner.getByRole("link", { name: "Đăng ký cơ sở" }).first().click();
    await owner.fill("#f-name", "Hợp tác xã Cói Kim Sơn");
    await owner.selectOption("#f-legalForm", "htx");
    await owner.fill("#f-registrationNo", `27${Date.now().toString().slice(-8)}`);
    await owner.selectOption("#f-provinceCode", { label: "Ninh Bình" });
    await owner.selectOption("#f-legacyProvinceCode", { label: "Ninh Bình" });
    await owner.fill("#f-commune", "Kim Chính");
    await owner.fill("#f-address", "Xóm 5");
    await owner.fill("#f-representative", "Trần Văn Cói");
    await Promise.all([owner.waitForURL(/\/facility\/\d+$/), owner.getByRole("button", { name: "Đăng ký cơ sở" }).click()]);

    // Create the product and upload three phone photos and the PDFs.
    await owner.fill("#f-product-name", productName);
    await owner.selectOption("#f-groupNo", "1");
    await owner.fill("#f-description", "Chiếu cói dệt tay, nhuộm màu tự nhiên.");
    await Promise.all([owner.waitForURL(/\/facility\/products\/\d+$/), owner.getByRole("button", { name: "Thêm sản phẩm" }).click()]);
    await owner.setInputFiles("#f-photos", [fixture("camera-portrait.jpg"), fixture("camera-landscape.jpg"), fixture("camera-3.jpg")]);
    await owner.getByRole("button", { name: "Tải ảnh lên" }).click();
    await owner.getByText("Đã lưu 3 ảnh.").waitFor();
    // With JavaScript each photo went as its own request, each with its own progress bar.
    expect(await owner.locator(".upload-list li[data-state=done] progress").count()).toBe(3);
    await owner.selectOption("#f-docType", "business_registration");
    await owner.setInputFiles("#f-document", fixture("registration.pdf"));
    await owner.getByRole("button", { name: "Tải tài liệu lên" }).click();
    await owner.getByText("Đã lưu tài liệu.").waitFor();
    await owner.selectOption("#f-docType", "earlier_certificate");
    await owner.setInputFiles("#f-document", fixture("registration.pdf"));
    await owner.getByRole("button", { name: "Tải tài liệu lên" }).click();
    await owner.locator("li", { hasText: "cấp dưới" }).first().waitFor();
    expect(await owner.locator("img[src^='/files/']").count()).toBe(3);
    expect(await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(owner, "product-photos-360");

    // Enter the open round with the dossier fields and submit.
    await owner.getByRole("link", { name: `Đăng ký tham gia: ${TITLE}` }).click();
    await owner.waitForURL(`**/facility/entry/*/${SLUG}`);
    const values: Record<string, string> = {
      productionCapacity: "30.000 chiếc/năm",
      annualRevenue: "2.400",
      workers: "60 (45 nữ)",
      rawMaterials: "Cói, đay",
      rawMaterialOrigin: "Cói trồng tại Kim Sơn, 100% trong nước",
      markets: "Toàn quốc, xuất khẩu Hàn Quốc",
      standards: "OCOP 3 sao",
      price: "450.000 đồng/chiếc",
      story: "Nghề dệt chiếu cói Kim Sơn có từ thời Nguyễn Công Trứ khẩn hoang.",
      lcSerial: "NB-2025-0031",
      lcIssuer: "UBND tỉnh Ninh Bình",
      lcDecisionNo: "1234/QĐ-UBND",
      lcYear: "2025",
    };
    for (const [name, value] of Object.entries(values)) await owner.fill(`#f-${name}`, value);
    await owner.getByRole("button", { name: "Nộp hồ sơ" }).click();
    await confirmInDialog(owner, "Nộp hồ sơ", /khóa để Ban tổ chức thẩm định/);
    await owner.getByText(/Đã nộp hồ sơ\. Mã số bình chọn: BAC26-\d{3}/).waitFor();
    expect(await owner.getByTestId("entry-status").textContent()).toBe("Đã nộp, chờ thẩm định");
    const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(owner, "dossier-submitted-360");
    const entryUrl = owner.url();

    // The stored variants carry no GPS (nor any EXIF).
    const src = await owner.locator("img[src^='/files/']").first().getAttribute("src");
    const mediaId = src!.split("/")[2];
    for (const file of ["1280.jpg", "640.webp", "320.avif"]) {
      const res = await owner.request.get(`/files/${mediaId}/${file}`);
      expect(res.status()).toBe(200);
      expect(res.headers()["x-content-type-options"]).toContain("nosniff");
      const meta = await sharp(await res.body()).metadata();
      expect(meta.exif).toBeUndefined();
    }
    expect((await owner.request.get(`/files/${mediaId}/original`)).status()).toBe(200);

    // The secretariat (without JavaScript) finds it without diacritics and returns it.
    const organizer = await openPage({ javaScript: false });
    await signIn(organizer, "organizer@demo.cnnt.vn");
    await organizer.goto(`/organizer/rounds/${SLUG}/screening?q=${encodeURIComponent(`chieu coi kim son ${stamp}`)}`);
    await organizer.getByRole("link", { name: productName }).click();
    await organizer.getByLabel("Trả lại để cơ sở bổ sung").check();
    await organizer.fill("#note", "Ảnh thứ ba bị tối, đề nghị chụp lại và bổ sung câu chuyện sản phẩm.");
    await organizer.getByRole("button", { name: "Ghi nhận kết quả" }).click();
    await organizer.waitForURL(/saved=1/);
    expect(await organizer.getByTestId("entry-status").textContent()).toBe("Bị trả lại, cần bổ sung");
    // An anonymous visitor cannot see the draft's photos.
    const anon = await openPage();
    expect((await anon.request.get(`/files/${mediaId}/640.webp`)).status()).toBe(404);

    // The owner gets the "returned" mail and follows its link to the dossier, which shows the comment.
    await openMail(owner, email, "bị trả lại để bổ sung");
    expect(await owner.locator(".mail-body").textContent()).toContain("Ảnh thứ ba bị tối");
    await owner.locator(".mail-body a[href*='/facility/entry/']").click();
    await owner.waitForURL(entryUrl);
    await owner.goto("/facility");
    await owner.getByText("Ảnh thứ ba bị tối").waitFor();
    await owner.goto(entryUrl);
    await owner.fill("#f-story", `${values.story} Sản phẩm gắn với lễ hội làng.`);
    await owner.getByRole("button", { name: "Nộp lại hồ sơ" }).click();
    await confirmInDialog(owner, "Nộp hồ sơ");
    await owner.getByText(/Đã nộp hồ sơ/).waitFor();
    await owner.getByTestId("entry-status").filter({ hasText: "Đã nộp, chờ thẩm định" }).waitFor({ timeout: 10_000 });

    // The secretariat ticks every condition, records the provincial certificate from the paper (the
    // scan is the dossier's own document) and marks it eligible.
    await organizer.reload();
    for (const ok of await organizer.locator('input[type="radio"][value="ok"]').all()) await ok.check();
    await organizer.fill("#pc_issuedOn", "2025-06-15");
    await organizer.fill("#pc_validUntil", "2028-06-15");
    await organizer.selectOption("#pc_level", "province");
    await organizer.getByLabel("Đã đối chiếu bản chụp với bản gốc").check();
    await organizer.getByLabel("Hợp lệ", { exact: true }).check();
    await organizer.getByRole("button", { name: "Ghi nhận kết quả" }).click();
    await organizer.waitForURL(/saved=1/);
    expect(await organizer.getByTestId("entry-status").textContent()).toBe("Hợp lệ");
    await screenshot(organizer, "screening-eligible");
    await owner.goto("/facility");
    await owner.getByText("Hợp lệ").first().waitFor();
  });
});
