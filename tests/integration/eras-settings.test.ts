/**
 * Issue 15 §6–7: both eras of provinces for commendations and programme figures, the post-2025
 * region as editable reference data, and the unconfirmed rules as per-round settings (score step,
 * disagreement threshold, the same-product conflict) and reference data (certificate validity regime).
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { addRecipients, createDecision, getDecision, issueDecision } from "../../app/models/commendation/commendation.server";
import { importRecipients } from "../../app/models/commendation/recipient-import.server";
import { refreshAutomaticConflicts } from "../../app/models/council/council.server";
import { loadActor, saveFigures } from "../../app/models/programme/programme.server";
import { getRegionReport } from "../../app/models/programme/report.server";
import { computeResults } from "../../app/models/results/results.server";
import { updateRound } from "../../app/models/round/round.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { updateProvinceUnit } from "../../app/models/shared/province-units.server";
import * as apiCertificate from "../../app/routes/api.v1.certificates.$code";
import { DecisionSchema } from "../../app/schemas/commendation";
import { roundUpdateSchema } from "../../app/schemas/round";
import { db } from "../../app/utils/db.server";
import { isAppError } from "../../app/utils/errors";
import { seedReference } from "../../db/reference";
import { auditEvents, certificates, commendationRecipients, conflicts, entries, programmeFigures, provinces2025, rounds } from "../../db/schema";
import { createOfficer, csvFile, decisionForm } from "../factories/commendation";
import { BASE, call, jsonOf } from "../factories/index";
import { officers } from "../factories/programme";
import { createPublishedRound } from "../factories/published";
import { pointsForTotal, scoringRound, submitSheet } from "../factories/scoring";

const ACHIEVEMENT = "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2022–2025";

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error.message;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function draftDecision(signedOn: string) {
  const officer = await createOfficer();
  const decision = await createDecision({ data: DecisionSchema.parse(decisionForm({ signedOn, periodFrom: "2022", periodTo: "2025" })), actorId: officer.id });
  return { officer, decision };
}

const recipient = (provinceCode: string | null, name = "Trung tâm Khuyến công tỉnh") => ({
  kind: "collective" as const,
  honorific: null,
  name,
  position: "",
  organization: "",
  provinceCode,
  achievement: ACHIEVEMENT,
});

const settingsOf = (round: typeof rounds.$inferSelect, overrides: Record<string, string> = {}) =>
  roundUpdateSchema.parse({
    title: round.title,
    year: String(round.year),
    registrationOpensAt: "2026-01-01T08:00",
    registrationClosesAt: "2026-03-01T17:00",
    scoringClosesAt: "2099-12-31T17:00",
    passMark: String(Number(round.passMark)),
    quota: round.quota ? String(round.quota) : "",
    jurorsPerEntry: round.jurorsPerEntry ? String(round.jurorsPerEntry) : "",
    scoreStep: String(Number(round.scoreStep)),
    disagreementSpread: String(Number(round.disagreementSpread)),
    conflictSameProduct: round.conflictSameProduct ? "on" : "",
    authority: round.authority,
    ...overrides,
  });

describe("commendation recipients name their province in the era of the decision", () => {
  it("refuses a 2025 unit on a 2016 decision and an old province on a 2026 one, writing nothing", async () => {
    const old = await draftDecision("2016-10-07");
    // "hue" exists only since 2025 (Thừa Thiên Huế before).
    expect(await refusal(addRecipients({ decisionId: old.decision.id, recipients: [recipient("hue")], actorId: old.officer.id }))).toMatch(
      /“Huế” là đơn vị hành chính từ ngày 01\/07\/2025; ngày 07\/10\/2016 phải dùng tỉnh, thành phố trước sáp nhập/,
    );
    const recent = await draftDecision("2026-03-02");
    expect(
      await refusal(addRecipients({ decisionId: recent.decision.id, recipients: [recipient("ninh-binh"), recipient("ha-nam", "Sở Công Thương Hà Nam")], actorId: recent.officer.id })),
    ).toMatch(/Sở Công Thương Hà Nam: Tỉnh “Hà Nam” đã sáp nhập vào Ninh Bình từ ngày 01\/07\/2025/);
    const written = await db().select().from(commendationRecipients).where(eq(commendationRecipients.decisionId, recent.decision.id));
    expect(written).toEqual([]);
  });

  it("reads the import's province names in the decision's list: “Hà Nam” is refused in 2026, “Huế” is Thừa Thiên Huế in March 2025", async () => {
    const recent = await draftDecision("2026-03-02");
    const row = (province: string) => ["Tập thể", "Trung tâm Khuyến công", "", "", province, ACHIEVEMENT];
    const file = csvFile([row("Ninh Bình"), row("Hà Nam")]);
    const refused = await importRecipients({ decisionId: recent.decision.id, file: { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, actorId: recent.officer.id });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toContain("Tỉnh “Hà Nam” đã sáp nhập vào Ninh Bình từ ngày 01/07/2025");
    expect(await db().select().from(commendationRecipients).where(eq(commendationRecipients.decisionId, recent.decision.id))).toEqual([]);

    const spring = await draftDecision("2025-03-20");
    const hue = csvFile([row("Huế")]);
    const ok = await importRecipients({ decisionId: spring.decision.id, file: { name: hue.name, bytes: new Uint8Array(await hue.arrayBuffer()) }, actorId: spring.officer.id });
    expect(ok.ok).toBe(true);
    const { recipients } = await getDecision(spring.decision.id);
    expect(recipients.map((r) => [r.provinceCode, r.provinceName])).toEqual([["thua-thien-hue", "Huế"]]);
  });

  it("prints the merged unit on a 2026 Bằng khen and the old province on a 2016 one", async () => {
    const recent = await draftDecision("2026-03-02");
    await addRecipients({ decisionId: recent.decision.id, recipients: [recipient("ninh-binh")], actorId: recent.officer.id });
    await issueDecision({ id: recent.decision.id, actorId: recent.officer.id });
    const old = await draftDecision("2016-10-07");
    await addRecipients({ decisionId: old.decision.id, recipients: [recipient("ha-nam")], actorId: old.officer.id });
    await issueDecision({ id: old.decision.id, actorId: old.officer.id });
    const subjects = await db().select({ subject: certificates.subject, decisionDate: certificates.decisionDate }).from(certificates).where(eq(certificates.kind, "merit"));
    const byDate = Object.fromEntries(subjects.map((s) => [s.decisionDate, (s.subject as { provinceName: string }).provinceName]));
    expect(byDate["2026-03-02"]).toBe("Ninh Bình");
    expect(byDate["2016-10-07"]).toBe("Hà Nam");
  });

  it("refuses moving a draft's date across the merger when its recipients name the other list", async () => {
    const old = await draftDecision("2016-10-07");
    await addRecipients({ decisionId: old.decision.id, recipients: [recipient("ha-nam")], actorId: old.officer.id });
    const { updateDecision } = await import("../../app/models/commendation/commendation.server");
    const message = await refusal(updateDecision({ id: old.decision.id, data: DecisionSchema.parse(decisionForm({ signedOn: "2026-01-05" })), actorId: old.officer.id }));
    expect(message).toMatch(/Đổi ngày ký làm danh sách sai thời kỳ tỉnh.*Hà Nam/);
  });
});

describe("programme figures name their province in the era of their period", () => {
  it("refuses an old province for 2026 and a 2025 unit for 2016, writing nothing", async () => {
    const north = await loadActor((await officers.north()).id);
    const row = (provinceCode: string) => ({ indicatorCode: "DAO_TAO_NGHE", provinceCode, plan: 100, actual: 80 });
    expect(await refusal(saveFigures({ actor: north, year: 2026, periodMonths: 12, rows: [row("ninh-binh"), row("ha-nam")] }))).toMatch(
      /Số liệu kỳ 12 tháng năm 2026: Tỉnh “Hà Nam” đã sáp nhập vào Ninh Bình từ ngày 01\/07\/2025/,
    );
    // 6 months of 2025 end on 30 June: still the 63 provinces.
    expect(await refusal(saveFigures({ actor: north, year: 2025, periodMonths: 6, rows: [row("hung-yen"), row("hue")] }))).toMatch(/“Huế” là đơn vị hành chính từ ngày 01\/07\/2025/);
    expect(await db().select().from(programmeFigures)).toEqual([]);
    await saveFigures({ actor: north, year: 2026, periodMonths: 12, rows: [row("ninh-binh")] });
    await saveFigures({ actor: north, year: 2025, periodMonths: 9, rows: [row("phu-tho")] });
    expect((await db().select().from(programmeFigures)).length).toBe(2);
  });

  it("groups the old provinces under their successor on request", async () => {
    const figure = (provinceCode: string, plan: number, actual: number) => ({
      indicatorCode: "DAO_TAO_NGHE",
      provinceCode,
      year: 2024,
      periodMonths: 12,
      plan: String(plan),
      actual: String(actual),
      status: "approved" as const,
    });
    await db().insert(programmeFigures).values([figure("ninh-binh", 100, 90), figure("ha-nam", 50, 40), figure("nam-dinh", 70, 70), figure("ha-noi", 10, 5)]);
    const byEra = await getRegionReport({ year: 2024, periodMonths: 12, regionSlug: "bac" });
    const line = byEra.indicators.find((i) => i.code === "DAO_TAO_NGHE")!;
    expect(byEra.provinceList).toBe("2016");
    expect(line.byPlace.find((p) => p.code === "ha-nam")).toMatchObject({ plan: 50, actual: 40 });
    const merged = await getRegionReport({ year: 2024, periodMonths: 12, regionSlug: "bac", grouping: "successor" });
    const mline = merged.indicators.find((i) => i.code === "DAO_TAO_NGHE")!;
    expect(merged.provinceList).toBe("2025");
    expect(mline.byPlace.find((p) => p.code === "ninh-binh")).toMatchObject({ name: "Ninh Bình", plan: 220, actual: 200 });
    expect(mline.byPlace.some((p) => p.code === "ha-nam")).toBe(false);
    expect(mline.byPlace.length).toBe(merged.indicators.length ? mline.byPlace.length : 0);
    expect([line.plan, line.actual]).toEqual([mline.plan, mline.actual]);
  });
});

describe("the region of each post-2025 unit is reference data an admin edits", () => {
  it("moves Lâm Đồng to the South, audited, and a later reference load keeps the edit", async () => {
    const admin = await officers.north();
    const [before] = await db().select().from(provinces2025).where(eq(provinces2025.code, "lam-dong"));
    expect(before.regionCode).toBe("TRUNG_TN");
    await updateProvinceUnit({ actorId: admin.id, data: { code: "lam-dong", regionCode: "NAM", isCity: false } });
    await seedReference(db());
    const [after] = await db().select().from(provinces2025).where(eq(provinces2025.code, "lam-dong"));
    expect(after.regionCode).toBe("NAM");
    const audit = await db().select().from(auditEvents).where(eq(auditEvents.action, "reference.province_unit.update"));
    expect(audit.map((a) => [a.entityId, a.before, a.after])).toEqual([["lam-dong", { regionCode: "TRUNG_TN", isCity: false }, { regionCode: "NAM", isCity: false }]]);
    // The report of 2026 now lists Lâm Đồng in the South.
    await db().insert(programmeFigures).values({ indicatorCode: "DAO_TAO_NGHE", provinceCode: "lam-dong", year: 2026, periodMonths: 12, plan: "10", actual: "9", status: "approved" });
    const south = await getRegionReport({ year: 2026, periodMonths: 12, regionSlug: "nam" });
    expect(south.indicators[0].byPlace.find((p) => p.code === "lam-dong")).toMatchObject({ plan: 10, actual: 9 });
  });
});

describe("rules that are unconfirmed are per-round settings with today's value as default", () => {
  it("scores in the round's step: 7,5 is accepted at 0,5 and refused at 1", async () => {
    const { round, jurors, entries: list, organizer } = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const points = await pointsForTotal(round.id, 70.5);
    await saveScoreSheet({ jurorId: jurors[0].id, entryId: list[0].id, points, submit: false });
    // Scoring has started: the step is frozen like the pass mark.
    await db().update(rounds).set({ status: "screening" }).where(eq(rounds.id, round.id));
    const [r] = await db().select().from(rounds).where(eq(rounds.id, round.id));
    await updateRound({ actorId: organizer.id, roundId: round.id, data: settingsOf(r, { scoreStep: "1" }) });
    await db().update(rounds).set({ status: "scoring" }).where(eq(rounds.id, round.id));
    const message = await refusal(saveScoreSheet({ jurorId: jurors[0].id, entryId: list[0].id, points, submit: false }));
    expect(message).toMatch(/bước 1 điểm/);
    const [again] = await db().select().from(rounds).where(eq(rounds.id, round.id));
    expect(await refusal(updateRound({ actorId: organizer.id, roundId: round.id, data: settingsOf(again, { scoreStep: "0.5" }) }))).toMatch(
      /bước chấm điểm chỉ được sửa trước khi bắt đầu chấm điểm/,
    );
  });

  it("flags a disagreement at the round's threshold (20 by default)", async () => {
    const { round, jurors, entries: list, organizer } = await scoringRound({ entryCount: 1, jurorCount: 2 });
    await submitSheet({ roundId: round.id, entryId: list[0].id, jurorId: jurors[0].id, total: 70 });
    await submitSheet({ roundId: round.id, entryId: list[0].id, jurorId: jurors[1].id, total: 85 });
    expect((await computeResults({ roundId: round.id })).entries[0].disagreement).toBe(false);
    const [r] = await db().select().from(rounds).where(eq(rounds.id, round.id));
    await updateRound({ actorId: organizer.id, roundId: round.id, data: settingsOf(r, { disagreementSpread: "15" }) });
    expect((await computeResults({ roundId: round.id })).entries[0].disagreement).toBe(true);
  });

  it("refuses a step other than 0,5 or 1 and a threshold out of range", () => {
    const parsed = roundUpdateSchema.safeParse({ ...settingsShape(), scoreStep: "0.25", disagreementSpread: "0" });
    expect(parsed.success).toBe(false);
    const messages = parsed.success ? [] : parsed.error.issues.map((i) => i.message);
    expect(messages).toContain("Bước chấm điểm là 0,5 hoặc 1 điểm.");
    expect(messages).toContain("Ngưỡng chênh lệch là số điểm lớn hơn 0 và tối đa 100 (ví dụ 20).");
  });

  it("keeps a juror who scored the same product in another round only when the round chooses it (default off)", async () => {
    const lower = await scoringRound({ entryCount: 1, jurorCount: 1 });
    await submitSheet({ roundId: lower.round.id, entryId: lower.entries[0].id, jurorId: lower.jurors[0].id, total: 80 });
    const higher = await scoringRound({ entryCount: 1, jurorCount: 1 });
    // The same product enters the higher round, and the lower round's juror sits on its council.
    await db().update(entries).set({ productId: lower.entries[0].productId }).where(eq(entries.id, higher.entries[0].id));
    const { saveCouncilMember } = await import("../../app/models/council/council.server");
    await db().update(rounds).set({ status: "screening" }).where(eq(rounds.id, higher.round.id));
    await saveCouncilMember({ roundId: higher.round.id, actorId: higher.organizer.id, email: lower.jurors[0].email, role: "member", groupNos: [] });
    await refreshAutomaticConflicts({ roundId: higher.round.id });
    const sameProduct = () =>
      db()
        .select()
        .from(conflicts)
        .where(and(eq(conflicts.roundId, higher.round.id), eq(conflicts.userId, lower.jurors[0].id), eq(conflicts.entryId, higher.entries[0].id)));
    expect(await sameProduct()).toEqual([]);
    const [r] = await db().select().from(rounds).where(eq(rounds.id, higher.round.id));
    expect(r.conflictSameProduct).toBe(false);
    await updateRound({ actorId: higher.organizer.id, roundId: higher.round.id, data: settingsOf(r, { conflictSameProduct: "on" }) });
    expect((await sameProduct()).map((c) => c.reason)).toEqual([`Đã chấm sản phẩm này ở đợt ${lower.round.title}`]);
  });
});

function settingsShape() {
  return {
    title: "Bình chọn sản phẩm CNNT tiêu biểu thử nghiệm",
    year: "2026",
    registrationOpensAt: "2026-01-01T08:00",
    registrationClosesAt: "2026-03-01T17:00",
    scoringClosesAt: "2099-12-31T17:00",
    passMark: "70",
    authority: "Cục Công nghiệp địa phương – Bộ Công Thương",
  };
}

describe("a product certificate names the validity rule its date came from", () => {
  it("dates a 2016 certificate by the 2014 regime (unconfirmed) and a 2026 one by the 2025 regime", async () => {
    const old = await createPublishedRound({ year: 2016, products: [{ name: "Miến dong", facility: "HTX Miến dong", province: "Bắc Kạn" }] });
    const recent = await createPublishedRound({ year: 2026, decisionDate: "2026-08-14", products: [{ name: "Chè xanh", facility: "HTX Chè 2", province: "Thái Nguyên" }] });
    const rule = async (id: number) => (await db().select().from(certificates).where(eq(certificates.id, id)))[0];
    const c16 = await rule(old.products[0].certificate!.id);
    const c26 = await rule(recent.products[0].certificate!.id);
    expect([c16.validityRule, c16.validUntil]).toEqual(["TT26_2014", "2019-12-31"]);
    expect([c26.validityRule, c26.validUntil]).toEqual(["TT38_2025", "2029-12-31"]);
    const api = await jsonOf(await call(apiCertificate.loader, new Request(`${BASE}/api/v1/certificates/${c16.code}`), { code: c16.code }));
    expect(api.validityRule).toBe("TT26_2014");
  });
});
