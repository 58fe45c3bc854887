import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { agencyHeaderLines, certificatePdfForDownload, ensureCertificatePdf, productLayout } from "../../app/models/certificate/pdf.server";
import { provinceOptions } from "../../app/models/facility/facility.server";
import { sheetTable } from "../../app/models/results/export.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { listProvinces2016, listProvinces2025, listScopeOptions } from "../../app/models/shared/reference.server";
import { toCsv } from "../../app/utils/csv";
import { db } from "../../app/utils/db.server";
import { textWidth } from "../../app/utils/pdf.server";
import { compareVi } from "../../app/utils/vi-text";
import { certificates } from "../../db/schema";
import { createPublishedRound } from "../factories/published";
import { pointsForTotal, scoringRound } from "../factories/scoring";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-vntime-"));
function pdfText(bytes: Uint8Array): string {
  const file = path.join(tmp, `${crypto.randomUUID()}.pdf`);
  fs.writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf-8").normalize("NFC");
}

describe("Vietnam time on papers and exports", () => {
  it("stamps a revoked certificate with the Vietnam day (03:27 on 02/12 in Hà Nội is still 01/12 in UTC)", async () => {
    const { products } = await createPublishedRound({ products: [{ name: "Miến dong Việt Cường", facility: "HTX Việt Cường", province: "Thái Nguyên" }] });
    const [cert] = await db().select().from(certificates).where(eq(certificates.entryId, products[0].entryId));
    await ensureCertificatePdf(cert);
    const revokedAt = new Date("2026-12-02T03:27:00+07:00");
    const [revoked] = await db().update(certificates).set({ revokedAt, revokedReason: "Sai tên sản phẩm" }).where(eq(certificates.id, cert.id)).returning();
    const { bytes } = await certificatePdfForDownload(revoked);
    const text = pdfText(bytes);
    expect(text).toContain("ĐÃ THU HỒI ngày 02/12/2026");
    expect(text).not.toContain("01/12/2026");
  });

  it("writes the juror-sheet export's submission time in Vietnam time, never raw UTC", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const points = await pointsForTotal(ctx.round.id, 80);
    await saveScoreSheet({ jurorId: ctx.jurors[0].id, entryId: ctx.entries[0].id, points, submit: true, now: new Date("2026-09-06T08:00:00Z") });
    const table = await sheetTable(ctx.round.id);
    const at = table.headers.indexOf("Thời điểm nộp (giờ Việt Nam)");
    expect(at).toBeGreaterThan(-1);
    expect(table.rows[0][at]).toBe("06/09/2026 15:00");
    expect(toCsv(table.headers, table.rows)).not.toMatch(/\d{2}:\d{2}:\d{2}\+00/);
  });
});

describe("the certificate header keeps each agency name on one line", () => {
  it("prints the parent agency over the issuing one, never breaking “BỘ CÔNG / THƯƠNG”", async () => {
    expect(agencyHeaderLines("Cục Công nghiệp địa phương – Bộ Công Thương", { size: 11.5, minSize: 9, maxWidth: 330 }).lines).toEqual([
      "BỘ CÔNG THƯƠNG",
      "CỤC CÔNG NGHIỆP ĐỊA PHƯƠNG",
    ]);
    const long = agencyHeaderLines("Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công – Bộ Công Thương", { size: 11.5, minSize: 9, maxWidth: 330 });
    expect(long.lines[0]).toBe("BỘ CÔNG THƯƠNG");
    expect(long.lines.every((l) => textWidth(l, "bold", long.size) <= 330)).toBe(true);
    const { products } = await createPublishedRound({ products: [{ name: "Chè Tân Cương", facility: "HTX Chè Tân Cương", province: "Thái Nguyên" }] });
    const [cert] = await db().select().from(certificates).where(eq(certificates.entryId, products[0].entryId));
    const layout = productLayout({ ...cert, issuer: "Cục Công nghiệp địa phương – Bộ Công Thương" }, { regionName: "Khu vực phía Bắc", signerName: "Ngô Quang Trung" });
    const texts = layout.elements.flatMap((e) => (e.type === "text" ? [e.text] : []));
    expect(texts.filter((t) => /BỘ CÔNG\s*$/.test(t) || /^\s*THƯƠNG/.test(t))).toEqual([]);
    expect(texts).toContain("BỘ CÔNG THƯƠNG");
    expect(texts.some((t) => t.startsWith("Mã xác minh: "))).toBe(true);
    expect(texts.some((t) => t.includes("Mã xác thực"))).toBe(false);
  });
});

describe("province lists in Vietnamese order", () => {
  const inOrder = (names: string[]) => names.every((n, i) => i === 0 || compareVi(names[i - 1], n) <= 0);

  it("collates “Cà Mau” before “Cao Bằng” and “Đ…” right after “D…”", () => {
    const sorted = ["Đồng Tháp", "Cao Bằng", "Yên Bái", "Cà Mau", "Điện Biên", "Dak Test", "Hà Nội", "Bắc Ninh", "An Giang"].sort(compareVi);
    expect(sorted).toEqual(["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Dak Test", "Điện Biên", "Đồng Tháp", "Hà Nội", "Yên Bái"]);
  });

  it("every province dropdown source is in that order", async () => {
    const facility = await provinceOptions();
    const scope = await listScopeOptions();
    for (const names of [
      facility.current.map((p) => p.name),
      facility.legacy.map((p) => p.name),
      (await listProvinces2016()).map((p) => p.name),
      (await listProvinces2025()).map((p) => p.name),
      scope.provinces.map((p) => p.name),
    ]) {
      expect(names.length).toBeGreaterThan(30);
      expect(inOrder(names)).toBe(true);
      expect(names.at(-1)!.startsWith("Đ")).toBe(false);
    }
    const legacy = facility.legacy.map((p) => p.name);
    expect(legacy.indexOf("Cà Mau")).toBeLessThan(legacy.indexOf("Cao Bằng"));
  });
});
