/**
 * Redirect after every successful POST, with a one-time message; and irreversible actions that
 * do nothing until confirmed (the server's half: without JavaScript there is no dialog).
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { saveCouncilMember } from "../../app/models/council/council.server";
import * as root from "../../app/root";
import * as adminUsers from "../../app/routes/admin.users";
import * as sheetRoute from "../../app/routes/jury.entries.$entryId";
import * as decisionRoute from "../../app/routes/ministry.decisions.$id";
import * as overview from "../../app/routes/organizer.rounds.$slug._index";
import * as councilRoute from "../../app/routes/organizer.rounds.$slug.council";
import * as resultsRoute from "../../app/routes/organizer.rounds.$slug.results";
import * as rubricRoute from "../../app/routes/organizer.rounds.$slug.rubric";
import { CONFIRM } from "../../app/utils/confirm";
import { db, rowsOf } from "../../app/utils/db.server";
import { TOAST_COOKIE } from "../../app/utils/toast.server";
import { certificates, councilMembers, rounds, scoreSheets } from "../../db/schema";
import { createOfficer, createTestDecision } from "../factories/commendation";
import { call, confirmed, createTestUser, jsonOf, requestAs, toastOf } from "../factories/index";
import { createOrganizer, createTestRound, pointsForTotal, scoringRound, submitSheet } from "../factories/scoring";

const auditRows = async () => rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from audit_events`))[0].n;

/** The root loader as the browser reaches it after the redirect: the session and the message cookie. */
async function nextPage(user: { cookie: string }, toastCookie: string | null, path: string) {
  const cookie = [user.cookie, toastCookie].filter(Boolean).join("; ");
  const res = await call(root.loader, requestAs({ cookie }, path));
  return { data: await jsonOf<{ toast: { kind: string; message: string } | null }>(res.clone()), res };
}

describe("redirect after a successful form", () => {
  it("answers a redirect to the same page with a signed message, shown once by the next page and then gone", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}`;
    // Remix posts to an index route with ?index: the redirect drops it (a reload is a plain GET).
    const res = await call(overview.action, requestAs(organizer, `${path}?index`, { form: confirmed({ intent: "advance", from: "draft" }) }), { slug: round.slug });
    const toast = await toastOf(res);
    expect(toast).toMatchObject({ kind: "ok", location: path, message: "Đã chuyển đợt sang “Đang nhận hồ sơ”." });
    const cookieHeader = res.headers.getSetCookie().find((c) => c.startsWith(`${TOAST_COOKIE}=`))!;
    expect(cookieHeader).toMatch(/HttpOnly/i);
    expect(cookieHeader).toMatch(/SameSite=Lax/i);

    const first = await nextPage(organizer, toast.cookie, path);
    expect(first.data.toast).toMatchObject({ kind: "ok", message: "Đã chuyển đợt sang “Đang nhận hồ sơ”." });
    // The same response clears it, so a reload (which sends what the browser kept) shows nothing.
    const cleared = first.res.headers.getSetCookie().find((c) => c.startsWith(`${TOAST_COOKIE}=`))!;
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);
    const reload = await nextPage(organizer, null, path);
    expect(reload.data.toast).toBeNull();
    expect(reload.res.headers.getSetCookie().some((c) => c.startsWith(`${TOAST_COOKIE}=`))).toBe(false);
    // The round moved once.
    const [r] = await db().select().from(rounds).where(eq(rounds.id, round.id));
    expect(r.status).toBe("registration");
  });

  it("ignores a message cookie that was not signed by the server", async () => {
    const user = await createTestUser();
    const forged = `${TOAST_COOKIE}=${Buffer.from(JSON.stringify({ __flash_toast__: { kind: "ok", message: "Tài khoản của bạn bị khóa, gọi 0900…" } })).toString("base64")}`;
    const { data } = await nextPage(user, forged, "/");
    expect(data.toast).toBeNull();
  });

  it("every converted form of the organiser's round pages redirects with its message", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const slug = ctx.round.slug;
    const draftRound = await createTestRound({ actorId: ctx.organizer.id });
    const spare = await createTestUser({ roles: ["juror"] });
    await saveCouncilMember({
      roundId: draftRound.id,
      actorId: ctx.organizer.id,
      email: spare.email,
      role: "member",
      groupNos: [],
    });
    const cases: [Response, string, string][] = [
      [
        await call(rubricRoute.action, requestAs(ctx.organizer, `/organizer/rounds/${draftRound.slug}/rubric`, { form: confirmed({ intent: "reset" }) }), { slug: draftRound.slug }),
        `/organizer/rounds/${draftRound.slug}/rubric`,
        "Đã khôi phục thang điểm mặc định.",
      ],
      [
        await call(
          councilRoute.action,
          requestAs(ctx.organizer, `/organizer/rounds/${draftRound.slug}/council`, {
            form: { intent: "invite-member", email: "moi-vao-hoi-dong@example.vn", role: "member" },
          }),
          { slug: draftRound.slug },
        ),
        `/organizer/rounds/${draftRound.slug}/council`,
        "Đã gửi lời mời qua email.",
      ],
      [
        await call(
          councilRoute.action,
          requestAs(ctx.organizer, `/organizer/rounds/${draftRound.slug}/council`, {
            form: { intent: "update-member", userId: spare.id, role: "chair", groupNos: ["2"] },
          }),
          { slug: draftRound.slug },
        ),
        `/organizer/rounds/${draftRound.slug}/council`,
        "Đã lưu thành viên hội đồng.",
      ],
      [
        await call(councilRoute.action, requestAs(ctx.organizer, `/organizer/rounds/${draftRound.slug}/council`, { form: confirmed({ intent: "remove-member", userId: spare.id }) }), { slug: draftRound.slug }),
        `/organizer/rounds/${draftRound.slug}/council`,
        "Đã rút thành viên khỏi hội đồng.",
      ],
      [
        await call(councilRoute.action, requestAs(ctx.organizer, `/organizer/rounds/${slug}/council`, { form: { intent: "same-province", enabled: "1" } }), { slug }),
        `/organizer/rounds/${slug}/council`,
        "Đã cập nhật quy tắc xung đột cùng tỉnh",
      ],
    ];
    for (const [res, location, message] of cases) {
      const toast = await toastOf(res);
      expect(toast.location).toBe(location);
      expect(toast.message).toContain(message);
    }
  });
});

describe("irreversible actions wait for a confirmation", () => {
  it("a juror's submission without confirm=1 writes nothing and answers the confirmation step with the same fields", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const [juror] = ctx.jurors;
    const entry = ctx.entries[0];
    const points = await pointsForTotal(ctx.round.id, 80);
    const form = { intent: "submit", comment: "Tốt", ...Object.fromEntries(Object.entries(points).map(([k, v]) => [`p.${k}`, v])) };
    const before = await auditRows();
    const res = await call(sheetRoute.action, requestAs(juror, `/jury/entries/${entry.id}`, { form }), { entryId: String(entry.id) });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.confirmation).toMatchObject({ title: CONFIRM.submitSheet.title, message: "Sau khi nộp, phiếu sẽ bị khóa và không sửa được. Điểm của phiếu được tính vào kết quả của sản phẩm." });
    expect(Object.fromEntries(body.confirmation.carry)).toEqual(form);
    expect(await db().select().from(scoreSheets).where(eq(scoreSheets.entryId, entry.id))).toHaveLength(0);
    expect(await auditRows()).toBe(before);
    // Sending the carried fields back with confirm=1 (the step's button) submits, once.
    const again = await call(sheetRoute.action, requestAs(juror, `/jury/entries/${entry.id}`, { form: confirmed(Object.fromEntries(body.confirmation.carry) as Record<string, string>) }), { entryId: String(entry.id) });
    expect((await toastOf(again)).message).toContain("Phiếu đã được khóa");
    const [sheet] = await db().select().from(scoreSheets).where(eq(scoreSheets.entryId, entry.id));
    expect(sheet.status).toBe("submitted");
  });

  it("another juror's entry answers 404 before any confirmation is offered", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const stranger = await createTestUser({ roles: ["juror"] });
    const entry = ctx.entries[0];
    const res = await call(sheetRoute.action, requestAs(stranger, `/jury/entries/${entry.id}`, { form: { intent: "submit" } }), { entryId: String(entry.id) });
    expect(res.status).toBe(404);
  });

  it("advancing, finalising, publishing and removing a member do nothing without confirmation", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 2 });
    const slug = ctx.round.slug;
    for (const j of ctx.jurors) await submitSheet({ roundId: ctx.round.id, entryId: ctx.entries[0].id, jurorId: j.id, total: 80 });
    const before = await auditRows();
    const results = `/organizer/rounds/${slug}/results`;
    const answers = [
      await call(overview.action, requestAs(ctx.organizer, `/organizer/rounds/${slug}`, { form: { intent: "advance", from: "scoring" } }), { slug }),
      await call(resultsRoute.action, requestAs(ctx.organizer, results, { form: { intent: "finalise" } }), { slug }),
      await call(resultsRoute.action, requestAs(ctx.organizer, results, { form: { intent: "publish" } }), { slug }),
      await call(
        resultsRoute.action,
        requestAs(ctx.organizer, results, { form: { intent: "reopen", reason: "Một lý do đủ dài để mở lại" } }),
        { slug },
      ),
      await call(
        councilRoute.action,
        requestAs(ctx.organizer, `/organizer/rounds/${slug}/council`, {
          form: { intent: "remove-member", userId: ctx.jurors[1].id },
        }),
        { slug },
      ),
    ];
    const titles = [
      CONFIRM.advanceRound("Thảo luận, chốt kết quả").title,
      CONFIRM.finalise.title,
      CONFIRM.publish.title,
      CONFIRM.reopen.title,
      CONFIRM.removeMember.title,
    ];
    for (const [i, res] of answers.entries()) {
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).confirmation.title.split("“")[0]).toBe(titles[i].split("“")[0]);
    }
    const [r] = await db().select().from(rounds).where(eq(rounds.id, ctx.round.id));
    expect(r).toMatchObject({ status: "scoring", finalisedAt: null, finalHash: null });
    expect(await db().select().from(councilMembers).where(eq(councilMembers.roundId, ctx.round.id))).toHaveLength(2);
    expect(await auditRows()).toBe(before);
  });

  it("revoking a role, issuing a decision and revoking a certificate of merit do nothing without confirmation", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const target = await createTestUser({ roles: ["juror"] });
    const [role] = rowsOf<{ id: number }>(await db().execute(sql`select id from user_roles where user_id = ${target.id}`));
    const officer = await createOfficer();
    const draft = await createTestDecision({ actorId: officer.id });
    const issued = await createTestDecision({ actorId: officer.id, issue: true });
    const page = await jsonOf(await call(decisionRoute.loader, requestAs(officer, `/ministry/decisions/${issued.id}`), { id: String(issued.id) }));
    const recipient = page.recipients[0];
    const before = await auditRows();
    const answers = [
      await call(adminUsers.action, requestAs(admin, "/admin/users", { form: { intent: "revoke", roleId: role.id } })),
      await call(decisionRoute.action, requestAs(officer, `/ministry/decisions/${draft.id}`, { form: { intent: "issue" } }), { id: String(draft.id) }),
      await call(decisionRoute.action, requestAs(officer, `/ministry/decisions/${issued.id}`, { form: { intent: "revoke", recipientId: recipient.id, reason: "Hồ sơ không đúng sự thật" } }), { id: String(issued.id) }),
    ];
    expect(await Promise.all(answers.map(async (r) => [r.status, (await jsonOf(r)).confirmation.title]))).toEqual([
      [200, CONFIRM.revokeRole.title],
      [200, CONFIRM.issueDecision.title],
      [200, CONFIRM.revokeMerit.title],
    ]);
    expect(rowsOf(await db().execute(sql`select id from user_roles where id = ${role.id}`))).toHaveLength(1);
    expect(rowsOf<{ status: string }>(await db().execute(sql`select status from commendation_decisions where id = ${draft.id}`))[0].status).toBe("draft");
    const [cert] = await db().select().from(certificates).where(eq(certificates.serial, recipient.serial));
    expect(cert.revokedAt).toBeNull();
    expect(await auditRows()).toBe(before);
  });
});
