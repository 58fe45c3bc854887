import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { revokeCertificate } from "../../app/models/certificate/certificate.server";
import { ensureCertificatePdf, meritLayout, verifyUrl } from "../../app/models/certificate/pdf.server";
import { CODE_ALPHABET, formatCode } from "../../app/models/certificate/rules";
import { UNKNOWN_CODES_PER_WINDOW } from "../../app/models/certificate/verification.server";
import * as bySerial from "../../app/routes/certificates.$file";
import * as byCode from "../../app/routes/certificates.by-code.$file";
import { db } from "../../app/utils/db.server";
import { env } from "../../app/utils/env.server";
import { A4_LANDSCAPE } from "../../app/utils/pdf.server";
import { certificates, commendationRecipients } from "../../db/schema";
import { createOfficer, createTestDecision } from "../factories/commendation";
import { call, createTestUser, requestAs } from "../factories/index";
import { createPublishedRound } from "../factories/published";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-pdf-"));

function pdfText(bytes: Uint8Array): string {
  const file = path.join(tmp, `${crypto.randomUUID()}.pdf`);
  fs.writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf-8");
}

function pdfInfo(bytes: Uint8Array): string {
  const file = path.join(tmp, `${crypto.randomUUID()}.pdf`);
  fs.writeFileSync(file, bytes);
  return execFileSync("pdfinfo", [file]).toString("utf-8") + execFileSync("pdffonts", [file]).toString("utf-8");
}

/** The first page as a grey PNG at `dpi`, through poppler. */
async function rasterise(bytes: Uint8Array, dpi: number) {
  const file = path.join(tmp, `${crypto.randomUUID()}.pdf`);
  fs.writeFileSync(file, bytes);
  execFileSync("pdftoppm", ["-png", "-gray", "-r", String(dpi), "-singlefile", file, file]);
  return sharp(`${file}.png`).raw().toBuffer({ resolveWithObject: true });
}

async function issuedMerit() {
  const officer = await createOfficer();
  const decision = await createTestDecision({ actorId: officer.id, issue: true });
  const certs = await db()
    .select({ cert: certificates })
    .from(certificates)
    .innerJoin(commendationRecipients, eq(commendationRecipients.id, certificates.recipientId))
    .where(eq(commendationRecipients.decisionId, decision.id));
  return { officer, decision, certs: certs.map((c) => c.cert) };
}

describe("certificate PDFs", () => {
  it("renders a Bằng khen: A4 landscape, fonts embedded, every field and diacritic extractable, small", async () => {
    const { certs } = await issuedMerit();
    const cert = certs.find((c) => c.subjectName === "Nguyễn Thị Hường")!;
    const { bytes } = await ensureCertificatePdf(cert);
    const info = pdfInfo(bytes);
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts/);
    expect(info).toMatch(/BeVietnamPro-Bold/);
    expect(info).not.toMatch(/Helvetica|Times/);
    expect(bytes.length).toBeLessThan(120 * 1024);
    const text = pdfText(bytes).normalize("NFC");
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "BỘ TRƯỞNG BỘ CÔNG THƯƠNG",
      "Tặng",
      "BẰNG KHEN",
      "Nguyễn Thị Hường",
      "Phó Giám đốc, Trung tâm Khuyến công tỉnh Thái Bình",
      "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015",
      `Quyết định số ${cert.decisionNo}`,
      "ngày 07/10/2016",
      "Hà Nội, ngày 07 tháng 10 năm 2016",
      "Trần Tuấn Anh",
      `Số: ${cert.serial}`,
      `Mã xác minh: ${formatCode(cert.code)}`,
    ]) {
      expect(text).toContain(s);
    }
  });

  it("prints a QR code whose modules encode the verify URL", async () => {
    const { certs } = await issuedMerit();
    const cert = certs[0];
    const { bytes } = await ensureCertificatePdf(cert);
    const layout = meritLayout(cert);
    const qr = layout.elements.find((e) => e.type === "qr")!;
    expect(qr.type === "qr" && qr.data).toBe(`${env().PUBLIC_URL}/verify/${cert.code}`);
    if (qr.type !== "qr") return;
    const dpi = 200;
    const k = dpi / 72;
    const { data, info } = await rasterise(bytes, dpi);
    const modules = QRCode.create(verifyUrl(cert.code), { errorCorrectionLevel: "M" }).modules;
    const n = modules.size;
    const m = qr.size / (n + 4);
    let mismatches = 0;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const px = Math.round((qr.x + (c + 2.5) * m) * k);
        const py = Math.round((qr.y + (r + 2.5) * m) * k);
        const dark = data[(py * info.width + px) * info.channels] < 128;
        if (dark !== !!modules.get(r, c)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it("stores each PDF once with its sha256 and serves identical bytes on every download", async () => {
    const { officer, certs } = await issuedMerit();
    const cert = certs[0];
    const first = await call(bySerial.loader, requestAs(officer, `/certificates/${cert.serial}.pdf`), { file: `${cert.serial}.pdf` });
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toBe("application/pdf");
    const a = Buffer.from(await first.arrayBuffer());
    const [stored] = await db().select().from(certificates).where(eq(certificates.id, cert.id));
    expect(stored.pdfKey).toMatch(/^certificates\/BK-2016-\d{4}-[0-9a-f]{16}\.pdf$/);
    expect(stored.pdfSha256).toBe(crypto.createHash("sha256").update(a).digest("hex"));
    expect(fs.readFileSync(path.join(env().uploadsDir, stored.pdfKey!)).equals(a)).toBe(true);
    const second = Buffer.from(await (await call(bySerial.loader, requestAs(officer, `/certificates/${cert.serial}.pdf`), { file: `${cert.serial}.pdf` })).arrayBuffer());
    const third = Buffer.from(await (await call(byCode.loader, requestAs(null, `/certificates/by-code/${cert.code}.pdf`), { file: `${cert.code}.pdf` })).arrayBuffer());
    expect(second.equals(a)).toBe(true);
    expect(third.equals(a)).toBe(true);
    const [after] = await db().select().from(certificates).where(eq(certificates.id, cert.id));
    expect(after.pdfKey).toBe(stored.pdfKey);
    // Two renders racing for the same certificate keep one file and one key.
    const fresh = (await db().select().from(certificates).where(eq(certificates.id, certs[1].id)))[0];
    const [r1, r2] = await Promise.all([ensureCertificatePdf(fresh), ensureCertificatePdf(fresh)]);
    const [rec] = await db().select().from(certificates).where(eq(certificates.id, fresh.id));
    expect(new Set([r1.key, r2.key, rec.pdfKey]).size).toBe(1);
    const dir = fs.readdirSync(path.join(env().uploadsDir, "certificates")).filter((f) => f.startsWith(fresh.serial + "-"));
    expect(dir).toHaveLength(1);
  });

  it("makes a PNG preview with sharp from the same layout", async () => {
    const { officer, certs } = await issuedMerit();
    const res = await call(bySerial.loader, requestAs(officer, `/certificates/${certs[0].serial}.png`), { file: `${certs[0].serial}.png` });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(meta.width).toBe(1200);
    expect(meta.height).toBe(Math.round((1200 * A4_LANDSCAPE.height) / A4_LANDSCAPE.width));
  });

  it("serves a revoked certificate stamped “ĐÃ THU HỒI”, the stored original unchanged", async () => {
    const { officer, certs } = await issuedMerit();
    const cert = certs[2];
    const { bytes: original, key } = await ensureCertificatePdf(cert);
    await revokeCertificate({ serial: cert.serial, reason: "Sai tên đơn vị", actorId: officer.id });
    const res = await call(byCode.loader, requestAs(null, `/certificates/by-code/${cert.code}.pdf`), { file: `${cert.code}.pdf` });
    expect(res.status).toBe(200);
    const stamped = Buffer.from(await res.arrayBuffer());
    const text = pdfText(stamped).normalize("NFC");
    expect(text).toContain("ĐÃ THU HỒI");
    expect(text).toContain("Sai tên đơn vị");
    expect(text).toContain(cert.subjectName);
    expect(fs.readFileSync(path.join(env().uploadsDir, key)).equals(original)).toBe(true);
    const again = Buffer.from(await (await call(byCode.loader, requestAs(null, `/certificates/by-code/${cert.code}.pdf`), { file: `${cert.code}.pdf` })).arrayBuffer());
    expect(again.equals(stamped)).toBe(true);
    expect(res.headers.get("Content-Disposition")).toMatch(/thu-hoi/);
  });

  it("renders the product certificate with level, year, product, group, facility, address, decision, serial, validity", async () => {
    const { products } = await createPublishedRound({ products: [{ name: "Chè Tân Cương Hoàng Bình thượng hạng", facility: "Công ty CP Chè Tân Cương Hoàng Bình", province: "Thái Nguyên", groupNo: 2 }] });
    const [cert] = await db().select().from(certificates).where(eq(certificates.entryId, products[0].entryId));
    const { bytes } = await ensureCertificatePdf(cert);
    expect(bytes.length).toBeLessThan(120 * 1024);
    const text = pdfText(bytes).normalize("NFC");
    for (const s of [
      "GIẤY CHỨNG NHẬN",
      "SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU",
      "CẤP KHU VỰC PHÍA BẮC NĂM 2016",
      "Chè Tân Cương Hoàng Bình thượng hạng",
      "Nhóm 2:",
      "Công ty CP Chè Tân Cương Hoàng Bình",
      "Thái Nguyên",
      `số ${cert.decisionNo} ngày 07/10/2016`,
      "đến hết ngày 31/12/2019",
      `Số: ${cert.serial}`,
      "CỤC CÔNG NGHIỆP ĐỊA PHƯƠNG",
      "Ngô Quang Trung",
    ]) {
      expect(text).toContain(s);
    }
  });

  it("guards the downloads: anonymous → sign-in, wrong role 403, organiser out of scope 404, unknown 404", async () => {
    const { certs } = await issuedMerit();
    const { products } = await createPublishedRound({ products: [{ name: "Miến dong Việt Cường", facility: "HTX Việt Cường", province: "Thái Nguyên" }] });
    const [product] = await db().select().from(certificates).where(eq(certificates.entryId, products[0].entryId));
    const serialReq = (u: { cookie: string } | null, serial: string, ext = "pdf") => call(bySerial.loader, requestAs(u, `/certificates/${serial}.${ext}`), { file: `${serial}.${ext}` });
    expect((await serialReq(null, certs[0].serial)).status).toBe(302);
    const juror = await createTestUser({ roles: ["juror"] });
    expect((await serialReq(juror, certs[0].serial)).status).toBe(403);
    const south = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } });
    expect((await serialReq(south, product.serial)).status).toBe(404);
    const north = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    expect((await serialReq(north, product.serial)).status).toBe(200);
    expect((await serialReq(north, certs[0].serial)).status).toBe(403);
    const officer = await createOfficer();
    expect((await serialReq(officer, "BK-2099-9999")).status).toBe(404);
    expect((await serialReq(officer, "../../etc/passwd", "pdf")).status).toBe(404);
    expect((await call(byCode.loader, requestAs(null, "/certificates/by-code/ZZZZZZZZZZZZZZ.pdf"), { file: "ZZZZZZZZZZZZZZ.pdf" })).status).toBe(404);
    expect((await call(byCode.loader, requestAs(null, `/certificates/by-code/${certs[0].code}.exe`), { file: `${certs[0].code}.exe` })).status).toBe(404);
  });

  it("throttles guessing codes at the public PDF address like the verify page (runs last: it blocks this client)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < UNKNOWN_CODES_PER_WINDOW + 2; i++) {
      const code = `ZZZZZZZZZZZZZ${CODE_ALPHABET[i]}`;
      statuses.push((await call(byCode.loader, requestAs(null, `/certificates/by-code/${code}.pdf`), { file: `${code}.pdf` })).status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
