/**
 * Issue 15: territory, the eligibility checklist, the lower certificate verified at screening,
 * nominations with quotas and cover letters, the processing clock, provinces of the right era.
 * Every refusal has its Vietnamese message and writes nothing.
 */
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { issueFavouriteCertificate } from "../../app/models/certificate/favourite.server";
import { ELIGIBILITY_CONDITIONS } from "../../app/models/entry/eligibility-rules";
import { saveEntryDraft, screenEntry, submitEntry } from "../../app/models/entry/entry.server";
import { saveHoliday } from "../../app/models/round/holiday.server";
import { confirmNomination } from "../../app/models/round/nomination-facility.server";
import { listLetters } from "../../app/models/round/nomination-view.server";
import { nominate, setIntakeMode, setQuota } from "../../app/models/round/nomination.server";
import { bulkInsertVotes } from "../../app/models/vote/bulk.server";
import { closePollNow, freezePoll, savePoll } from "../../app/models/vote/poll.server";
import * as ownerEntryRoute from "../../app/routes/facility.entry.$productId.$slug";
import * as screeningRoute from "../../app/routes/organizer.rounds.$slug.screening.$entryId";
import { db } from "../../app/utils/db.server";
import { certificates, entries, nominationLetters, nominations, rounds } from "../../db/schema";
import { demoChecklist, paperFromDossier } from "../../scripts/seed/demo-levels";
import { addCompleteMedia, createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { call, createTestUser, jsonOf, requestAs } from "../factories/index";
import { createPublishedRound, revokeCertificate } from "../factories/published";
import { createTestRound } from "../factories/round";

const DAY = 86400_000;

async function productIn(provinceCode: string, legacyProvinceCode: string | null = provinceCode) {
  const owner = await createTestUser();
  const { id: facilityId } = await createTestFacility(owner.id, { provinceCode, legacyProvinceCode });
  const { id: productId } = await createTestProduct(owner.id, facilityId);
  const { doc } = await addCompleteMedia(owner.id, facilityId, productId);
  return { owner, facilityId, productId, doc };
}

describe("territory", () => {
  it("a Southern facility cannot enter a Northern regional round; a facility of another province cannot enter a provincial round", async () => {
    const north = await createTestRound({ level: "region", regionCode: "BAC" });
    const south = await productIn("an-giang", "an-giang");
    await expect(saveEntryDraft({ actorId: south.owner.id, roundId: north.id, productId: south.productId })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("không tham gia được đợt"),
    });
    const province = await createTestRound({ level: "province", provinceCode: "ninh-binh", regionCode: null });
    const hanoi = await productIn("ha-noi");
    await expect(saveEntryDraft({ actorId: hanoi.owner.id, roundId: province.id, productId: hanoi.productId })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/Hà Nội.*không thuộc Ninh Bình/),
    });
    const [{ n }] = await db().select({ n: count() }).from(entries).where(eq(entries.productId, hanoi.productId));
    expect(n).toBe(0);
    // A Nam Định facility belongs to the merged Ninh Bình from 1 July 2025.
    const namDinh = await productIn("ninh-binh", "nam-dinh");
    await expect(saveEntryDraft({ actorId: namDinh.owner.id, roundId: province.id, productId: namDinh.productId })).resolves.toMatchObject({ id: expect.any(Number) });
  });

  it("before the merger the province is the 2016 one: a Nam Định facility is not in a 2016 Ninh Bình round", async () => {
    const province2016 = await createTestRound({ level: "province", provinceCode: "ninh-binh", regionCode: null, year: 2016 });
    // The opening day dates the territory: before 1 July 2025 (registration still open in the test).
    await db().update(rounds).set({ registrationOpensAt: new Date("2016-05-01T00:00:00+07:00") }).where(eq(rounds.id, province2016.id));
    const namDinh = await productIn("ninh-binh", "nam-dinh");
    await expect(saveEntryDraft({ actorId: namDinh.owner.id, roundId: province2016.id, productId: namDinh.productId })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/Nam Định.*không thuộc Ninh Bình/),
    });
    // A 2026 round named after a province that no longer exists is refused as the wrong era.
    const wrongEra = await createTestRound({ level: "province", provinceCode: "nam-dinh", regionCode: null });
    await expect(saveEntryDraft({ actorId: namDinh.owner.id, roundId: wrongEra.id, productId: namDinh.productId })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("đã sáp nhập vào Ninh Bình"),
    });
    const [{ n }] = await db().select({ n: count() }).from(entries).where(eq(entries.productId, namDinh.productId));
    expect(n).toBe(0);
  });
});

describe("eligibility checklist", () => {
  async function submittedIn(level: "district" | "province") {
    const round = await createTestRound({ level, provinceCode: "ha-noi", regionCode: null });
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const p = await productIn("ha-noi");
    const { id: entryId } = await saveEntryDraft({ actorId: p.owner.id, roundId: round.id, productId: p.productId, lowerCertificate: { serial: "X-HN-01", issuer: "UBND xã Phú Nghĩa", year: "2025" } });
    if (level === "province") {
      const { storeDocument } = await import("../../app/models/entry/media.server");
      await storeDocument({ actorId: p.owner.id, facilityId: p.facilityId, productId: p.productId, bytes: fixture("registration.pdf"), fileName: "gcn-cap-xa.pdf", docType: "earlier_certificate" });
    }
    await submitEntry({ actorId: p.owner.id, entryId });
    return { round, organizer, entryId, ...p };
  }

  it("“không đủ điều kiện” needs a failed condition; the owner sees which and why", async () => {
    const { organizer, entryId } = await submittedIn("district");
    await expect(
      screenEntry({ actorId: organizer.id, entryId, decision: "ineligible", note: "Không đạt.", checklist: demoChecklist() }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("ít nhất một điều kiện không đạt") });
    await expect(screenEntry({ actorId: organizer.id, entryId, decision: "ineligible", note: "Không đạt." })).rejects.toMatchObject({ status: 400 });
    const [e0] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(e0.status).toBe("submitted");
    expect(e0.eligibility).toBeNull();
    // "Hợp lệ" with a failed condition is refused too.
    await expect(
      screenEntry({ actorId: organizer.id, entryId, decision: "eligible", checklist: demoChecklist({ key: "series", note: "Độc bản." }) }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("không thể xác nhận hợp lệ") });
    await screenEntry({
      actorId: organizer.id,
      entryId,
      decision: "ineligible",
      note: "Sản phẩm độc bản.",
      checklist: demoChecklist({ key: "series", note: "Mỗi bức tượng chỉ làm một lần, không sản xuất hàng loạt." }),
    });
    const [e1] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(e1.status).toBe("ineligible");
    const failed = (e1.eligibility as any).conditions.filter((c: any) => !c.ok);
    expect(failed).toEqual([expect.objectContaining({ key: "series", note: expect.stringContaining("không sản xuất hàng loạt") })]);
  });

  it("the screening page: an unticked condition and “không đủ điều kiện” without a failed one are refused; the owner then sees the failed condition", async () => {
    const { round, organizer, entryId, owner, productId } = await submittedIn("district");
    const params = { slug: round.slug, entryId: String(entryId) };
    const ticks = Object.fromEntries(ELIGIBILITY_CONDITIONS.map((c) => [`c_${c.key}`, "ok"]));
    const post = (form: Record<string, string>) =>
      call(screeningRoute.action, requestAs(organizer, `/organizer/rounds/${round.slug}/screening/${entryId}`, { form }), params);
    const unticked = await jsonOf(await post({ decision: "eligible" }));
    expect(unticked.formError).toContain("Chưa đánh dấu điều kiện");
    const noFailure = await jsonOf(await post({ decision: "ineligible", note: "Không đạt.", ...ticks }));
    expect(noFailure.formError).toContain("ít nhất một điều kiện không đạt");
    const [e0] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(e0.status).toBe("submitted");
    const ok = await post({ decision: "ineligible", note: "Không đạt điều kiện sản xuất hàng loạt.", ...ticks, c_series: "fail", n_series: "Tượng độc bản." });
    expect(ok.status).toBe(302);
    const page = await jsonOf(await call(ownerEntryRoute.loader, requestAs(owner, `/facility/entry/${productId}/${round.slug}`), { productId: String(productId), slug: round.slug }));
    expect(page.entry.failedConditions).toEqual([expect.objectContaining({ key: "series", note: "Tượng độc bản." })]);
  });

  it("the lower certificate: wrong level, expired on the closing day, revoked cannot pass; a valid one does", async () => {
    const { organizer, entryId } = await submittedIn("province");
    const paper = await paperFromDossier(entryId, { level: "commune", validUntil: "2099-12-31" });
    const refuse = (p: typeof paper) => screenEntry({ actorId: organizer.id, entryId, decision: "eligible", checklist: demoChecklist(), paperCertificate: p });
    await expect(screenEntry({ actorId: organizer.id, entryId, decision: "eligible", checklist: demoChecklist() })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("Chưa xác minh Giấy chứng nhận cấp dưới"),
    });
    await expect(refuse({ ...paper, level: "region" })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("cấp liền dưới") });
    await expect(refuse({ ...paper, validUntil: "2020-12-31" })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("hết hiệu lực ngày 31/12/2020") });
    await expect(refuse({ ...paper, revoked: true })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("đã bị thu hồi") });
    const [still] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(still.status).toBe("submitted");
    expect(still.lowerCertificateCheck).toBeNull();
    await refuse(paper);
    const [passed] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(passed.status).toBe("eligible");
  });

  it("a certificate issued here and revoked cannot carry an entry (found by its serial)", async () => {
    const lower = await createPublishedRound({ level: "province", provinceCode: "ninh-binh", year: 2026, decisionDate: "2026-08-20", products: [{ name: "Chiếu cói Kim Sơn", facility: "HTX Cói Kim Sơn", province: "Ninh Bình" }] });
    const cert = lower.products[0].certificate!;
    await revokeCertificate(cert.id);
    const { organizer, entryId } = await submittedIn("province");
    const paper = await paperFromDossier(entryId, { level: "district", validUntil: "2099-12-31" });
    await expect(
      screenEntry({ actorId: organizer.id, entryId, decision: "eligible", checklist: demoChecklist(), paperCertificate: { ...paper, serial: cert.serial } }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("đã bị thu hồi") });
    await screenEntry({ actorId: organizer.id, entryId, decision: "eligible", checklist: demoChecklist(), paperCertificate: paper });
    const [e] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(e.status).toBe("eligible");
    expect(e.lowerCertificateCheck).toMatchObject({ source: "paper", level: "district", problem: null });
  });

  it("the people's-choice award's certificate of a lower round is no recognition: its serial cannot carry an entry", async () => {
    const lower = await createPublishedRound({ level: "district", provinceCode: "ha-noi", year: 2026, decisionDate: "2026-03-20", products: [{ name: "Nón lá làng Chuông", facility: "HTX Nón Chuông", province: "Hà Nội" }] });
    const { organizer, entryId } = await submittedIn("province");
    const now = Date.now();
    await savePoll({
      actorId: organizer.id,
      round: { id: lower.round.id, status: "published" },
      settings: { opensAt: new Date(now - 86_400_000), closesAt: new Date(now + 86_400_000), maxTotal: 5, maxPerEntry: 1, maxPerDay: null, showLive: true },
    });
    await bulkInsertVotes({
      roundId: lower.round.id,
      votes: [{ email: "ban.doc@example.vn", entryId: lower.products[0].entryId, castAt: new Date(now - 3_600_000), ip: "198.51.100.9", verifiedAt: new Date(now - 86_400_000) }],
    });
    await closePollNow({ actorId: organizer.id, roundId: lower.round.id });
    await freezePoll({ actorId: organizer.id, roundId: lower.round.id });
    const favourite = await issueFavouriteCertificate({ actorId: organizer.id, roundId: lower.round.id, entryId: lower.products[0].entryId });
    const paper = await paperFromDossier(entryId, { level: "district", validUntil: "2099-12-31" });
    await expect(
      screenEntry({ actorId: organizer.id, entryId, decision: "eligible", checklist: demoChecklist(), paperCertificate: { ...paper, serial: favourite.serial } }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("không phải giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu") });
    const [e] = await db().select().from(entries).where(eq(entries.id, entryId));
    expect(e.status).toBe("submitted");
  });
});

describe("nominations", () => {
  async function setting() {
    const orgRegion = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const orgProvince = await createTestUser({ roles: ["organizer"], organizerScope: { scopeProvince: "ninh-binh" } });
    const a = await productIn("ninh-binh");
    const b = await productIn("ninh-binh", "nam-dinh");
    const c = await productIn("ninh-binh");
    const lower = await createPublishedRound({
      level: "province",
      provinceCode: "ninh-binh",
      year: 2026,
      decisionDate: "2026-08-20",
      existing: [{ productId: a.productId }, { productId: b.productId }],
      products: [{ name: "Sản phẩm không đạt", facility: "HTX Không Đạt", province: "Ninh Bình", status: "not_selected", meanScore: 60 }],
    });
    const [notSelected] = lower.products.filter((p) => p.status === "not_selected");
    const higher = await createTestRound({ level: "region", regionCode: "BAC" });
    await setIntakeMode({ actorId: orgRegion.id, slug: higher.slug, mode: "nomination" });
    await setQuota({ actorId: orgRegion.id, slug: higher.slug, provinceCode: "ninh-binh", places: 2 });
    const entryOf = (productId: number) => lower.products.find((p) => p.productId === productId)!.entryId;
    const letter = (over: Partial<Parameters<typeof nominate>[0]> = {}) =>
      nominate({
        actorId: orgProvince.id,
        fromSlug: lower.round.slug,
        toSlug: higher.slug,
        entryIds: [entryOf(a.productId), entryOf(b.productId)],
        letterNo: "1234/UBND-KT",
        letterDate: "2026-09-01",
        signer: "KT. Chủ tịch – Phó Chủ tịch Trần Văn Mẫu",
        pdf: { bytes: fixture("registration.pdf"), name: "cong-van.pdf" },
        ...over,
      });
    return { orgRegion, orgProvince, a, b, c, lower, higher, notSelected, entryOf, letter };
  }

  const letterCount = async (roundId: number) => (await db().select({ n: count() }).from(nominationLetters).where(eq(nominationLetters.toRoundId, roundId)))[0].n;

  it("refuses over the quota, a product not recognised, a direct-registration round and after the deadline; writes nothing", async () => {
    const s = await setting();
    await setQuota({ actorId: s.orgRegion.id, slug: s.higher.slug, provinceCode: "ninh-binh", places: 1 });
    await expect(s.letter()).rejects.toMatchObject({ status: 400, message: expect.stringContaining("Vượt số suất") });
    await setQuota({ actorId: s.orgRegion.id, slug: s.higher.slug, provinceCode: "ninh-binh", places: 2 });
    await expect(s.letter({ entryIds: [s.notSelected.entryId] })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("không được đợt") });
    const direct = await createTestRound({ level: "region", regionCode: "BAC" });
    await expect(s.letter({ toSlug: direct.slug })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("nhận đăng ký trực tiếp") });
    await db().update(rounds).set({ registrationClosesAt: new Date(Date.now() - 1000), registrationOpensAt: new Date(Date.now() - 30 * DAY) }).where(eq(rounds.id, s.higher.id));
    await expect(s.letter()).rejects.toMatchObject({ status: 400, message: expect.stringContaining("Đã hết hạn gửi đề nghị") });
    await expect(s.letter({ letterNo: "" })).rejects.toMatchObject({ status: 400, fields: { letterNo: expect.any(String) } });
    expect(await letterCount(s.higher.id)).toBe(0);
    expect(await letterCount(direct.id)).toBe(0);
  });

  it("a facility cannot register itself in a nomination round; nominated facilities confirm without uploading; the clock runs in working days", async () => {
    const s = await setting();
    await expect(saveEntryDraft({ actorId: s.c.owner.id, roundId: s.higher.id, productId: s.c.productId })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("không nhận đăng ký trực tiếp"),
    });
    const { letterId, count: sent } = await s.letter();
    expect(sent).toBe(2);
    for (const p of [s.a, s.b]) {
      const [n] = await db().select().from(nominations).where(and(eq(nominations.toRoundId, s.higher.id), eq(nominations.productId, p.productId)));
      const done = await confirmNomination({ actorId: p.owner.id, nominationId: n.id });
      expect(done.missing).toEqual([]);
      const [e] = await db().select().from(entries).where(eq(entries.id, done.entryId));
      expect(e.status).toBe("submitted");
      // The lower certificate is the one the province issued, linked automatically.
      const [cert] = await db().select().from(certificates).where(eq(certificates.id, e.lowerCertificateId!));
      expect(cert.roundId).toBe(s.lower.round.id);
      // The snapshot names the same files (no new upload).
      expect((e.snapshot as any).documents.map((d: any) => d.id)).toContain(p.doc.id);
    }
    // Another facility's nomination is not theirs to confirm.
    const [nb] = await db().select().from(nominations).where(eq(nominations.productId, s.b.productId));
    await expect(confirmNomination({ actorId: s.a.owner.id, nominationId: nb.id })).rejects.toMatchObject({ status: 404 });
    // Over the quota now that both places are taken.
    await expect(s.letter({ letterNo: "1300/UBND-KT", entryIds: [s.entryOf(s.a.productId)] })).rejects.toMatchObject({ status: 400 });

    // The clock: 30 working days from the day the dossiers were complete, weekends and holidays skipped.
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const [letter] = await listLetters(s.higher.id, today);
    expect(letter.id).toBe(letterId);
    expect(letter.items.map((i) => i.certificateSerial)).toEqual([expect.any(String), expect.any(String)]);
    expect(letter.clock).toMatchObject({ startedOn: today, used: 0, left: 30 });
    const before = letter.clock!.dueOn;
    const nextMonday = (() => {
      const d = new Date(`${today}T00:00:00Z`);
      do d.setUTCDate(d.getUTCDate() + 1);
      while (d.getUTCDay() !== 1);
      return d.toISOString().slice(0, 10);
    })();
    await saveHoliday({ actorId: s.orgRegion.id, day: nextMonday, name: "Ngày nghỉ bù (thử)" });
    const [after] = await listLetters(s.higher.id, today);
    expect(after.clock!.dueOn > before).toBe(true);
  });

  it("a quota names the province in the list of the round's time", async () => {
    const s = await setting();
    await expect(setQuota({ actorId: s.orgRegion.id, slug: s.higher.slug, provinceCode: "nam-dinh", places: 3 })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("đã sáp nhập"),
    });
    await expect(setQuota({ actorId: s.orgRegion.id, slug: s.higher.slug, provinceCode: "an-giang", places: 3 })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("không thuộc phạm vi"),
    });
  });
});
