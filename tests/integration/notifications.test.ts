/**
 * Who hears what (issue 16 §5), beyond the owner's notices (mail.test.ts): the organiser (screening
 * queue, a pending sheet decision, a certificate batch, an integrity mismatch), the provincial
 * officer (figures returned or approved) and the juror (a sheet excluded, counted again or reopened).
 * Each notice is a row in the in-app list and an e-mail in the outbox, written in the event's
 * transaction; an optional kind turned off keeps the in-app row and sends no e-mail.
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { headerBadges } from "../../app/models/account/badges.server";
import { declareConflict } from "../../app/models/council/council.server";
import { saveEntryDraft, submitEntry } from "../../app/models/entry/entry.server";
import { loadActor, saveFigures } from "../../app/models/programme/programme.server";
import { approveFigures, returnFigures } from "../../app/models/programme/review.server";
import { checkIntegrity } from "../../app/models/results/integrity.server";
import { finaliseRound, recordDecision, reopenRound } from "../../app/models/results/results.server";
import { decideSheet, listSheetDecisions } from "../../app/models/scoring/sheet-decisions.server";
import { jobSettled, startCertificateBatch } from "../../app/models/shared/jobs.server";
import { markRead, saveEmailPreferences } from "../../app/models/shared/notification.server";
import * as root from "../../app/root";
import * as provincePage from "../../app/routes/organizer.programme.$province";
import { db } from "../../app/utils/db.server";
import { invitations, notifications, outbox, scoreSheets } from "../../db/schema";
import { call, createTestUser, jsonOf, requestAs, toastOf } from "../factories";
import { createOfficer, createTestDecision } from "../factories/commendation";
import { addCompleteMedia, createTestFacility, createTestProduct } from "../factories/facility";
import { officers } from "../factories/programme";
import { createTestRound as createOpenRound } from "../factories/round";
import { createOrganizer, scoringRound, submitSheet } from "../factories/scoring";
import { asOwner } from "../setup/db";

const inApp = (userId: string, kind: string) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)))
    .orderBy(notifications.id);
const mails = (email: string, kind: string) =>
  db()
    .select()
    .from(outbox)
    .where(and(eq(outbox.recipient, email), eq(outbox.kind, kind)))
    .orderBy(outbox.id);

async function submittedDossier(roundId: number) {
  const owner = await createTestUser();
  const { id: facilityId } = await createTestFacility(owner.id, { provinceCode: "ninh-binh", legacyProvinceCode: "ninh-binh" });
  const { id: productId } = await createTestProduct(owner.id, facilityId);
  await addCompleteMedia(owner.id, facilityId, productId);
  const { id } = await saveEntryDraft({ actorId: owner.id, roundId, productId });
  return submitEntry({ actorId: owner.id, entryId: id });
}

describe("organiser", () => {
  it("hears that the screening queue has work: one notice until read, none outside their scope", async () => {
    const organizer = await createOrganizer();
    const elsewhere = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } });
    const round = await createOpenRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const first = await submittedDossier(round.id);
    await submittedDossier(round.id);
    const list = await inApp(organizer.id, "screening_waiting");
    expect(list).toEqual([
      expect.objectContaining({
        title: `Hồ sơ chờ thẩm định — đợt “${round.title}”`,
        link: `/organizer/rounds/${round.slug}/screening`,
        readAt: null,
      }),
    ]);
    expect(list[0].body).toContain(first.code);
    expect(await mails(organizer.email, "screening_waiting")).toHaveLength(1);
    expect(await inApp(elsewhere.id, "screening_waiting")).toHaveLength(0);
    // Read, the next dossier brings a new notice.
    await markRead({ userId: organizer.id });
    await submittedDossier(round.id);
    expect(await inApp(organizer.id, "screening_waiting")).toHaveLength(2);
  });

  it("hears of a pending sheet decision; the juror hears the decision on their sheet, with its reason", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 2 });
    const [entry] = ctx.entries;
    for (const j of ctx.jurors) await submitSheet({ roundId: ctx.round.id, entryId: entry.id, jurorId: j.id, total: 70 });
    await declareConflict({ jurorId: ctx.jurors[0].id, entryId: entry.id, reason: "Người thân làm ở cơ sở" });
    const [pending] = await inApp(ctx.organizer.id, "sheet_decision");
    expect(pending).toMatchObject({
      title: `Phiếu chấm cần quyết định — đợt “${ctx.round.title}”`,
      link: `/organizer/rounds/${ctx.round.slug}/results`,
    });
    expect((await mails(ctx.organizer.email, "sheet_decision"))[0].subject).toBe(
      `Phiếu chấm cần quyết định — đợt “${ctx.round.title}” — CNNT Tiêu biểu`,
    );
    const [item] = (await listSheetDecisions(ctx.round.id)).filter((d) => d.status === "pending");
    // Kept as it is: the juror's sheet did not change, nothing to tell them.
    expect(await inApp(ctx.jurors[0].id, "sheet_reopened")).toHaveLength(0);
    await decideSheet({
      roundId: ctx.round.id,
      decisionId: item.id,
      actorId: ctx.organizer.id,
      apply: true,
      reason: "Hội đồng xác nhận quan hệ họ hàng",
    });
    const [told] = await inApp(ctx.jurors[0].id, "sheet_reopened");
    expect(told).toMatchObject({ title: `Phiếu chấm hồ sơ ${entry.code} không được tính`, link: `/jury/entries/${entry.id}` });
    expect(told.body).toContain("Hội đồng xác nhận quan hệ họ hàng");
    expect(await mails(ctx.jurors[0].email, "sheet_reopened")).toHaveLength(1);
    expect(await inApp(ctx.jurors[1].id, "sheet_reopened")).toHaveLength(0);
  });

  it("hears that a certificate batch finished (the officer who started it too)", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, issue: true });
    const { job } = await startCertificateBatch({ target: { type: "decision", id: d.id }, actorId: officer.id });
    expect((await jobSettled(job.id)).status).toBe("done");
    const [done] = await inApp(officer.id, "batch_finished");
    expect(done).toMatchObject({
      title: `Đã phát hành xong Bằng khen của quyết định ${d.number}`,
      link: `/ministry/decisions/${d.id}`,
    });
    expect(await mails(officer.email, "batch_finished")).toHaveLength(1);
  });

  it("hears of an integrity mismatch once, though the daily check finds it every day", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 2 });
    for (const j of ctx.jurors)
      await submitSheet({ roundId: ctx.round.id, entryId: ctx.entries[0].id, jurorId: j.id, total: 75 });
    await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    await checkIntegrity({ source: "daily" });
    expect(await inApp(ctx.organizer.id, "integrity_mismatch")).toHaveLength(0);
    await asOwner(async (owner) => {
      await owner.execute(sql`alter table score_sheets disable trigger user`);
      await owner.execute(sql`update score_sheets set total = 95 where round_id = ${ctx.round.id}`);
      await owner.execute(sql`alter table score_sheets enable trigger user`);
    }, db());
    await checkIntegrity({ source: "daily" });
    await checkIntegrity({ source: "daily" });
    const list = await inApp(ctx.organizer.id, "integrity_mismatch");
    expect(list).toEqual([
      expect.objectContaining({
        title: `Sai lệch kiểm tra toàn vẹn — đợt “${ctx.round.title}”`,
        link: `/organizer/rounds/${ctx.round.slug}/results`,
      }),
    ]);
    expect(await mails(ctx.organizer.email, "integrity_mismatch")).toHaveLength(1);
  });
});

describe("juror", () => {
  it("hears that a reopening sent their sheet back to draft, with the reason", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 2 });
    const [entry] = ctx.entries;
    for (const j of ctx.jurors) await submitSheet({ roundId: ctx.round.id, entryId: entry.id, jurorId: j.id, total: 75 });
    await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    await recordDecision({
      roundId: ctx.round.id,
      actorId: ctx.organizer.id,
      decisionNo: "14/QĐ-CNĐP",
      decisionDate: "2026-10-01",
      decisionSigner: "Ngô Quang Trung",
    });
    const [sheet] = await db()
      .select()
      .from(scoreSheets)
      .where(and(eq(scoreSheets.entryId, entry.id), eq(scoreSheets.jurorId, ctx.jurors[1].id)));
    await reopenRound({
      roundId: ctx.round.id,
      actorId: ctx.organizer.id,
      reason: "Giám khảo nhập nhầm điểm tiêu chí 2",
      sheetIds: [sheet.id],
    });
    const [told] = await inApp(ctx.jurors[1].id, "sheet_reopened");
    expect(told).toMatchObject({ title: `Phiếu chấm hồ sơ ${entry.code} được mở lại`, link: `/jury/entries/${entry.id}` });
    expect(told.body).toContain("Giám khảo nhập nhầm điểm tiêu chí 2");
    expect(await mails(ctx.jurors[1].email, "sheet_reopened")).toHaveLength(1);
    expect(await inApp(ctx.jurors[0].id, "sheet_reopened")).toHaveLength(0);
  });
});

describe("provincial officer", () => {
  const period = { year: 2018, periodMonths: 12 };
  const path = `/organizer/programme/ninh-binh?year=${period.year}&period=${period.periodMonths}`;
  async function submitted() {
    const officer = await officers.ninhBinh();
    const regional = await officers.north();
    await saveFigures({
      actor: await loadActor(officer.id),
      ...period,
      rows: [{ indicatorCode: "DAO_TAO_NGHE", provinceCode: "ninh-binh", plan: 100, actual: 90 }],
      submit: true,
    });
    return { officer, regional };
  }

  it("hears that the figures were returned for correction, with the comment; a comment is required", async () => {
    const { officer, regional } = await submitted();
    const form = { intent: "return", year: String(period.year), periodMonths: String(period.periodMonths) };
    const bare = await call(provincePage.action, requestAs(regional, path, { form: { ...form, comment: "sai" } }), {
      province: "ninh-binh",
    });
    expect(bare.status).toBe(400);
    expect((await jsonOf(bare)).fields.comment).toBe("Ghi điều cần sửa.");
    // The provincial officer cannot return figures to themselves.
    await expect(
      returnFigures({
        actor: await loadActor(officer.id),
        provinceCode: "ninh-binh",
        ...period,
        comment: "Tự trả lại số liệu của mình",
      }),
    ).rejects.toMatchObject({ status: 403 });
    const res = await call(
      provincePage.action,
      requestAs(regional, path, { form: { ...form, comment: "Số học viên thực hiện lệch với báo cáo quý." } }),
      { province: "ninh-binh" },
    );
    expect(await toastOf(res)).toMatchObject({ message: "Đã trả lại 1 số liệu để tỉnh sửa." });
    const [told] = await inApp(officer.id, "figures_reviewed");
    expect(told.title).toBe("Số liệu khuyến công Ninh Bình kỳ 12 tháng năm 2018 bị trả lại để sửa");
    expect(told.body).toContain("Số học viên thực hiện lệch với báo cáo quý.");
    expect(told.link).toBe(path);
    expect(await mails(officer.email, "figures_reviewed")).toHaveLength(1);
    // Back to a draft: nothing waits for approval until the officer sends it again.
    await expect(
      approveFigures({ actor: await loadActor(regional.id), provinceCode: "ninh-binh", ...period }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("hears of an approval in the app; with that e-mail turned off, no e-mail", async () => {
    const { officer, regional } = await submitted();
    await saveEmailPreferences({ userId: officer.id, enabled: [] });
    await approveFigures({ actor: await loadActor(regional.id), provinceCode: "ninh-binh", ...period });
    const [told] = await inApp(officer.id, "figures_reviewed");
    expect(told.title).toBe("Số liệu khuyến công Ninh Bình kỳ 12 tháng năm 2018 đã được duyệt");
    expect(await mails(officer.email, "figures_reviewed")).toHaveLength(0);
    // The approver is not told about their own act.
    expect(await inApp(regional.id, "figures_reviewed")).toHaveLength(0);
  });
});

describe("the signed-in header's badges (one statement: app/models/account/badges.server.ts)", () => {
  it("count the user's own unread notices and the pending invitations to their address, nothing else", async () => {
    const user = await createTestUser({ email: `Badge.${Date.now()}@Example.vn` });
    const other = await createTestUser();
    const notice = { kind: "entry_received", title: "Hồ sơ đã được tiếp nhận", body: "Nội dung" };
    await db().insert(notifications).values([
      { ...notice, userId: user.id },
      { ...notice, userId: user.id },
      { ...notice, userId: user.id, readAt: new Date() },
      { ...notice, userId: other.id },
    ]);
    const day = 86_400_000;
    const invitation = (email: string, extra: Partial<typeof invitations.$inferInsert> = {}) => ({
      kind: "facility" as const,
      email,
      tokenHash: `badge-${Math.random().toString(36).slice(2)}`,
      expiresAt: new Date(Date.now() + day),
      ...extra,
    });
    await db().insert(invitations).values([
      // To the same address in other letter case: pending, counted.
      invitation(user.email.toUpperCase()),
      invitation(user.email, { acceptedAt: new Date() }),
      invitation(user.email, { revokedAt: new Date() }),
      invitation(user.email, { declinedAt: new Date() }),
      invitation(user.email, { expiresAt: new Date(Date.now() - day) }),
      invitation(other.email),
    ]);
    const data = await jsonOf<{ user: { unread: number; invitations: number } }>(await call(root.loader, requestAs(user, "/")));
    expect(data.user).toMatchObject({ unread: 2, invitations: 1 });
    const theirs = await jsonOf<{ user: { unread: number; invitations: number } }>(await call(root.loader, requestAs(other, "/")));
    expect(theirs.user).toMatchObject({ unread: 1, invitations: 1 });
    // The same counts read alone (a request whose user was read without them).
    expect(await headerBadges(user)).toEqual({ unread: 2, invitations: 1 });
    expect(await headerBadges(other)).toEqual({ unread: 1, invitations: 1 });
    await markRead({ userId: user.id });
    expect((await jsonOf<{ user: { unread: number } }>(await call(root.loader, requestAs(user, "/")))).user.unread).toBe(0);
  });
});
