import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { isConflicted } from "../../app/models/council/council.server";
import { autoAssign } from "../../app/models/scoring/assignment.server";
import * as sheetRoute from "../../app/routes/jury.entries.$entryId";
import * as route from "../../app/routes/organizer.rounds.$slug.council";
import { db } from "../../app/utils/db.server";
import { assignments, conflicts, councilMembers } from "../../db/schema";
import { call, createTestUser, jsonOf, requestAs, toastOf } from "../factories";
import { createEligibleEntry, createOrganizer, createTestRound, setRoundStatus } from "../factories/scoring";

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
        await call(route.action, requestAs(other, path, { form: { intent: "add-member", email: juror.email, role: "member" } }), {
          slug: round.slug,
        })
      ).status,
    ).toBe(404);
    expect(await db().select().from(councilMembers).where(eq(councilMembers.roundId, round.id))).toHaveLength(0);
  });

  it("adds members with role and groups; refuses accounts that are not jurors", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}/council`;
    const juror = await createTestUser({ roles: ["juror"] });
    const res = await call(
      route.action,
      requestAs(organizer, path, { form: { intent: "add-member", email: juror.email, role: "chair", groupNos: ["1", "2"] } }),
      { slug: round.slug },
    );
    expect(await toastOf(res)).toMatchObject({ message: "Đã lưu thành viên hội đồng.", location: path });
    const [m] = await db().select().from(councilMembers).where(eq(councilMembers.roundId, round.id));
    expect(m).toMatchObject({ role: "chair", groupNos: [1, 2] });
    const owner = await createTestUser({ roles: ["facility"] });
    const refused = await call(
      route.action,
      requestAs(organizer, path, { form: { intent: "add-member", email: owner.email, role: "member" } }),
      { slug: round.slug },
    );
    expect(refused.status).toBe(400);
    expect((await jsonOf(refused)).formError).toContain("Giám khảo");
  });

  it("a juror who is a member of the entry's facility is in automatic conflict: never assigned, and 404 on the entry", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const insider = await createTestUser({ roles: ["juror", "facility"] });
    const fair = await createTestUser({ roles: ["juror"] });
    const own = await createEligibleEntry({ roundId: round.id, memberId: insider.id });
    const other = await createEligibleEntry({ roundId: round.id });
    const path = `/organizer/rounds/${round.slug}/council`;
    for (const j of [insider, fair])
      await call(route.action, requestAs(organizer, path, { form: { intent: "add-member", email: j.email, role: "member" } }), {
        slug: round.slug,
      });
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
    await call(
      route.action,
      requestAs(organizer, path, {
        form: { intent: "add-member", email: local.email, role: "member", provinceCode: "ninh-binh" },
      }),
      { slug: round.slug },
    );
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
