/**
 * Issue 18, item 5: what the juror's sheet page and a submission read, now in fewer queries. The
 * signed-in user comes from one query with lucia's session rules (an expired session is refused and
 * deleted, one past half its life is extended, a disabled account is nobody), shared by the loaders
 * of one GET only; the frozen rubric comes from memory only while the rubric in the database is the
 * one remembered — a rubric changed by any path (here: the round sent back to screening by SQL and
 * the rubric replaced) is read again by the page and by a save.
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { defaultRubric } from "../../app/models/round/rubric-rules";
import { replaceRubric } from "../../app/models/round/rubric.server";
import { getSheetForJuror, saveScoreSheet } from "../../app/models/scoring/scoring.server";
import * as sheetRoute from "../../app/routes/jury.entries.$entryId";
import { getUser, sessionIdFrom } from "../../app/utils/auth.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { runInRequest } from "../../app/utils/request-context.server";
import { sessions, users } from "../../db/schema";
import { call, createTestUser, requestAs } from "../factories";
import { pointsForTotal, scoringRound, setRoundStatus } from "../factories/scoring";

const DAY = 24 * 60 * 60 * 1000;

async function expiresAt(sessionId: string) {
  const [row] = await db().select({ at: sessions.expiresAt }).from(sessions).where(eq(sessions.id, sessionId));
  return row?.at ?? null;
}

describe("the signed-in user in one query", () => {
  it("answers the account with its roles and scopes", async () => {
    const user = await createTestUser({ roles: ["juror"], organizerScope: { scopeLevel: "region", scopeRegion: "BAC" }, fullName: "Lê Văn Một Truy Vấn" });
    const found = await getUser(requestAs(user, "/"));
    expect(found).toMatchObject({ id: user.id, email: user.email, fullName: "Lê Văn Một Truy Vấn", emailVerified: true });
    expect(found!.roles).toEqual(
      expect.arrayContaining([
        { role: "juror", scopeLevel: null, scopeRegion: null, scopeProvince: null },
        { role: "organizer", scopeLevel: "region", scopeRegion: "BAC", scopeProvince: null },
      ]),
    );
    expect(found!.roles).toHaveLength(2);
  });

  it("refuses and deletes an expired session; extends one past half its 7 days; a disabled account is nobody", async () => {
    const expired = await createTestUser({ roles: ["juror"] });
    const expiredId = sessionIdFrom(requestAs(expired, "/"))!;
    await db().update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, expiredId));
    expect(await getUser(requestAs(expired, "/"))).toBeNull();
    expect(await expiresAt(expiredId)).toBeNull();

    const ageing = await createTestUser({ roles: ["juror"] });
    const ageingId = sessionIdFrom(requestAs(ageing, "/"))!;
    await db().update(sessions).set({ expiresAt: new Date(Date.now() + 2 * DAY) }).where(eq(sessions.id, ageingId));
    expect((await getUser(requestAs(ageing, "/")))?.id).toBe(ageing.id);
    expect((await expiresAt(ageingId))!.getTime()).toBeGreaterThan(Date.now() + 6.9 * DAY);

    // A fresh session (more than half its life left) is not written on every request.
    const fresh = await createTestUser({ roles: ["juror"] });
    const freshId = sessionIdFrom(requestAs(fresh, "/"))!;
    const set = new Date(Date.now() + 5 * DAY);
    await db().update(sessions).set({ expiresAt: set }).where(eq(sessions.id, freshId));
    await getUser(requestAs(fresh, "/"));
    expect((await expiresAt(freshId))!.getTime()).toBe(set.getTime());

    await db().update(users).set({ disabledAt: new Date() }).where(eq(users.id, fresh.id));
    expect(await getUser(requestAs(fresh, "/"))).toBeNull();
  });

  it("is shared by the loaders of one GET, never by a POST nor across requests", async () => {
    const user = await createTestUser({ roles: ["juror"] });
    const inGet = await runInRequest({ requestId: "t-get", memo: new Map() }, async () => {
      const [a, b] = await Promise.all([getUser(requestAs(user, "/")), getUser(requestAs(user, "/jury"))]);
      return a === b;
    });
    expect(inGet).toBe(true);
    const inPost = await runInRequest({ requestId: "t-post" }, async () => (await getUser(requestAs(user, "/"))) === (await getUser(requestAs(user, "/"))));
    expect(inPost).toBe(false);
    // The next request sees a change made in between (here: the account disabled).
    await db().update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    expect(await runInRequest({ requestId: "t-next", memo: new Map() }, () => getUser(requestAs(user, "/")))).toBeNull();
  });
});

describe("the frozen rubric from memory", () => {
  it("reads the rubric again once it changed in the database, on the page and on a save", async () => {
    const ctx = await scoringRound({ entryCount: 2, jurorCount: 1 });
    const juror = ctx.jurors[0];
    const [first, second] = ctx.entries;
    const path = `/jury/entries/${first.id}`;
    const page = async () => (await (await call(sheetRoute.loader, requestAs(juror, path), { entryId: String(first.id) })).json()) as { rubric: { id: number; name: string }[] };
    const before = await page();
    const oldIds = before.rubric.map((c) => c.id);
    expect(await page()).toEqual(before);

    // Any path that changes the rubric (here: the round sent back by SQL, as a script could).
    await setRoundStatus(ctx.round.id, "screening");
    const tree = defaultRubric();
    tree[0] = { ...tree[0], name: `${tree[0].name} (sửa lại)` };
    await replaceRubric({ roundId: ctx.round.id, actorId: ctx.organizer.id, tree });
    await setRoundStatus(ctx.round.id, "scoring");

    const after = await page();
    expect(after.rubric[0].name).toBe(`${tree[0].name}`);
    expect(after.rubric.map((c) => c.id)).not.toEqual(oldIds);
    const sheet = await getSheetForJuror({ jurorId: juror.id, entryId: first.id });
    expect(sheet.rubric.map((c) => c.id)).toEqual(after.rubric.map((c) => c.id));

    // A save checks the points against the rubric the database holds: the new criteria are accepted.
    const points = await pointsForTotal(ctx.round.id, 80);
    const saved = await saveScoreSheet({ jurorId: juror.id, entryId: second.id, points, submit: true });
    expect(saved).toMatchObject({ status: "submitted", total: 80 });
    const stored = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from scores where sheet_id = ${saved.sheetId}`))[0].n;
    expect(stored).toBe(Object.keys(points).length);
  });

  it("never hands out a rubric a caller could change", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const sheet = await getSheetForJuror({ jurorId: ctx.jurors[0].id, entryId: ctx.entries[0].id });
    const again = await getSheetForJuror({ jurorId: ctx.jurors[0].id, entryId: ctx.entries[0].id });
    expect(again.rubric).toBe(sheet.rubric);
    expect(Object.isFrozen(sheet.rubric)).toBe(true);
    expect(Object.isFrozen(sheet.rubric[0])).toBe(true);
    expect(Object.isFrozen(sheet.rubric[0].children)).toBe(true);
  });
});
