/**
 * Issue 14 §3: a complaint by anyone with a verified e-mail address, without an account. The form
 * takes the address, a one-time link goes out through the outbox, and the complaint is recorded
 * only when the link is followed — once, before it expires, within the window — with the same code
 * and a receipt (by the key mailed afterwards). Refusals write nothing; requests are rate-limited.
 */
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { closeSession, openSession, recordVote } from "../../app/models/council/session.server";
import { sweepStrayUploads } from "../../app/models/entry/media.server";
import {
  checkComplaintRequest,
  complaintReceipt,
  confirmComplaintRequest,
  listComplaints,
  publishProvisional,
  purgeExpiredComplaintRequests,
  requestComplaintByEmail,
} from "../../app/models/results/complaint.server";
import * as receiptPage from "../../app/routes/khieu-nai.$code";
import * as confirmPage from "../../app/routes/khieu-nai.xac-nhan";
import * as provisionalPage from "../../app/routes/rounds.$slug_.du-kien";
import { db } from "../../app/utils/db.server";
import { complaintRequests, complaints, outbox, roundProcess } from "../../db/schema";
import { scoredRound } from "../factories/council";
import { call, jsonOf, requestAs, toastOf } from "../factories/index";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const BODY = "Sản phẩm được đề nghị dùng bao bì của cơ sở khác, không phải sản phẩm tự sản xuất.";

async function provisionalRound() {
  const ctx = await scoredRound({ means: [85, 78], members: 3 });
  const s = await openSession({ roundId: ctx.round.id, actorId: ctx.secretary.id, heldOn: "2026-09-10", place: "Phòng họp số 2, Cục Công Thương địa phương", presentUserIds: ctx.seats.map((x) => x.id) });
  for (const e of ctx.entries) await recordVote({ sessionId: s.id, actorId: ctx.secretary.id, entryId: e.id, yes: 3, no: 0 });
  await closeSession({ sessionId: s.id, actorId: ctx.secretary.id });
  const t0 = new Date();
  await publishProvisional({ roundId: ctx.round.id, actorId: ctx.organizer.id, now: t0 });
  return { ...ctx, t0 };
}

/** The token of the last link mailed to the address. */
async function mailedToken(email: string, kind = "complaint_link") {
  const [m] = await db().select().from(outbox).where(and(eq(outbox.recipient, email), eq(outbox.kind, kind))).orderBy(desc(outbox.id)).limit(1);
  expect(m, `a ${kind} message to ${email}`).toBeTruthy();
  return { token: /token=([A-Za-z0-9_-]+)/.exec(m.bodyText)?.[1] ?? "", key: /key=([A-Za-z0-9_-]+)/.exec(m.bodyText)?.[1] ?? "", text: m.bodyText };
}

const count = async (roundId: number) => ({
  complaints: (await db().select().from(complaints).where(eq(complaints.roundId, roundId))).length,
  requests: (await db().select().from(complaintRequests).where(eq(complaintRequests.roundId, roundId))).length,
});

describe("complaint by e-mail without an account", () => {
  it("records nothing until the link is followed; then the same code and a receipt by the mailed key; the link works once", async () => {
    const ctx = await provisionalRound();
    const email = `nguoi-dan-${ctx.round.id}@example.vn`;
    const r = await requestComplaintByEmail({ roundId: ctx.round.id, email: ` ${email.toUpperCase()} `, entryCode: ctx.entries[1].code, body: BODY, pdf: { bytes: PDF, name: "anh-chup.pdf" }, client: "10.20.0.1" });
    expect(r.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * HOUR);
    expect(await count(ctx.round.id)).toEqual({ complaints: 0, requests: 1 });
    expect(await listComplaints(ctx.round.id)).toEqual([]);
    const { token, text } = await mailedToken(email);
    expect(text).toMatch(/chỉ được ghi nhận khi bạn mở liên kết/);
    // the pending PDF is kept by the stray-file sweep (it has a row, not yet a complaint)
    const [pending] = await db().select().from(complaintRequests).where(eq(complaintRequests.roundId, ctx.round.id));
    expect(await sweepStrayUploads({ olderThanMs: -1000 })).not.toContain(pending.pdfId);

    // opening the page shows what will be recorded, without recording it
    expect(await checkComplaintRequest({ token })).toMatchObject({ ok: true, subject: ctx.entries[1].code, email });
    expect((await count(ctx.round.id)).complaints).toBe(0);

    const done = await confirmComplaintRequest({ token });
    expect(done.code).toMatch(/^KN26-\d+-001$/);
    const [c] = await db().select().from(complaints).where(eq(complaints.roundId, ctx.round.id));
    expect(c).toMatchObject({ code: done.code, userId: null, email, status: "open", pdfSha256: pending.pdfSha256 });
    expect((await listComplaints(ctx.round.id))[0]).toMatchObject({ subject: ctx.entries[1].code, status: "open" });

    // the receipt: by the key (also mailed), never without it or with another
    const mailed = await mailedToken(email, "complaint_receipt");
    expect(mailed.key).toBe(done.key);
    expect(await complaintReceipt({ code: done.code, key: done.key })).toMatchObject({ code: done.code, subject: ctx.entries[1].code });
    await expect(complaintReceipt({ code: done.code, key: "sai-khoa" })).rejects.toMatchObject({ status: 404 });
    await expect(complaintReceipt({ code: done.code })).rejects.toMatchObject({ status: 404 });

    // the link is used: a second click records nothing
    await expect(confirmComplaintRequest({ token })).rejects.toThrow(/không hợp lệ hoặc đã được dùng/);
    expect(await checkComplaintRequest({ token })).toMatchObject({ ok: false });
    expect((await count(ctx.round.id)).complaints).toBe(1);
    await expect(confirmComplaintRequest({ token: "khong-co-ma-nay" })).rejects.toThrow(/không hợp lệ/);
  });

  it("refuses an expired link and one followed after the window, recording nothing", async () => {
    const ctx = await provisionalRound();
    const email = `het-han-${ctx.round.id}@example.vn`;
    await requestComplaintByEmail({ roundId: ctx.round.id, email, body: BODY, client: "10.21.0.1" });
    const { token } = await mailedToken(email);
    await expect(confirmComplaintRequest({ token, now: new Date(Date.now() + 25 * HOUR) })).rejects.toThrow(/hết hạn \(24 giờ\)/);
    expect(await checkComplaintRequest({ token, now: new Date(Date.now() + 25 * HOUR) })).toMatchObject({ ok: false, message: expect.stringMatching(/hết hạn/) });
    // the window closes before the link is followed
    await db().update(roundProcess).set({ complaintsCloseAt: new Date(Date.now() - 60_000) }).where(eq(roundProcess.roundId, ctx.round.id));
    await expect(confirmComplaintRequest({ token })).rejects.toThrow(/hết thời hạn khiếu nại/);
    expect((await count(ctx.round.id)).complaints).toBe(0);
    // and a request after the window is refused outright
    await expect(requestComplaintByEmail({ roundId: ctx.round.id, email, body: BODY, client: "10.21.0.2" })).rejects.toThrow(/hết thời hạn khiếu nại/);
    expect((await count(ctx.round.id)).requests).toBe(1);
    // never confirmed: removed a day after the link expired (its PDF then becomes a stray)
    expect(await purgeExpiredComplaintRequests(new Date(Date.now() + 3 * DAY))).toBeGreaterThanOrEqual(1);
    expect((await count(ctx.round.id)).requests).toBe(0);
  });

  it("bad input gets a Vietnamese message and writes nothing (no request, no mail); floods are limited per client and per address", async () => {
    const ctx = await provisionalRound();
    const mails = async () => (await db().select().from(outbox).where(eq(outbox.kind, "complaint_link"))).length;
    const before = await mails();
    const base = { roundId: ctx.round.id, email: `ban-doc-${ctx.round.id}@example.vn`, body: BODY, client: "10.22.0.1" };
    await expect(requestComplaintByEmail({ ...base, email: "khong-phai-email" })).rejects.toMatchObject({ status: 400, fields: { email: expect.stringMatching(/Nhập địa chỉ email/) } });
    await expect(requestComplaintByEmail({ ...base, body: "  ngắn " })).rejects.toThrow(/ít nhất 20 ký tự/);
    await expect(requestComplaintByEmail({ ...base, body: "x".repeat(5001) })).rejects.toThrow(/tối đa 5000 ký tự/);
    await expect(requestComplaintByEmail({ ...base, entryCode: "BAC99-999" })).rejects.toThrow(/Không có hồ sơ mã/);
    await expect(requestComplaintByEmail({ ...base, pdf: { bytes: Buffer.from("<html>not a pdf</html>"), name: "x.pdf" } })).rejects.toThrow(/không phải là PDF/);
    expect(await count(ctx.round.id)).toEqual({ complaints: 0, requests: 0 });
    expect(await mails()).toBe(before);

    // per client: the same allowance as for accounts (3 an hour)
    for (let i = 0; i < 3; i++) await requestComplaintByEmail({ ...base, email: `nguoi-${i}-${ctx.round.id}@example.vn` });
    await expect(requestComplaintByEmail({ ...base, email: `nguoi-9-${ctx.round.id}@example.vn` })).rejects.toThrow(/3 khiếu nại trong một giờ/);
    // per address: 3 mails an hour, whatever the client
    const target = `nan-nhan-${ctx.round.id}@example.vn`;
    for (let i = 0; i < 3; i++) await requestComplaintByEmail({ ...base, email: target, client: `10.23.${i}.1` });
    await expect(requestComplaintByEmail({ ...base, email: target, client: "10.23.9.1" })).rejects.toThrow(/3 thư xác nhận khiếu nại tới địa chỉ này/);
    expect(await count(ctx.round.id)).toEqual({ complaints: 0, requests: 6 });
  });

  it("through the routes: the form without an account, the link's page (GET records nothing), the button, the receipt", async () => {
    const ctx = await provisionalRound();
    const slug = ctx.round.slug;
    const email = `qua-trang-${ctx.round.id}@example.vn`;
    const page = await jsonOf(await call(provisionalPage.loader, requestAs(null, `/rounds/${slug}/du-kien`), { slug }));
    expect(page).toMatchObject({ signedIn: false, verified: false });
    const missing = await call(provisionalPage.action, requestAs(null, `/rounds/${slug}/du-kien`, { form: { about: "process", body: BODY } }), { slug });
    expect(missing.status).toBe(400);
    expect((await jsonOf(missing)).fields.email).toMatch(/Nhập địa chỉ email/);
    const sent = await toastOf(await call(provisionalPage.action, requestAs(null, `/rounds/${slug}/du-kien`, { form: { about: "process", email, body: BODY } }), { slug }));
    expect(sent.message).toMatch(/Đã gửi thư tới .*chỉ được ghi nhận khi đó/);
    const { token } = await mailedToken(email);
    const shown = await jsonOf(await call(confirmPage.loader, requestAs(null, `/khieu-nai/xac-nhan?token=${token}`)));
    expect(shown).toMatchObject({ problem: null, request: { subject: "quy trình", email } });
    expect((await count(ctx.round.id)).complaints).toBe(0);
    const confirmed = await call(confirmPage.action, requestAs(null, "/khieu-nai/xac-nhan", { form: { token } }));
    expect(confirmed.status).toBe(302);
    const location = confirmed.headers.get("Location")!;
    const code = location.split("/").pop()!.split("?")[0];
    const receipt = await call(receiptPage.loader, requestAs(null, location), { code });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await jsonOf(receipt)).toMatchObject({ code, subject: "quy trình", status: "open" });
    expect((await call(receiptPage.loader, requestAs(null, `/khieu-nai/${code}?key=sai`), { code })).status).toBe(404);
    const again = await call(confirmPage.action, requestAs(null, "/khieu-nai/xac-nhan", { form: { token } }));
    expect(again.status).toBe(400);
    expect((await jsonOf(again)).formError).toMatch(/đã được dùng/);
    expect((await count(ctx.round.id)).complaints).toBe(1);
  });
});
