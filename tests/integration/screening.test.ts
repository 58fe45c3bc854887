import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { saveEntryDraft, screenEntry, submitEntry } from "../../app/models/entry/entry.server";
import { listScreening } from "../../app/models/entry/views.server";
import * as facilityHome from "../../app/routes/facility._index";
import * as fileRoute from "../../app/routes/files.$mediaId.$file";
import * as detailRoute from "../../app/routes/organizer.rounds.$slug.screening.$entryId";
import * as listRoute from "../../app/routes/organizer.rounds.$slug.screening._index";
import { db } from "../../app/utils/db.server";
import { assignments, auditEvents, entries, rounds } from "../../db/schema";
import { addCompleteMedia, createTestFacility, createTestProduct } from "../factories/facility";
import { call, createTestUser, jsonOf, requestAs } from "../factories/index";
import { createTestRound } from "../factories/round";

async function submitted(round: { id: number }, options: { name?: string; owner?: Awaited<ReturnType<typeof createTestUser>>; facilityId?: number; provinceCode?: string } = {}) {
  const owner = options.owner ?? (await createTestUser());
  const facilityId = options.facilityId ?? (await createTestFacility(owner.id, options.provinceCode ? { provinceCode: options.provinceCode, legacyProvinceCode: options.provinceCode } : {})).id;
  const { id: productId } = await createTestProduct(owner.id, facilityId, { name: options.name });
  const { photos } = await addCompleteMedia(owner.id, facilityId, productId);
  const { id } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId, lowerCertificate: { serial: "X-1", issuer: "UBND", year: "2015" } });
  return { owner, facilityId, productId, entryId: id, photos };
}

const districtRound = () => createTestRound({ level: "district", provinceCode: "ha-noi", regionCode: null, title: "Bình chọn cấp huyện (thử)" });

describe("screening decisions", () => {
  it("eligible / returned (owner fixes and resubmits) / ineligible, each audited; notes required", async () => {
    const round = await districtRound();
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const { owner, entryId } = await submitted(round);
    await submitEntry({ actorId: owner.id, entryId });

    await expect(screenEntry({ actorId: organizer.id, entryId, decision: "returned", note: "  " })).rejects.toMatchObject({ status: 400, fields: { note: expect.stringContaining("lý do") } });
    await screenEntry({ actorId: organizer.id, entryId, decision: "returned", note: "Ảnh mặt bên bị mờ, chụp lại." });
    // The owner sees the comment on the dashboard.
    const dash = await jsonOf(await call(facilityHome.loader, requestAs(owner, "/facility")));
    const shown = dash.products[0].entries[0];
    expect(shown.status).toBe("returned");
    expect(shown.screeningNote).toBe("Ảnh mặt bên bị mờ, chụp lại.");
    // Returned entries wait for the owner.
    await expect(screenEntry({ actorId: organizer.id, entryId, decision: "eligible" })).rejects.toMatchObject({ status: 409 });
    await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId: shown ? dash.products[0].id : 0, dossier: { ...(await import("../factories/facility")).COMPLETE_DOSSIER, story: "Đã bổ sung." } });
    const again = await submitEntry({ actorId: owner.id, entryId });
    const [e1] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(e1.code).toBe(again.code); // the code is kept on resubmission
    expect((e1.snapshot as any).dossier.story).toBe("Đã bổ sung.");
    await screenEntry({ actorId: organizer.id, entryId, decision: "ineligible", note: "Sản phẩm độc bản, không sản xuất hàng loạt." });
    await screenEntry({ actorId: organizer.id, entryId, decision: "eligible" });
    const [e2] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(e2.status).toBe("eligible");
    const actions = (await db().select().from(auditEvents).where(and(eq(auditEvents.entity, "entry"), eq(auditEvents.entityId, String(entryId))))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["entry.submit", "entry.screen_returned", "entry.resubmit", "entry.screen_ineligible", "entry.screen_eligible"]));
  });

  it("an organiser outside the round's scope gets 404 and nothing changes", async () => {
    const round = await districtRound();
    const south = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } });
    const { owner, entryId } = await submitted(round);
    await submitEntry({ actorId: owner.id, entryId });
    await expect(screenEntry({ actorId: south.id, entryId, decision: "eligible" })).rejects.toMatchObject({ status: 404 });
    await expect(listScreening({ userId: south.id, slug: round.slug })).rejects.toMatchObject({ status: 404 });
    const [e] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(e.status).toBe("submitted");
  });

  it("no withdrawal once the secretariat has decided", async () => {
    const round = await districtRound();
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const { owner, entryId } = await submitted(round);
    await submitEntry({ actorId: owner.id, entryId });
    await screenEntry({ actorId: organizer.id, entryId, decision: "eligible" });
    const { withdrawEntry } = await import("../../app/models/entry/entry.server");
    await expect(withdrawEntry({ actorId: owner.id, entryId })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("đã thẩm định") });
  });

  it("no screening once the round has moved to scoring", async () => {
    const round = await districtRound();
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const { owner, entryId } = await submitted(round);
    await submitEntry({ actorId: owner.id, entryId });
    await db().update(rounds).set({ status: "scoring" }).where(eq(rounds.id, round.id));
    await expect(screenEntry({ actorId: organizer.id, entryId, decision: "eligible" })).rejects.toMatchObject({ status: 409 });
  });
});

describe("screening list", () => {
  it("filters by group, province and status, searches without diacritics, flags likely duplicates", async () => {
    const round = await districtRound();
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const a = await submitted(round, { name: "Đậu phụ làng Mơ" });
    await submitEntry({ actorId: a.owner.id, entryId: a.entryId });
    const b = await submitted(round, { name: "Đậu phụ làng Mơ loại 1", owner: a.owner, facilityId: a.facilityId });
    await submitEntry({ actorId: b.owner.id, entryId: b.entryId });
    const c = await submitted(round, { name: "Nón lá Chuông", provinceCode: "ninh-binh" });
    await submitEntry({ actorId: c.owner.id, entryId: c.entryId });

    const all = await listScreening({ userId: organizer.id, slug: round.slug });
    expect(all.entries).toHaveLength(3);
    const dup = all.entries.filter((e) => e.duplicateOf);
    expect(dup.map((e) => e.id).sort()).toEqual([a.entryId, b.entryId].sort());
    expect(all.entries.find((e) => e.id === c.entryId)?.duplicateOf).toBeNull();

    expect((await listScreening({ userId: organizer.id, slug: round.slug, q: "dau phu" })).entries).toHaveLength(2);
    expect((await listScreening({ userId: organizer.id, slug: round.slug, q: "NON LA" })).entries.map((e) => e.id)).toEqual([c.entryId]);
    expect((await listScreening({ userId: organizer.id, slug: round.slug, provinceCode: "ninh-binh" })).entries.map((e) => e.id)).toEqual([c.entryId]);
    expect((await listScreening({ userId: organizer.id, slug: round.slug, groupNo: 2 })).entries).toHaveLength(0);
    await screenEntry({ actorId: organizer.id, entryId: c.entryId, decision: "eligible" });
    expect((await listScreening({ userId: organizer.id, slug: round.slug, status: "eligible" })).entries.map((e) => e.id)).toEqual([c.entryId]);
  });

  it("routes refuse anonymous (302), wrong roles (403) and out-of-scope organisers (404)", async () => {
    const round = await districtRound();
    const { owner, entryId } = await submitted(round);
    await submitEntry({ actorId: owner.id, entryId });
    const params = { slug: round.slug, entryId: String(entryId) };
    expect((await call(listRoute.loader, requestAs(null, `/organizer/rounds/${round.slug}/screening`), params)).status).toBe(302);
    expect((await call(listRoute.loader, requestAs(owner, "/x"), params)).status).toBe(403);
    expect((await call(detailRoute.action, requestAs(owner, "/x", { form: { decision: "eligible" } }), params)).status).toBe(403);
    const south = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } });
    expect((await call(listRoute.loader, requestAs(south, "/x"), params)).status).toBe(404);
    expect((await call(detailRoute.loader, requestAs(south, "/x"), params)).status).toBe(404);
    expect((await call(detailRoute.action, requestAs(south, "/x", { form: { decision: "eligible" } }), params)).status).toBe(404);
    const north = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const ok = await call(detailRoute.action, requestAs(north, "/x", { form: { decision: "returned", note: "<b>Thiếu</b> ảnh" } }), params);
    expect(ok.status).toBe(302);
    const detail = await jsonOf(await call(detailRoute.loader, requestAs(north, "/x"), params));
    expect(detail.entry.screeningNote).toBe("<b>Thiếu</b> ảnh");
  });
});

describe("file serving", () => {
  it("drafts are private; organisers in scope, assigned jurors and members see; published winners' photos are public; originals never", async () => {
    const round = await districtRound();
    const { owner, entryId, photos } = await submitted(round);
    const photo = photos[0];
    const get = (user: any, file: string) => call(fileRoute.loader, requestAs(user, `/files/${photo.id}/${file}`), { mediaId: photo.id, file });

    expect((await get(null, "640.webp")).status).toBe(404);
    const member = await get(owner, "640.webp");
    expect(member.status).toBe(200);
    expect(member.headers.get("Content-Type")).toBe("image/webp");
    expect(member.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(member.headers.get("Cache-Control")).toMatch(/^private/);
    const meta = await sharp(Buffer.from(await member.arrayBuffer())).metadata();
    expect(meta.exif).toBeUndefined();
    expect((await get(owner, "original")).headers.get("Cache-Control")).toBe("private, no-store");

    const stranger = await createTestUser();
    expect((await get(stranger, "640.webp")).status).toBe(404);
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    expect((await get(organizer, "640.webp")).status).toBe(404); // still a draft entry
    await submitEntry({ actorId: owner.id, entryId });
    expect((await get(organizer, "640.webp")).status).toBe(200);
    const south = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } });
    expect((await get(south, "640.webp")).status).toBe(404);
    const juror = await createTestUser({ roles: ["juror"] });
    expect((await get(juror, "320.jpg")).status).toBe(404);
    await db().insert(assignments).values({ roundId: round.id, entryId, jurorId: juror.id });
    // Jurors read the files they judge only while the round is scored (issue 13).
    expect((await get(juror, "320.jpg")).status).toBe(404);
    await db().update(rounds).set({ status: "scoring" }).where(eq(rounds.id, round.id));
    expect((await get(juror, "original")).status).toBe(404);
    const jurorView = await get(juror, "320.jpg");
    expect(jurorView.status).toBe(200);
    expect(jurorView.headers.get("Content-Type")).toBe("image/jpeg");

    await db().update(entries).set({ status: "selected" }).where(eq(entries.id, entryId));
    await db().update(rounds).set({ status: "published" }).where(eq(rounds.id, round.id));
    const pub = await get(null, "1280.avif");
    expect(pub.status).toBe(200);
    expect(pub.headers.get("Content-Type")).toBe("image/avif");
    expect(pub.headers.get("Cache-Control")).toMatch(/^public/);
    expect((await get(null, "original")).status).toBe(404);
    expect((await get(null, "999.webp")).status).toBe(404);
    expect((await get(null, "../../etc")).status).toBe(404);
  });

  it("documents are PDFs served inline with nosniff, never to the public", async () => {
    const round = await districtRound();
    const s = await submitted(round);
    await submitEntry({ actorId: s.owner.id, entryId: s.entryId });
    const [e] = await db().select().from(entries).where(eq(entries.id, s.entryId));
    const docId = (e.snapshot as any).documents[0].id;
    const res = await call(fileRoute.loader, requestAs(s.owner, `/files/${docId}/document`), { mediaId: docId, file: "document" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Disposition")).toMatch(/^inline; filename="dang-ky-kinh-doanh.pdf"/);
    expect((await call(fileRoute.loader, requestAs(null, "/x"), { mediaId: docId, file: "document" })).status).toBe(404);
    expect((await call(fileRoute.loader, requestAs(s.owner, "/x"), { mediaId: docId, file: "640.webp" })).status).toBe(404);
  });
});
