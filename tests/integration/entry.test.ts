import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { saveEntryDraft, submitEntry, withdrawEntry, missingItems, entryCodePrefix } from "../../app/models/entry/entry.server";
import { updateProduct } from "../../app/models/facility/product.server";
import * as entryRoute from "../../app/routes/facility.entry.$productId.$slug";
import { db } from "../../app/utils/db.server";
import { auditEvents, entries } from "../../db/schema";
import { addCompleteMedia, createTestFacility, createTestProduct } from "../factories/facility";
import { call, confirmed, createTestUser, jsonOf, requestAs, toastOf } from "../factories/index";
import { createTestRound, setRoundStatus } from "../factories/round";

async function readyProduct() {
  const owner = await createTestUser();
  const { id: facilityId } = await createTestFacility(owner.id);
  const { id: productId } = await createTestProduct(owner.id, facilityId);
  await addCompleteMedia(owner.id, facilityId, productId);
  return { owner, facilityId, productId };
}

describe("entering and submitting", () => {
  it("submits a complete dossier into a region round: code, snapshot with media, audit", async () => {
    const round = await createTestRound({ year: 2016, level: "region", regionCode: "BAC" });
    const { owner, productId } = await readyProduct();
    const { id } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId, lowerCertificate: { serial: "NB-2015-0012", issuer: "UBND tỉnh Ninh Bình", year: "2015", decisionNo: "12/QĐ-UBND" } });
    // a region round also needs the lower certificate's copy
    await expect(submitEntry({ actorId: owner.id, entryId: id })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("cấp dưới") });
    const { storeDocument } = await import("../../app/models/entry/media.server");
    const { fixture } = await import("../factories/facility");
    const [e0] = await db().select().from(entries).where(eq(entries.id, id));
    await storeDocument({ actorId: owner.id, facilityId: e0.facilityId, productId, bytes: fixture("registration.pdf"), fileName: "gcn-tinh.pdf", docType: "earlier_certificate" });
    const { code } = await submitEntry({ actorId: owner.id, entryId: id });
    expect(code).toBe("BAC16-001");
    const [entry] = await db().select().from(entries).where(eq(entries.id, id));
    expect(entry.status).toBe("submitted");
    const snap = entry.snapshot as any;
    expect(snap.photos).toHaveLength(3);
    expect(snap.photos[0].variants.length).toBe(9);
    expect(snap.documents).toHaveLength(2);
    expect(snap.dossier.rawMaterials).toBe("Mây, tre, giang");
    expect(snap.lowerCertificate.serial).toBe("NB-2015-0012");
    const audit = await db().select().from(auditEvents).where(and(eq(auditEvents.entity, "entry"), eq(auditEvents.entityId, String(id)), eq(auditEvents.action, "entry.submit")));
    expect(audit).toHaveLength(1);
  });

  it("later edits to the product do not change the snapshot jurors score", async () => {
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const { owner, productId } = await readyProduct();
    const { id } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId });
    await submitEntry({ actorId: owner.id, entryId: id });
    await updateProduct({ actorId: owner.id, productId, name: "Tên đã sửa", groupNo: 2, description: "Mô tả mới", dossier: { rawMaterials: "Đã đổi" } });
    const [entry] = await db().select().from(entries).where(eq(entries.id, id));
    expect((entry.snapshot as any).product.name).toBe("Bộ khay mây tre đan");
    expect((entry.snapshot as any).dossier.rawMaterials).toBe("Mây, tre, giang");
    expect(entry.code).toMatch(/^NBH26-\d{3}$/);
  });

  it("refuses an incomplete dossier and lists what is missing", async () => {
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const owner = await createTestUser();
    const { id: facilityId } = await createTestFacility(owner.id);
    const { id: productId } = await createTestProduct(owner.id, facilityId, { dossier: { story: "" } });
    const { id } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId });
    const error = await submitEntry({ actorId: owner.id, entryId: id }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.message).toContain("Câu chuyện");
    expect(error.message).toContain("ít nhất 3 ảnh");
    expect(error.message).toContain("đăng ký kinh doanh");
    const [entry] = await db().select().from(entries).where(eq(entries.id, id));
    expect(entry.status).toBe("draft");
    expect(entry.code).toBeNull();
  });

  it("refuses a submission after the closing time, showing it in Vietnam time", async () => {
    const closes = new Date("2026-06-30T10:00:00Z"); // 17:00 in Hà Nội
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null, registrationOpensAt: new Date("2026-01-01T00:00:00Z"), registrationClosesAt: closes, scoringClosesAt: new Date("2026-08-01T00:00:00Z") });
    const { owner, productId } = await readyProduct();
    const { id } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId, now: new Date("2026-06-30T09:59:00Z") });
    await expect(submitEntry({ actorId: owner.id, entryId: id, now: new Date("2026-06-30T10:00:01Z") })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("17:00 ngày 30/06/2026 (giờ Việt Nam)"),
    });
    const [entry] = await db().select().from(entries).where(eq(entries.id, id));
    expect(entry.status).toBe("draft");
  });

  it("refuses entering a round that is not in registration", async () => {
    const round = await createTestRound({ status: "scoring" });
    const { owner, productId } = await readyProduct();
    await expect(saveEntryDraft({ actorId: owner.id, roundId: round.id, productId })).rejects.toMatchObject({ status: 409 });
  });

  it("two tabs submitting the same dossier at once: one wins, no duplicate entry", async () => {
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const { owner, productId } = await readyProduct();
    const [a, b] = await Promise.all([
      saveEntryDraft({ actorId: owner.id, roundId: round.id, productId }),
      saveEntryDraft({ actorId: owner.id, roundId: round.id, productId }),
    ]);
    expect(a.id).toBe(b.id);
    const results = await Promise.allSettled([submitEntry({ actorId: owner.id, entryId: a.id }), submitEntry({ actorId: owner.id, entryId: a.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason.status).toBe(409);
    expect(await db().select().from(entries).where(eq(entries.productId, productId))).toHaveLength(1);
    const audit = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "entry.submit"), eq(auditEvents.entityId, String(a.id))));
    expect(audit).toHaveLength(1);
  });

  it("a submitted dossier is read-only; withdrawal before screening is allowed and audited", async () => {
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const { owner, productId } = await readyProduct();
    const { id } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId });
    await submitEntry({ actorId: owner.id, entryId: id });
    await expect(saveEntryDraft({ actorId: owner.id, roundId: round.id, productId, dossier: { story: "sửa" } })).rejects.toMatchObject({ status: 409 });
    const stranger = await createTestUser();
    await expect(withdrawEntry({ actorId: stranger.id, entryId: id })).rejects.toMatchObject({ status: 404 });
    await withdrawEntry({ actorId: owner.id, entryId: id });
    const [entry] = await db().select().from(entries).where(eq(entries.id, id));
    expect(entry.status).toBe("withdrawn");
    expect(await db().select().from(auditEvents).where(and(eq(auditEvents.action, "entry.withdraw"), eq(auditEvents.entityId, String(id))))).toHaveLength(1);
  });

  it("another facility's member cannot enter or submit this product (404)", async () => {
    const round = await createTestRound();
    const { owner, productId } = await readyProduct();
    const stranger = await createTestUser();
    await expect(saveEntryDraft({ actorId: stranger.id, roundId: round.id, productId })).rejects.toMatchObject({ status: 404 });
    const { id } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId, lowerCertificate: {} });
    await expect(submitEntry({ actorId: stranger.id, entryId: id })).rejects.toMatchObject({ status: 404 });
  });

  it("script tags and SQL fragments are stored as text", async () => {
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const { owner, productId } = await readyProduct();
    const nasty = `<script>alert("x")</script>'); DROP TABLE entries; --`;
    await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId, dossier: { ...(await import("../factories/facility")).COMPLETE_DOSSIER, story: nasty } });
    const res = await call(entryRoute.loader, requestAs(owner, `/facility/entry/${productId}/${round.slug}`), { productId: String(productId), slug: round.slug });
    expect((await jsonOf(res)).product.dossier.story).toBe(nasty);
    expect(await db().select().from(entries)).not.toHaveLength(0);
  });

  it("over-long dossier fields are refused with the field named", async () => {
    const round = await createTestRound();
    const { owner, productId } = await readyProduct();
    await expect(saveEntryDraft({ actorId: owner.id, roundId: round.id, productId, dossier: { price: "1".repeat(201) } })).rejects.toMatchObject({
      status: 400,
      fields: { price: "“Giá bán (đồng)” dài quá 200 ký tự." },
    });
  });
});

describe("rules", () => {
  it("missingItems needs the lower certificate only from province level up", () => {
    const base = { product: { name: "x", dossier: {} }, photos: [], documents: [], lowerCertificate: null, lowerCertificateId: null };
    expect(missingItems({ ...base, round: { level: "district" } }).some((m) => m.includes("cấp dưới"))).toBe(false);
    expect(missingItems({ ...base, round: { level: "province" } }).some((m) => m.includes("cấp dưới"))).toBe(true);
  });
  it("entry codes follow the round's area and year", () => {
    expect(entryCodePrefix({ level: "region", regionCode: "BAC", provinceCode: null, year: 2016 })).toBe("BAC16");
    expect(entryCodePrefix({ level: "national", regionCode: null, provinceCode: null, year: 2017 })).toBe("QG17");
    expect(entryCodePrefix({ level: "province", regionCode: null, provinceCode: "ninh-binh", year: 2016 })).toBe("NB16");
  });
});

describe("entry route", () => {
  it("refuses anonymous (302 to login) and non-facility roles (403); other facilities get 404", async () => {
    const round = await createTestRound();
    const { productId } = await readyProduct();
    const params = { productId: String(productId), slug: round.slug };
    const anon = await call(entryRoute.loader, requestAs(null, `/facility/entry/${productId}/${round.slug}`), params);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login/);
    const juror = await createTestUser({ roles: ["juror"] });
    expect((await call(entryRoute.loader, requestAs(juror, "/x"), params)).status).toBe(403);
    expect((await call(entryRoute.action, requestAs(juror, "/x", { form: { intent: "save" } }), params)).status).toBe(403);
    const stranger = await createTestUser();
    expect((await call(entryRoute.loader, requestAs(stranger, "/x"), params)).status).toBe(404);
    expect((await call(entryRoute.action, requestAs(stranger, "/x", { form: { intent: "submit" } }), params)).status).toBe(404);
  });

  it("saves and submits through the form; a late submit shows Vietnam time", async () => {
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const { owner, productId } = await readyProduct();
    const params = { productId: String(productId), slug: round.slug };
    const { COMPLETE_DOSSIER } = await import("../factories/facility");
    const res = await call(entryRoute.action, requestAs(owner, "/x", { form: confirmed({ intent: "submit", ...COMPLETE_DOSSIER }) }), params);
    expect((await toastOf(res)).message).toMatch(/Mã số bình chọn: NBH26-\d{3}/);
    await setRoundStatus(round.id, "screening");
    const late = await call(entryRoute.action, requestAs(owner, "/x", { form: { intent: "save", ...COMPLETE_DOSSIER } }), params);
    expect(late.status).toBe(409);
  });

  it("two browser tabs pressing submit at once: one redirect, one 409, one entry and one code", async () => {
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const { owner, productId } = await readyProduct();
    const params = { productId: String(productId), slug: round.slug };
    const { COMPLETE_DOSSIER } = await import("../factories/facility");
    const tab = () => call(entryRoute.action, requestAs(owner, "/x", { form: confirmed({ intent: "submit", ...COMPLETE_DOSSIER }) }), params);
    const statuses = (await Promise.all([tab(), tab()])).map((r) => r.status).sort();
    expect(statuses).toEqual([302, 409]);
    const rows = await db().select().from(entries).where(eq(entries.productId, productId));
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe("submitted");
  });
});
