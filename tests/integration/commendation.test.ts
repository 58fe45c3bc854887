import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { createMeritCertificates } from "../../app/models/certificate/certificate.server";
import { issueDecision, revokeRecipient } from "../../app/models/commendation/commendation.server";
import { jobSettled } from "../../app/models/shared/jobs.server";
import * as apiCertificate from "../../app/routes/api.v1.certificates.$code";
import * as home from "../../app/routes/ministry._index";
import * as decisionRoute from "../../app/routes/ministry.decisions.$id";
import * as jobRoute from "../../app/routes/ministry.jobs.$id";
import { db, rowsOf } from "../../app/utils/db.server";
import { auditEvents, certificates, commendationDecisions, commendationRecipients } from "../../db/schema";
import { createOfficer, createTestDecision, decisionForm, SAMPLE_RECIPIENTS } from "../factories/commendation";
import { call, confirmed, createTestUser, jsonOf, requestAs, toastOf } from "../factories/index";

const post = (user: { cookie: string } | null, id: number, form: Record<string, string | number>) =>
  call(decisionRoute.action, requestAs(user, `/ministry/decisions/${id}`, { form }), { id: String(id) });

describe("commendation decisions", () => {
  it("creates a draft decision and lists it; the number is normalised to the official form", async () => {
    const officer = await createOfficer();
    const res = await call(home.action, requestAs(officer, "/ministry", { form: { intent: "create", ...decisionForm({ number: "Số: 2345/qd-bct" }) } }));
    expect(res.status).toBe(302);
    const id = Number(res.headers.get("Location")!.split("/").pop());
    const [row] = await db().select().from(commendationDecisions).where(eq(commendationDecisions.id, id));
    expect(row).toMatchObject({ number: "2345/QĐ-BCT", status: "draft", periodFrom: 2013, periodTo: 2015, signerName: "Trần Tuấn Anh" });
    const list = await jsonOf(await call(home.loader, requestAs(officer, "/ministry")));
    expect(list.decisions.map((d: { number: string }) => d.number)).toContain("2345/QĐ-BCT");
  });

  it("refuses a number in the wrong form and a number already used, in Vietnamese, writing nothing", async () => {
    const officer = await createOfficer();
    const before = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from commendation_decisions`))[0].n;
    for (const number of ["1234/QĐ-UBND", "QĐ-BCT/1234", "abc", "123456/QĐ-BCT", ""]) {
      const res = await call(home.action, requestAs(officer, "/ministry", { form: { intent: "create", ...decisionForm({ number }) } }));
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).fields.number).toMatch(/1234\/QĐ-BCT|Nhập số/);
    }
    await call(home.action, requestAs(officer, "/ministry", { form: { intent: "create", ...decisionForm({ number: "777/QĐ-BCT" }) } }));
    const dup = await call(home.action, requestAs(officer, "/ministry", { form: { intent: "create", ...decisionForm({ number: "777/QD-BCT" }) } }));
    expect(dup.status).toBe(409);
    expect((await jsonOf(dup)).formError).toMatch(/777\/QĐ-BCT đã được dùng/);
    const after = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from commendation_decisions`))[0].n;
    expect(after).toBe(before + 1);
  });

  it("refuses bad fields: period backwards, emoji and 500-character names", async () => {
    const officer = await createOfficer();
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ periodFrom: "2015", periodTo: "2013" }, "periodTo", /Năm kết thúc/],
      [{ signerName: "Trần Tuấn Anh 🎉" }, "signerName", /emoji/],
      [{ signerName: "A".repeat(500) }, "signerName", /dài 500 ký tự/],
      [{ signedOn: "07/10/2016" }, "signedOn", /Ngày ký/],
    ];
    for (const [over, field, message] of cases) {
      const res = await call(home.action, requestAs(officer, "/ministry", { form: { intent: "create", ...decisionForm(over) } }));
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).fields[field]).toMatch(message);
    }
  });

  it("edits a draft, adds and removes recipients one by one, and refuses a 500-character or emoji name", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: [] });
    const upd = await post(officer, d.id, { intent: "update", ...decisionForm({ number: `${d.number.split("/")[0]}/QĐ-BCT`, reason: "Lý do mới" }) });
    expect((await toastOf(upd)).message).toBe("Đã lưu quyết định.");
    const add = await post(officer, d.id, { intent: "add", kind: "individual", name: "Phạm Thị Ngọc Ánh", position: "Chuyên viên", organization: "Sở Công Thương Hà Nam", provinceCode: "", achievement: "Thành tích xuất sắc" });
    expect(await toastOf(add)).toMatchObject({ message: "Đã thêm “Phạm Thị Ngọc Ánh”.", location: `/ministry/decisions/${d.id}` });
    for (const [name, message] of [["X".repeat(500), /dài 500 ký tự/], ["Đơn vị 🏭", /emoji/]] as const) {
      const bad = await post(officer, d.id, { intent: "add", kind: "collective", name, achievement: "x" });
      expect(bad.status).toBe(400);
      expect((await jsonOf(bad)).fields.name).toMatch(message);
    }
    const page = await jsonOf(await call(decisionRoute.loader, requestAs(officer, `/ministry/decisions/${d.id}`), { id: String(d.id) }));
    expect(page.decision.reason).toBe("Lý do mới");
    expect(page.recipients).toHaveLength(1);
    const rm = await post(officer, d.id, { intent: "remove", recipientId: page.recipients[0].id });
    expect((await toastOf(rm)).message).toBe("Đã xóa người nhận khỏi danh sách.");
    expect((await jsonOf(await call(decisionRoute.loader, requestAs(officer, `/ministry/decisions/${d.id}`), { id: String(d.id) }))).recipients).toHaveLength(0);
  });

  it("flags duplicates within a decision", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: [...SAMPLE_RECIPIENTS, { ...SAMPLE_RECIPIENTS[1], name: "NGUYEN THI HUONG" }] });
    const page = await jsonOf(await call(decisionRoute.loader, requestAs(officer, `/ministry/decisions/${d.id}`), { id: String(d.id) }));
    expect(page.recipients.map((r: { duplicate: boolean }) => r.duplicate)).toEqual([false, true, false, true]);
  });

  it("issues: certificates of merit BK-<year>-0001… in the decision's order, no expiry; then read-only", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id });
    const res = await post(officer, d.id, confirmed({ intent: "issue" }));
    expect(res.status).toBe(302);
    const jobId = Number(res.headers.get("Location")!.split("/").pop());
    expect((await jobSettled(jobId)).status).toBe("done");
    const certs = await db()
      .select({ serial: certificates.serial, code: certificates.code, validUntil: certificates.validUntil, kind: certificates.kind, name: certificates.subjectName, pdfKey: certificates.pdfKey })
      .from(certificates)
      .innerJoin(commendationRecipients, eq(commendationRecipients.id, certificates.recipientId))
      .where(eq(commendationRecipients.decisionId, d.id))
      .orderBy(asc(commendationRecipients.ordinal));
    expect(certs.map((c) => c.name)).toEqual(SAMPLE_RECIPIENTS.map((r) => r.name));
    const numbers = certs.map((c) => Number(c.serial.split("-")[2]));
    expect(certs.every((c) => /^BK-2016-\d{4}$/.test(c.serial) && c.kind === "merit" && c.validUntil === null && c.pdfKey)).toBe(true);
    expect(numbers).toEqual([numbers[0], numbers[0] + 1, numbers[0] + 2]);
    expect(new Set(certs.map((c) => c.code)).size).toBe(3);

    // Read-only now: no edit, no add, no remove, no second issue; nothing changes.
    const attempts: Record<string, string | number>[] = [
      { intent: "update", ...decisionForm() },
      { intent: "add", kind: "collective", name: "Sở mới", achievement: "x" },
      { intent: "remove", recipientId: 1 },
    ];
    for (const form of attempts) {
      const r = await post(officer, d.id, form);
      expect(r.status).toBe(409);
      expect((await jsonOf(r)).formError).toMatch(/đã ban hành/);
    }
    await expect(issueDecision({ id: d.id, actorId: officer.id })).rejects.toMatchObject({ status: 409 });
    expect(await createMeritCertificates({ decisionId: d.id, actorId: officer.id })).toEqual([]);
    const [{ n }] = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from certificates where recipient_id in (select id from commendation_recipients where decision_id = ${d.id})`));
    expect(n).toBe(3);
  });

  it("refuses to issue a decision without recipients", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: [] });
    const r = await post(officer, d.id, confirmed({ intent: "issue" }));
    expect(r.status).toBe(400);
    expect((await jsonOf(r)).formError).toMatch(/chưa có tập thể hoặc cá nhân/);
    const [row] = await db().select().from(commendationDecisions).where(eq(commendationDecisions.id, d.id));
    expect(row.status).toBe("draft");
  });

  it("revokes one recipient with a reason, audited; its certificate answers revoked; a second revocation is refused", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, issue: true });
    const page = await jsonOf(await call(decisionRoute.loader, requestAs(officer, `/ministry/decisions/${d.id}`), { id: String(d.id) }));
    const target = page.recipients[1];
    const noReason = await post(officer, d.id, { intent: "revoke", recipientId: target.id, reason: "  " });
    expect(noReason.status).toBe(400);
    const res = await post(officer, d.id, confirmed({ intent: "revoke", recipientId: target.id, reason: "Hồ sơ khen thưởng không đúng sự thật" }));
    expect((await toastOf(res)).message).toBe("Đã thu hồi Bằng khen.");
    const [cert] = await db().select().from(certificates).where(eq(certificates.serial, target.serial));
    expect(cert.revokedAt).toBeTruthy();
    expect(cert.revokedReason).toBe("Hồ sơ khen thưởng không đúng sự thật");
    expect(cert.revokedBy).toBe(officer.id);
    const events = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, "certificate"), eq(auditEvents.entityId, target.serial), eq(auditEvents.action, "certificate.revoke")));
    expect(events).toHaveLength(1);
    expect(events[0].actorId).toBe(officer.id);
    const again = await post(officer, d.id, confirmed({ intent: "revoke", recipientId: target.id, reason: "lần nữa" }));
    expect(again.status).toBe(409);
    // The public verification answers "revoked" for it, "valid" for the others; unknown codes 404.
    const api = async (code: string) => call(apiCertificate.loader, requestAs(null, `/api/v1/certificates/${code}`), { code });
    expect(await jsonOf(await api(target.code))).toMatchObject({ status: "revoked", revokedReason: "Hồ sơ khen thưởng không đúng sự thật", kind: "merit" });
    expect(await jsonOf(await api(page.recipients[0].code))).toMatchObject({ status: "valid", serial: page.recipients[0].serial });
    expect((await api("ZZZZZZZZZZZZZZ")).status).toBe(404);
    // The others are untouched.
    const others = await db().select().from(certificates).where(sql`${certificates.serial} in (${page.recipients[0].serial}, ${page.recipients[2].serial})`);
    expect(others.every((c) => c.revokedAt === null)).toBe(true);
    // A draft's recipient cannot be "revoked" (it is removed instead).
    const draft = await createTestDecision({ actorId: officer.id });
    const [r0] = await db().select().from(commendationRecipients).where(eq(commendationRecipients.decisionId, draft.id));
    await expect(revokeRecipient({ decisionId: draft.id, recipientId: r0.id, reason: "x", actorId: officer.id })).rejects.toMatchObject({ status: 409 });
  });

  it("refuses anonymous and wrong-role callers on every ministry page and action", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, issue: true });
    const juror = await createTestUser({ roles: ["juror"] });
    const organizer = await createTestUser({ roles: ["organizer"] });
    const [{ id: jobId }] = rowsOf<{ id: number }>(await db().execute(sql`select id from jobs order by id desc limit 1`));
    await jobSettled(jobId);
    const checks: [string, (u: { cookie: string } | null) => Promise<Response>][] = [
      ["home loader", (u) => call(home.loader, requestAs(u, "/ministry"))],
      ["home action", (u) => call(home.action, requestAs(u, "/ministry", { form: { intent: "create", ...decisionForm() } }))],
      ["decision loader", (u) => call(decisionRoute.loader, requestAs(u, `/ministry/decisions/${d.id}`), { id: String(d.id) })],
      ["decision action", (u) => post(u, d.id, confirmed({ intent: "revoke", recipientId: 1, reason: "x" }))],
      ["job loader", (u) => call(jobRoute.loader, requestAs(u, `/ministry/jobs/${jobId}`), { id: String(jobId) })],
    ];
    for (const [name, fn] of checks) {
      expect((await fn(null)).status, `${name} anonymous`).toBe(302);
      expect((await fn(juror)).status, `${name} juror`).toBe(403);
      expect((await fn(organizer)).status, `${name} organizer`).toBe(403);
    }
    expect((await call(decisionRoute.loader, requestAs(officer, "/ministry/decisions/999999"), { id: "999999" })).status).toBe(404);
    expect((await call(jobRoute.loader, requestAs(officer, "/ministry/jobs/999999"), { id: "999999" })).status).toBe(404);
    const [row] = await db().select().from(certificates).where(eq(certificates.recipientId, 1));
    expect(row?.revokedAt ?? null).toBeNull();
  });
});
