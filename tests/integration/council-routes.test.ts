/**
 * The council journey through the real routes (loaders and actions with session cookies): the
 * secretary opens a session and records votes, the organiser publishes the provisional list, a
 * producer files a complaint with a PDF and reads the receipt, the organiser resolves it, the
 * window is closed in the database, the decision is recorded and the round published; the public
 * API answers at each stage, never with the complainant's identity; other accounts get 404.
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import * as roundApi from "../../app/routes/api.v1.rounds.$slug._index";
import * as complaintsApi from "../../app/routes/api.v1.rounds.$slug.complaints";
import * as provisionalApi from "../../app/routes/api.v1.rounds.$slug.provisional";
import * as winnersApi from "../../app/routes/api.v1.rounds.$slug.winners";
import * as session from "../../app/routes/council.$slug";
import * as receipt from "../../app/routes/khieu-nai.$code";
import * as process from "../../app/routes/organizer.rounds.$slug.hoi-dong";
import * as files from "../../app/routes/organizer.rounds.$slug.hoi-dong_.$file";
import * as provisionalPage from "../../app/routes/rounds.$slug_.du-kien";
import { db } from "../../app/utils/db.server";
import { complaints, roundProcess } from "../../db/schema";
import { scoredRound } from "../factories/council";
import { call, confirmed, createTestUser, jsonOf, requestAs, toastOf } from "../factories/index";

const PDF = new File([Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")], "bang-chung.pdf", { type: "application/pdf" });

describe("council journey through the routes", () => {
  it("session, votes, provisional list, complaint, resolution, window closed, decision, publication", async () => {
    const ctx = await scoredRound({ means: [88, 75, 64], members: 3 });
    const slug = ctx.round.slug;
    const p = { slug };
    const api = async () => jsonOf(await call(roundApi.loader, requestAs(null, `/api/v1/rounds/${slug}`), p));
    expect(await api()).toMatchObject({ stage: "council", provisional: null, council: null });

    // another account: 404 on the secretary's page; the secretary sees the jury table
    const stranger = await createTestUser();
    expect((await call(session.loader, requestAs(stranger, `/council/${slug}`), p)).status).toBe(404);
    const page = await jsonOf(await call(session.loader, requestAs(ctx.secretary, `/council/${slug}`), p));
    expect(page.entries.map((e: { passed: boolean }) => e.passed)).toEqual([true, true, false]);

    await toastOf(await call(session.action, requestAs(ctx.secretary, `/council/${slug}`, { form: { intent: "open", heldOn: "2026-09-10", place: "Phòng họp số 2, Sở Công Thương", present: ctx.seats.map((s) => s.id) } }), p));
    const open = (await jsonOf(await call(session.loader, requestAs(ctx.secretary, `/council/${slug}`), p))).open;
    const memberForm = (entryId: number, agree: boolean) => ({ intent: "vote", mode: "members", sessionId: String(open.id), entryId: String(entryId), ...Object.fromEntries(ctx.seats.map((s) => [`m:${s.id}`, agree ? "1" : "0"])) });
    await toastOf(await call(session.action, requestAs(ctx.secretary, `/council/${slug}`, { form: memberForm(ctx.entries[0].id, true) }), p));
    await toastOf(await call(session.action, requestAs(ctx.secretary, `/council/${slug}`, { form: { intent: "vote", mode: "counts", sessionId: String(open.id), entryId: String(ctx.entries[1].id), yes: "2", no: "1" } }), p));
    // below the pass mark: refused with the reason, nothing written
    const below = await call(session.action, requestAs(ctx.secretary, `/council/${slug}`, { form: memberForm(ctx.entries[2].id, true) }), p);
    expect(below.status).toBe(400);
    expect((await jsonOf(below)).formError).toMatch(/dưới điểm đạt/);
    // closing asks for confirmation first, then closes
    const ask = await jsonOf(await call(session.action, requestAs(ctx.secretary, `/council/${slug}`, { form: { intent: "close", sessionId: String(open.id) } }), p));
    expect(ask.confirmation.title).toBe("Kết thúc phiên họp?");
    await toastOf(await call(session.action, requestAs(ctx.secretary, `/council/${slug}`, { form: confirmed({ intent: "close", sessionId: String(open.id) }) }), p));
    expect(await api()).toMatchObject({ stage: "council", council: { sessionDate: "2026-09-10", membersPresent: 3, membersTotal: 3 } });

    // the organiser publishes the provisional list
    const org = `/organizer/rounds/${slug}/hoi-dong`;
    await toastOf(await call(process.action, requestAs(ctx.organizer, org, { form: confirmed({ intent: "provisional" }) }), p));
    const info = await api();
    expect(info.stage).toBe("provisional");
    expect(info.provisional.complaintsCloseAt).toBeTruthy();
    const prov = await jsonOf(await call(provisionalApi.loader, requestAs(null, `/api/v1/rounds/${slug}/provisional`), p));
    expect(prov.entries.map((e: { entryCode: string; meanScore: number; votes: object }) => [e.entryCode, e.meanScore, e.votes])).toEqual([
      [ctx.entries[0].code, 88, { agree: 3, disagree: 0 }],
      [ctx.entries[1].code, 75, { agree: 2, disagree: 1 }],
    ]);

    // a producer files a complaint with a PDF and reads the receipt; a stranger cannot
    const producer = await createTestUser();
    const filed = await toastOf(await call(provisionalPage.action, requestAs(producer, `/rounds/${slug}/du-kien`, { form: { about: "entry", entryCode: ctx.entries[1].code!, body: "Sản phẩm chưa có giấy chứng nhận chất lượng còn hiệu lực khi nộp hồ sơ.", pdf: PDF } }), p));
    const code = filed.location.split("/").pop()!;
    expect((await jsonOf(await call(receipt.loader, requestAs(producer, filed.location), { code }))).subject).toBe(ctx.entries[1].code);
    expect((await call(receipt.loader, requestAs(stranger, filed.location), { code })).status).toBe(404);
    const bad = await call(provisionalPage.action, requestAs(producer, `/rounds/${slug}/du-kien`, { form: { about: "process", body: "ngắn" } }), p);
    expect(bad.status).toBe(400);
    const publicComplaints = await jsonOf(await call(complaintsApi.loader, requestAs(null, `/api/v1/rounds/${slug}/complaints`), p));
    expect(publicComplaints.complaints).toEqual([{ code, subject: ctx.entries[1].code, filedAt: expect.any(String), status: "open", resolution: null }]);
    expect(JSON.stringify(publicComplaints)).not.toContain(producer.email);

    // the decision is refused before the window closes
    const decision = confirmed({ intent: "decision", decisionNo: "77/QĐ-CNĐP", decisionDate: "2026-10-01", signerTitle: "Cục trưởng", signerName: "Nguyễn Văn Bình" });
    const early = await call(process.action, requestAs(ctx.organizer, org, { form: decision }), p);
    expect((await jsonOf(early)).formError).toMatch(/Thời hạn khiếu nại chưa hết/);

    // the organiser reads the PDF and resolves
    const [c] = await db().select().from(complaints).where(eq(complaints.code, code));
    const pdf = await call(files.loader, requestAs(ctx.organizer, `${org}/khieu-nai-${c.id}.pdf`), { slug, file: `khieu-nai-${c.id}.pdf` });
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    expect((await call(files.loader, requestAs(stranger, `${org}/khieu-nai-${c.id}.pdf`), { slug, file: `khieu-nai-${c.id}.pdf` })).status).not.toBe(200);
    await toastOf(await call(process.action, requestAs(ctx.organizer, org, { form: { intent: "resolve", complaintId: String(c.id), status: "rejected", followUp: "none", resolution: "Giấy chứng nhận còn hiệu lực đến 2027, có trong hồ sơ (trang 4)." } }), p));

    // the window closes (set in the database), then the decision and the publication
    await db().update(roundProcess).set({ complaintsCloseAt: sql`now() - interval '1 minute'` }).where(eq(roundProcess.roundId, ctx.round.id));
    expect((await jsonOf(await call(provisionalApi.loader, requestAs(null, `/api/v1/rounds/${slug}/provisional`), p))).open).toBe(false);
    const late = await call(provisionalPage.action, requestAs(producer, `/rounds/${slug}/du-kien`, { form: { about: "process", body: "Khiếu nại gửi sau khi đã hết thời hạn nhận khiếu nại." } }), p);
    expect((await jsonOf(late)).formError).toMatch(/hết thời hạn khiếu nại/);
    await toastOf(await call(process.action, requestAs(ctx.organizer, org, { form: decision }), p));
    expect((await api()).stage).toBe("decided");
    const published = await toastOf(await call(process.action, requestAs(ctx.organizer, org, { form: confirmed({ intent: "publish" }) }), p));
    expect(published.message).toMatch(/cấp 2 giấy chứng nhận/);
    expect(await api()).toMatchObject({ stage: "published", decision: { number: "77/QĐ-CNĐP", signerName: "Nguyễn Văn Bình" } });
    const winners = await jsonOf(await call(winnersApi.loader, requestAs(null, `/api/v1/rounds/${slug}/winners`), p));
    expect(winners.winners).toHaveLength(2);

    // the minutes
    const minutes = await call(files.loader, requestAs(ctx.organizer, `${org}/bien-ban.pdf`), { slug, file: "bien-ban.pdf" });
    expect(minutes.headers.get("Content-Type")).toBe("application/pdf");
  });
});
