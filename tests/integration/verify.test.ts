import { beforeAll, describe, expect, it } from "vitest";

import { newVerificationCode } from "../../app/models/certificate/rules";
import { UNKNOWN_CODES_PER_WINDOW } from "../../app/models/certificate/verification.server";
import * as api from "../../app/routes/api.v1.certificates.$code";
import * as verifyPage from "../../app/routes/verify.$code";
import * as verifyIndex from "../../app/routes/verify._index";
import { call, jsonOf, requestAs } from "../factories";
import { createCommendationDecision } from "../factories/commendations-public";
import { createPublishedRound, revokeCertificate } from "../factories/published";

type Loader = Parameters<typeof call>[0];

/** Calls a loader from a given client address (the throttle's key). */
async function callFrom(ip: string, loader: Loader, path: string, params: Record<string, string>) {
  try {
    return (await loader!({ request: requestAs(null, path), params, context: { clientIp: ip } })) as Response;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

let old: { code: string; serial: string; certificateId: number; productId: number };
let fresh: { code: string; serial: string };
let revoked: { code: string };
let merit: { code: string; serial: string };

beforeAll(async () => {
  const r2016 = await createPublishedRound({
    products: [
      { name: "Nước mắm cốt nhĩ Cát Hải", facility: "HTX Cát Hải", province: "Hải Phòng", meanScore: 90 },
      { name: "Chè Shan tuyết", facility: "HTX Chè", province: "Hà Giang", meanScore: 85 },
    ],
  });
  const p = r2016.products[0];
  old = { code: p.certificate!.code, serial: p.certificate!.serial, certificateId: p.certificate!.id, productId: p.productId };
  const c2 = r2016.products[1].certificate!;
  await revokeCertificate(c2.id, "Sản phẩm không còn đáp ứng tiêu chuẩn chất lượng");
  revoked = { code: c2.code };
  const year = new Date().getFullYear();
  const r = await createPublishedRound({
    year,
    decisionDate: `${year}-01-15`,
    products: [{ name: "Gốm Bát Tràng", facility: "Gốm sứ Bát Tràng", province: "Hà Nội", meanScore: 88 }],
  });
  fresh = { code: r.products[0].certificate!.code, serial: r.products[0].certificate!.serial };
  const d = await createCommendationDecision({ recipients: [{ kind: "individual", name: "Nguyễn Thị Hương", position: "Giám đốc", organization: "Trung tâm Khuyến công Thái Bình", province: "Thái Bình" }] });
  merit = d.recipients[0];
});

describe("GET /api/v1/certificates/:code", () => {
  it("answers the contract for a 2016 product certificate: expired", async () => {
    const res = await callFrom("10.0.0.1", api.loader, `/api/v1/certificates/${old.code}`, { code: old.code });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).toMatchObject({
      serial: old.serial,
      kind: "product",
      status: "expired",
      issuer: "Cục Công nghiệp địa phương",
      issuedAt: "2016-10-07",
      validUntil: "2019-12-31",
    });
    expect(body.subject).toMatchObject({ name: "Nước mắm cốt nhĩ Cát Hải", provinceName: "Hải Phòng" });
    expect(body.decisionNo).toMatch(/QĐ/);
  });

  it("a certificate issued this year is valid; a revoked one says so with date and reason", async () => {
    expect((await jsonOf(await callFrom("10.0.0.1", api.loader, "/x", { code: fresh.code }))).status).toBe("valid");
    const r = await jsonOf(await callFrom("10.0.0.1", api.loader, "/x", { code: revoked.code }));
    expect(r).toMatchObject({ status: "revoked", revokedAt: "2026-03-02", revokedReason: "Sản phẩm không còn đáp ứng tiêu chuẩn chất lượng" });
  });

  it("accepts codes as people type them (lower case, dashes, spaces)", async () => {
    const typed = old.code.toLowerCase().replace(/(.{4})/g, "$1 -");
    expect((await callFrom("10.0.0.1", api.loader, "/x", { code: typed })).status).toBe(200);
  });

  it("answers 404 for unknown codes", async () => {
    const res = await callFrom("10.0.0.2", api.loader, "/x", { code: newVerificationCode() });
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).error).toContain("Không tìm thấy");
  });

  it("verifies certificates of merit", async () => {
    const body = await jsonOf(await callFrom("10.0.0.1", api.loader, "/x", { code: merit.code }));
    expect(body).toMatchObject({ kind: "merit", serial: merit.serial, status: "valid", validUntil: null });
    expect(body.subject.name).toBe("Nguyễn Thị Hương");
  });
});

describe("GET /verify/:code", () => {
  it("shows the status, what it certifies and the product link", async () => {
    const res = await callFrom("10.0.1.1", verifyPage.loader, `/verify/${old.code}`, { code: old.code });
    const data = await jsonOf(res);
    expect(data.certificate.status).toBe("expired");
    expect(data.certificate.productId).toBe(old.productId);
    expect(res.headers.get("ETag")).toBeTruthy();
  });

  it("unknown codes get a 404 page that is never cached", async () => {
    const res = await callFrom("10.0.1.2", verifyPage.loader, "/verify/KHONGCOMA", { code: "KHONGCOMA" });
    expect(res.status).toBe(404);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect((await jsonOf(res)).certificate).toBeNull();
  });

  it("throttles a client guessing codes, with a Vietnamese 429, and leaves other clients alone", async () => {
    for (let i = 0; i < UNKNOWN_CODES_PER_WINDOW; i++) {
      const res = await callFrom("10.9.9.9", verifyPage.loader, "/x", { code: newVerificationCode() });
      expect(res.status).toBe(404);
    }
    const blocked = await callFrom("10.9.9.9", verifyPage.loader, "/x", { code: old.code });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain("quá nhiều");
    const apiBlocked = await callFrom("10.9.9.9", api.loader, "/x", { code: old.code });
    expect(apiBlocked.status).toBe(429);
    expect((await callFrom("10.9.9.8", verifyPage.loader, "/x", { code: old.code })).status).toBe(200);
  });

  it("the form sends a typed code to its page", async () => {
    const res = await call(verifyIndex.loader, requestAs(null, `/verify?code=${encodeURIComponent(" abcd-efgh ")}`));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/verify/ABCDEFGH");
    expect((await call(verifyIndex.loader, requestAs(null, "/verify"))).status).toBe(200);
  });
});
