import { and, desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { acceptInvitation } from "../../app/models/account/invitation.server";
import { isConflicted } from "../../app/models/council/council.server";
import { autoAssign } from "../../app/models/scoring/assignment.server";
import * as sheetRoute from "../../app/routes/jury.entries.$entryId";
import * as route from "../../app/routes/organizer.rounds.$slug.council";
import { db } from "../../app/utils/db.server";
import { assignments, conflicts, councilMembers, outbox, userRoles } from "../../db/schema";
import { call, createTestUser, jsonOf, requestAs, type TestUser, toastOf } from "../factories";
import { createEligibleEntry, createOrganizer, createTestRound, setRoundStatus } from "../factories/scoring";

/** The invitation link's token from the last message the outbox holds for an address. */
async function invitationToken(email: string) {
  const [mail] = await db()
    .select()
    .from(outbox)
    .where(sql`lower(${outbox.recipient}) = ${email.toLowerCase()}`)
    .orderBy(desc(outbox.id))
    .limit(1);
  const token = mail?.bodyText.match(/\/invitations\/([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no invitation for ${email}`);
  return token;
}

/** The council page's only way in: the organiser invites the address, its owner accepts. */
async function joinCouncil(organizer: TestUser, slug: string, person: TestUser, form: Record<string, string | string[]> = {}) {
  const path = `/organizer/rounds/${slug}/council`;
  const res = await call(
    route.action,
    requestAs(organizer, path, { form: { intent: "invite-member", email: person.email, role: "member", ...form } }),
    { slug },
  );
  expect(res.status).toBe(302);
  await acceptInvitation({ userId: person.id, token: await invitationToken(person.email) });
}

describe("council and conflicts", () => {
  it("guards: anonymous → login, juror → 403, another region's organiser → 404", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}/council`;
    expect((await call(route.loader, requestAs(null, path), { slug: round.slug })).status).toBe(302);
    const juror = await createTestUser({ roles: ["juror"] });
    expect((await call(route.loader, requestAs(juror, path), { slug: round.slug })).status).toBe(403);
    const other = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "TRUNG_TN" } });
    expect(
      (
        await call(
          route.action,
          requestAs(other, path, { form: { intent: "invite-member", email: juror.email, role: "member" } }),
          {
            slug: round.slug,
          },
        )
      ).status,
    ).toBe(404);
    expect(await db().select().from(councilMembers).where(eq(councilMembers.roundId, round.id))).toHaveLength(0);
  });

  it("adds members only by invitation, answering the same whatever the address, so the page never reveals an account", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}/council`;
    const juror = await createTestUser({ roles: ["juror"] });
    const owner = await createTestUser({ roles: ["facility"] });
    const answers = [];
    for (const email of [juror.email, owner.email, "chua-co-tai-khoan@example.vn", juror.email.toUpperCase()]) {
      const res = await call(
        route.action,
        requestAs(organizer, path, { form: { intent: "invite-member", email, role: "chair", groupNos: ["1", "2"] } }),
        {
          slug: round.slug,
        },
      );
      answers.push({ status: res.status, ...(await toastOf(res)) });
    }
    // A juror's account, someone else's account, no account at all: the same answer every time.
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({
      status: 302,
      location: path,
      message: expect.stringMatching(/^Đã gửi lời mời qua email/),
    });
    // The invitation e-mails read alike too, and nobody is on the council before accepting.
    const mails = await db().select().from(outbox).where(eq(outbox.kind, "invite_council"));
    expect(new Set(mails.map((m) => m.subject)).size).toBe(1);
    expect(await db().select().from(councilMembers).where(eq(councilMembers.roundId, round.id))).toHaveLength(0);
    // The old direct add by address is gone.
    const direct = await call(
      route.action,
      requestAs(organizer, path, { form: { intent: "add-member", email: juror.email, role: "member" } }),
      { slug: round.slug },
    );
    expect(direct.status).toBe(400);
    expect((await jsonOf(direct)).formError).toBe("Thao tác không hợp lệ.");
    // Accepted, the invitation's role and groups hold; an account that was not a juror becomes one.
    await acceptInvitation({ userId: juror.id, token: await invitationToken(juror.email) });
    await acceptInvitation({ userId: owner.id, token: await invitationToken(owner.email) });
    const members = await db().select().from(councilMembers).where(eq(councilMembers.roundId, round.id));
    expect(members.map((m) => ({ role: m.role, groupNos: m.groupNos })).sort()).toEqual([
      { role: "chair", groupNos: [1, 2] },
      { role: "chair", groupNos: [1, 2] },
    ]);
    const ownerRoles = await db().select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, owner.id));
    expect(ownerRoles.map((r) => r.role).sort()).toEqual(["facility", "juror"]);
  });

  it("edits a member picked from the council; an account not on it is not found", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}/council`;
    const juror = await createTestUser({ roles: ["juror"] });
    await joinCouncil(organizer, round.slug, juror);
    const res = await call(
      route.action,
      requestAs(organizer, path, { form: { intent: "update-member", userId: juror.id, role: "secretary", groupNos: ["3"] } }),
      {
        slug: round.slug,
      },
    );
    expect(await toastOf(res)).toMatchObject({ message: "Đã lưu thành viên hội đồng.", location: path });
    const [m] = await db().select().from(councilMembers).where(eq(councilMembers.roundId, round.id));
    expect(m).toMatchObject({ role: "secretary", groupNos: [3] });
    const stranger = await createTestUser({ roles: ["juror"] });
    const refused = await call(
      route.action,
      requestAs(organizer, path, { form: { intent: "update-member", userId: stranger.id, role: "member" } }),
      {
        slug: round.slug,
      },
    );
    expect(refused.status).toBe(404);
    expect(await db().select().from(councilMembers).where(eq(councilMembers.userId, stranger.id))).toHaveLength(0);
    const badProvince = await call(
      route.action,
      requestAs(organizer, path, {
        form: { intent: "invite-member", email: "ai-do@example.vn", role: "member", provinceCode: "khong-co" },
      }),
      { slug: round.slug },
    );
    expect(badProvince.status).toBe(400);
    expect((await jsonOf(badProvince)).formError).toBe("Tỉnh của cơ quan công tác không hợp lệ.");
  });

  it("a juror who is a member of the entry's facility is in automatic conflict: never assigned, and 404 on the entry", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const insider = await createTestUser({ roles: ["juror", "facility"] });
    const fair = await createTestUser({ roles: ["juror"] });
    const own = await createEligibleEntry({ roundId: round.id, memberId: insider.id });
    const other = await createEligibleEntry({ roundId: round.id });
    const path = `/organizer/rounds/${round.slug}/council`;
    for (const j of [insider, fair]) await joinCouncil(organizer, round.slug, j);
    expect(await isConflicted({ roundId: round.id, jurorId: insider.id, entryId: own.id })).toBe(true);
    await setRoundStatus(round.id, "screening");
    await autoAssign({ roundId: round.id, actorId: organizer.id });
    const mine = await db().select().from(assignments).where(eq(assignments.jurorId, insider.id));
    expect(mine.map((a) => a.entryId)).toEqual([other.id]);
    // Manual assignment of the conflicted juror is refused too.
    const manual = await call(
      route.action,
      requestAs(organizer, path, { form: { intent: "assign", entryId: String(own.id), jurorId: insider.id } }),
      { slug: round.slug },
    );
    expect(manual.status).toBe(400);
    expect((await jsonOf(manual)).formError).toContain("xung đột");
    // Even if an assignment were forced into the table, the sheet answers 404.
    await db().insert(assignments).values({ roundId: round.id, entryId: own.id, jurorId: insider.id });
    await setRoundStatus(round.id, "scoring");
    expect(
      (await call(sheetRoute.loader, requestAs(insider, `/jury/entries/${own.id}`), { entryId: String(own.id) })).status,
    ).toBe(404);
    expect((await call(sheetRoute.loader, requestAs(fair, `/jury/entries/${own.id}`), { entryId: String(own.id) })).status).toBe(
      200,
    );
  });

  it("the optional same-province rule adds conflicts for jurors from the facility's province", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const local = await createTestUser({ roles: ["juror"] });
    const entry = await createEligibleEntry({ roundId: round.id });
    const path = `/organizer/rounds/${round.slug}/council`;
    await joinCouncil(organizer, round.slug, local, { provinceCode: "ninh-binh" });
    expect(await isConflicted({ roundId: round.id, jurorId: local.id, entryId: entry.id })).toBe(false);
    await call(route.action, requestAs(organizer, path, { form: { intent: "same-province", enabled: "1" } }), {
      slug: round.slug,
    });
    expect(await isConflicted({ roundId: round.id, jurorId: local.id, entryId: entry.id })).toBe(true);
    const rows = await db()
      .select()
      .from(conflicts)
      .where(and(eq(conflicts.roundId, round.id), eq(conflicts.userId, local.id)));
    expect(rows[0]).toMatchObject({ kind: "automatic", reason: expect.stringContaining("cùng tỉnh") });
    await call(route.action, requestAs(organizer, path, { form: { intent: "same-province", enabled: "0" } }), {
      slug: round.slug,
    });
    expect(await isConflicted({ roundId: round.id, jurorId: local.id, entryId: entry.id })).toBe(false);
  });
});
