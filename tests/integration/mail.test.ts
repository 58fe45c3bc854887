/**
 * Mail that reaches people (issue 16): a real SMTP server in this process (smtp-server) on a free
 * port, SMTP_URL pointed at it; the outbox worker's pass (deliverDue) sends what the flows wrote.
 */
import type { AddressInfo } from "node:net";

import { eq, sql } from "drizzle-orm";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { issueToken, verifyEmail } from "../../app/models/account/account.server";
import { inviteByEmail, acceptInvitation } from "../../app/models/account/invitation.server";
import { saveEntryDraft, screenEntry, submitEntry } from "../../app/models/entry/entry.server";
import { inviteStaff } from "../../app/models/facility/facility.server";
import { deliverDue, enqueueMessage } from "../../app/models/messaging/outbox.server";
import { compose } from "../../app/models/messaging/templates";
import { sendScoringReminders } from "../../app/models/round/notices.server";
import { saveEmailPreferences } from "../../app/models/shared/notification.server";
import * as forgot from "../../app/routes/forgot-password";
import * as reset from "../../app/routes/reset-password";
import * as signup from "../../app/routes/signup";
import * as verify from "../../app/routes/verify-email";
import { getUser } from "../../app/utils/auth.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { resetEnv } from "../../app/utils/env.server";
import { auditEvents, conflicts, councilMembers, notifications, outbox, userRoles, users } from "../../db/schema";
import { addCompleteMedia, createTestFacility, createTestProduct } from "../factories/facility";
import { call, createTestUser, jsonOf, requestAs } from "../factories/index";
import { createTestRound } from "../factories/round";
import { createEligibleEntry, createOrganizer, createTestRound as createScoringRound, scoringRound } from "../factories/scoring";

let server: SMTPServer;
let port = 0;
const inbox: ParsedMail[] = [];

function startSmtp(): Promise<void> {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
}
const stopSmtp = () => new Promise<void>((resolve) => server.close(() => resolve()));

beforeAll(async () => {
  await startSmtp();
  port = (server.server.address() as AddressInfo).port;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.PUBLIC_URL = "http://cnnt.test";
  resetEnv();
});

afterAll(async () => {
  await stopSmtp().catch(() => {});
  delete process.env.SMTP_URL;
  delete process.env.PUBLIC_URL;
  resetEnv();
});

beforeEach(async () => {
  // Messages of earlier tests are out of the way: each test reads only what it caused.
  await deliverDue();
  inbox.length = 0;
});

const mailTo = (address: string) => inbox.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address);
const linkIn = (mail: ParsedMail, path: string) => {
  const match = (mail.text ?? "").match(new RegExp(`http://cnnt\\.test${path.replace(/[?]/g, "\\?")}[^\\s]+`));
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return new URL(match[0]);
};

async function signUp(email: string) {
  return call(
    signup.action,
    requestAs(null, "/signup", { form: { fullName: "Nguyễn Thị Hoa", email, password: "mot-mat-khau-dai", confirm: "mot-mat-khau-dai" } }),
  );
}

describe("e-mail verification", () => {
  it("sends a Vietnamese verification mail over SMTP whose link verifies the address once", async () => {
    expect((await signUp("hoa@example.vn")).headers.get("Location")).toBe("/signup?gui=hoa%40example.vn");
    expect(await deliverDue()).toEqual({ sent: 1, failed: 0 });
    const [mail] = mailTo("hoa@example.vn");
    expect(mail.subject).toBe("Xác nhận địa chỉ email — CNNT Tiêu biểu");
    expect(mail.text).toContain("Xin chào Nguyễn Thị Hoa,");
    expect(mail.text).toMatch(/dùng được một lần, hết hạn lúc \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4} \(sau 24 giờ\)/);
    expect(mail.html).toContain("Xác nhận email");
    const url = linkIn(mail, "/verify-email?token=");
    // The page only offers the button (a mail scanner fetching the link uses nothing).
    expect(await jsonOf(await call(verify.loader, requestAs(null, url.pathname + url.search)))).toMatchObject({ problem: null });
    const token = url.searchParams.get("token")!;
    const done = await call(verify.action, requestAs(null, "/verify-email", { form: { token } }));
    expect(done.headers.get("Location")).toBe("/login?tb=xac-nhan");
    const [row] = await db().select().from(users).where(eq(users.email, "hoa@example.vn"));
    expect(row.emailVerifiedAt).not.toBeNull();
    // Used once: the second use is refused in Vietnamese.
    const again = await call(verify.action, requestAs(null, "/verify-email", { form: { token } }));
    expect(again.status).toBe(400);
    expect((await jsonOf(again)).formError).toMatch(/không hợp lệ hoặc đã được dùng/);
  });

  it("refuses an expired link", async () => {
    const u = await createTestUser({ verified: false });
    const { token } = await issueToken({ userId: u.id, purpose: "verify_email", now: new Date(Date.now() - 25 * 60 * 60 * 1000) });
    await expect(verifyEmail({ token })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/đã hết hạn \(24 giờ\)/) });
  });

  it("answers the same for an address that has an account, and tells its owner instead", async () => {
    const owner = await createTestUser({ email: "da-co@example.vn" });
    const before = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from users`))[0].n;
    const res = await signUp("Da-Co@example.vn");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/signup?gui=da-co%40example.vn");
    expect(rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from users`))[0].n).toBe(before);
    await deliverDue();
    const [note] = mailTo(owner.email);
    expect(note.subject).toMatch(/Có người vừa đăng ký bằng địa chỉ email của bạn/);
    expect(note.text).toContain("Không có tài khoản mới nào được tạo");
  });

  it("an unverified account fills drafts but cannot submit; verified, it can", async () => {
    const owner = await createTestUser({ verified: false });
    const { id: facilityId } = await createTestFacility(owner.id);
    const { id: productId } = await createTestProduct(owner.id, facilityId);
    await addCompleteMedia(owner.id, facilityId, productId);
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const { id } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId });
    await expect(submitEntry({ actorId: owner.id, entryId: id })).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/cần xác nhận địa chỉ email trước khi nộp hồ sơ/),
    });
    await verifyEmail({ token: (await issueToken({ userId: owner.id, purpose: "verify_email" })).token });
    const { code } = await submitEntry({ actorId: owner.id, entryId: id });
    await deliverDue();
    const [received] = mailTo(owner.email);
    expect(received.subject).toBe(`Đã tiếp nhận hồ sơ ${code} — CNNT Tiêu biểu`);
  });
});

describe("password reset", () => {
  it("answers the same for any address; the link sets a new password once, ends every session and is audited", async () => {
    const u = await createTestUser();
    const unknown = await call(forgot.action, requestAs(null, "/forgot-password", { form: { email: "khong-ai@example.vn" } }));
    const known = await call(forgot.action, requestAs(null, "/forgot-password", { form: { email: u.email } }));
    expect(unknown.headers.get("Location")).toBe("/forgot-password?gui=1");
    expect(known.headers.get("Location")).toBe("/forgot-password?gui=1");
    await deliverDue();
    expect(mailTo("khong-ai@example.vn")).toHaveLength(0);
    const [mail] = mailTo(u.email);
    expect(mail.subject).toBe("Đặt lại mật khẩu — CNNT Tiêu biểu");
    const token = linkIn(mail, "/reset-password?token=").searchParams.get("token")!;
    const done = await call(reset.action, requestAs(null, "/reset-password", { form: { token, password: "mat-khau-moi-2026", confirm: "mat-khau-moi-2026" } }));
    expect(done.headers.get("Location")).toBe("/login?tb=dat-lai");
    expect(await getUser(requestAs(u, "/"))).toBeNull(); // the old session is gone
    const again = await call(reset.action, requestAs(null, "/reset-password", { form: { token, password: "mat-khau-khac-2026", confirm: "mat-khau-khac-2026" } }));
    expect((await jsonOf(again)).formError).toMatch(/không hợp lệ hoặc đã được dùng/);
    const audit = await db().select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, u.id));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["user.password_reset_request", "user.password_reset"]));
  });

  it("refuses an expired reset link", async () => {
    const u = await createTestUser();
    const { token } = await issueToken({ userId: u.id, purpose: "reset_password", now: new Date(Date.now() - 2 * 60 * 60 * 1000) });
    const res = await call(reset.action, requestAs(null, "/reset-password", { form: { token, password: "mat-khau-moi-2026", confirm: "mat-khau-moi-2026" } }));
    expect((await jsonOf(res)).formError).toMatch(/đã hết hạn \(1 giờ\)/);
  });
});

describe("SMTP down", () => {
  it("keeps messages queued with the error and sends each exactly once when the server is back", async () => {
    await stopSmtp();
    for (const n of [1, 2]) await enqueueMessage({ to: `hang-doi-${n}@example.vn`, kind: "test", content: compose({ subject: `Thư thử ${n}`, paragraphs: ["Nội dung có dấu: Đắk Lắk."] }) });
    expect(await deliverDue()).toEqual({ sent: 0, failed: 2 });
    const queued = await db().select().from(outbox).where(sql`${outbox.recipient} like 'hang-doi-%'`);
    expect(queued.map((m) => m.status)).toEqual(["queued", "queued"]);
    expect(queued[0].lastError).toMatch(/ECONNREFUSED/);
    // Not due again before the backoff.
    expect(await deliverDue()).toEqual({ sent: 0, failed: 0 });
    await startSmtp();
    const later = new Date(Date.now() + 60 * 60 * 1000);
    expect(await deliverDue({ now: later })).toEqual({ sent: 2, failed: 0 });
    expect(await deliverDue({ now: later })).toEqual({ sent: 0, failed: 0 });
    expect(mailTo("hang-doi-1@example.vn")).toHaveLength(1);
    expect(mailTo("hang-doi-2@example.vn")).toHaveLength(1);
    expect(mailTo("hang-doi-1@example.vn")[0].text).toContain("Đắk Lắk");
  });
});

describe("invitations", () => {
  it("grants nothing to another address, an unverified account or before acceptance, and never says whose the address is", async () => {
    const owner = await createTestUser();
    const { id: facilityId } = await createTestFacility(owner.id);
    const invitee = await createTestUser({ verified: false });
    const stranger = await createTestUser();
    await inviteStaff({ actorId: owner.id, facilityId, email: invitee.email });
    await inviteStaff({ actorId: owner.id, facilityId, email: "chua-co-tai-khoan@example.vn" });
    await deliverDue();
    const [mail] = mailTo(invitee.email);
    expect(mail.subject).toMatch(/^Lời mời: làm nhân viên của cơ sở/);
    const token = linkIn(mail, "/invitations/").pathname.split("/").pop()!;
    // Both invitations read alike: nothing tells an account from no account.
    expect(mailTo("chua-co-tai-khoan@example.vn")[0].subject).toBe(mail.subject);
    await expect(acceptInvitation({ userId: stranger.id, token })).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/địa chỉ email khác/) });
    await expect(acceptInvitation({ userId: invitee.id, token })).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/xác nhận địa chỉ email trước khi nhận lời mời/) });
    await verifyEmail({ token: (await issueToken({ userId: invitee.id, purpose: "verify_email" })).token });
    expect(await acceptInvitation({ userId: invitee.id, token })).toMatchObject({ kind: "facility", facilityId });
    await expect(acceptInvitation({ userId: invitee.id, token })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/đã được nhận rồi/) });
  });

  it("expires after 7 days", async () => {
    const owner = await createTestUser();
    const { id: facilityId } = await createTestFacility(owner.id);
    const invitee = await createTestUser();
    const { token } = await inviteByEmail({ actorId: owner.id, email: invitee.email, target: { kind: "facility", facilityId }, now: new Date(Date.now() - 8 * 24 * 60 * 60 * 1000) });
    await expect(acceptInvitation({ userId: invitee.id, token })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/hết hạn/) });
  });

  it("a council invitation makes the accepting account a juror on the council", async () => {
    const organizer = await createOrganizer();
    const round = await createScoringRound({ actorId: organizer.id });
    const person = await createTestUser({ roles: ["facility"] });
    const { token } = await inviteByEmail({ actorId: organizer.id, email: person.email, target: { kind: "council", roundId: round.id, councilRole: "member" } });
    expect(await db().select().from(councilMembers).where(eq(councilMembers.userId, person.id))).toHaveLength(0);
    await acceptInvitation({ userId: person.id, token });
    const roles = await db().select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, person.id));
    expect(roles.map((r) => r.role).sort()).toEqual(["facility", "juror"]);
    const [seat] = await db().select().from(councilMembers).where(eq(councilMembers.userId, person.id));
    expect(seat).toMatchObject({ roundId: round.id, role: "member" });
  });

  it("joining a facility whose entry a council member judges declares the conflict for the organiser, leaving submitted sheets as they are", async () => {
    const { round, jurors } = await scoringRound({ entryCount: 0, jurorCount: 1 });
    const owner = await createTestUser();
    const entry = await createEligibleEntry({ roundId: round.id, memberId: owner.id });
    const [juror] = jurors;
    const { token } = await inviteByEmail({ actorId: owner.id, email: juror.email, target: { kind: "facility", facilityId: entry.facilityId } });
    await acceptInvitation({ userId: juror.id, token });
    const found = await db().select().from(conflicts).where(eq(conflicts.userId, juror.id));
    expect(found).toEqual([expect.objectContaining({ roundId: round.id, facilityId: entry.facilityId, kind: "declared", reason: expect.stringMatching(/Thành viên của cơ sở/) })]);
  });
});

describe("notifications", () => {
  it("reminds jurors with unsubmitted sheets 3 days and 1 day before scoring closes, once each", async () => {
    const { round, jurors } = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const closes = round.scoringClosesAt.getTime();
    expect(await sendScoringReminders({ now: new Date(closes - 5 * 24 * 60 * 60 * 1000) })).toBe(0);
    expect(await sendScoringReminders({ now: new Date(closes - 2.5 * 24 * 60 * 60 * 1000) })).toBe(1);
    expect(await sendScoringReminders({ now: new Date(closes - 2 * 24 * 60 * 60 * 1000) })).toBe(0);
    expect(await sendScoringReminders({ now: new Date(closes - 12 * 60 * 60 * 1000) })).toBe(1);
    await deliverDue();
    const subjects = mailTo(jurors[0].email).map((m) => m.subject);
    expect(subjects).toEqual(expect.arrayContaining([expect.stringMatching(/^Còn 3 ngày để chấm điểm/), expect.stringMatching(/^Còn 1 ngày để chấm điểm/)]));
  });

  it("a returned dossier reaches the owner in the app and by e-mail even when optional e-mails are off", async () => {
    const organizer = await createOrganizer();
    const round = await createScoringRound({ actorId: organizer.id });
    const owner = await createTestUser();
    await saveEmailPreferences({ userId: owner.id, enabled: [] });
    const entry = await createEligibleEntry({ roundId: round.id, memberId: owner.id, status: "submitted" });
    await db().execute(sql`update rounds set status = 'screening' where id = ${round.id}`);
    await screenEntry({ actorId: organizer.id, entryId: entry.id, decision: "returned", note: "Thiếu ảnh bao bì." });
    await deliverDue();
    const [mail] = mailTo(owner.email);
    expect(mail.subject).toBe(`Hồ sơ ${entry.code} bị trả lại để bổ sung — CNNT Tiêu biểu`);
    expect(mail.text).toContain("Thiếu ảnh bao bì.");
    expect(mail.text).toContain("có hiệu lực pháp lý");
    const link = linkIn(mail, "/facility/entry/");
    expect(link.pathname).toBe(`/facility/entry/${entry.productId}/${round.slug}`);
    const listed = await db().select().from(notifications).where(eq(notifications.userId, owner.id));
    expect(listed).toEqual([expect.objectContaining({ kind: "entry_returned", readAt: null })]);
  });
});
