import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { saveCouncilMember } from "../../app/models/council/council.server";
import { autoAssign } from "../../app/models/scoring/assignment.server";
import * as route from "../../app/routes/organizer.rounds.$slug.council";
import { db } from "../../app/utils/db.server";
import { assignments } from "../../db/schema";
import { call, createTestUser, requestAs, toastOf } from "../factories";
import { createEligibleEntry, createOrganizer, createTestRound, setRoundStatus } from "../factories/scoring";

async function setup() {
  const organizer = await createOrganizer();
  const round = await createTestRound({ actorId: organizer.id });
  const jurors = [];
  for (let i = 0; i < 4; i++) {
    const j = await createTestUser({ roles: ["juror"] });
    await saveCouncilMember({
      roundId: round.id,
      actorId: organizer.id,
      email: j.email,
      role: "member",
      groupNos: i === 3 ? [1] : [],
    });
    jurors.push(j);
  }
  const entries = [];
  for (let i = 0; i < 6; i++) entries.push(await createEligibleEntry({ roundId: round.id, groupNo: (i % 2) + 1 }));
  await setRoundStatus(round.id, "screening");
  return { organizer, round, jurors, entries };
}

describe("assignment", () => {
  it("automatic: k jurors per entry, load balanced, deterministic (same result when re-run)", async () => {
    const { organizer, round } = await setup();
    const path = `/organizer/rounds/${round.slug}/council`;
    const res = await call(route.action, requestAs(organizer, path, { form: { intent: "auto-assign", k: "2" } }), {
      slug: round.slug,
    });
    const toast = await toastOf(res);
    expect(toast.message).toContain("12 lượt");
    expect(toast.location).toBe(path);
    const first = await db()
      .select({ e: assignments.entryId, j: assignments.jurorId })
      .from(assignments)
      .where(eq(assignments.roundId, round.id))
      .orderBy(assignments.entryId, assignments.jurorId);
    const load = new Map<string, number>();
    for (const a of first) load.set(a.j, (load.get(a.j) ?? 0) + 1);
    expect(Math.max(...load.values()) - Math.min(...load.values())).toBeLessThanOrEqual(1);
    await autoAssign({ roundId: round.id, actorId: organizer.id, k: 2 });
    const second = await db()
      .select({ e: assignments.entryId, j: assignments.jurorId })
      .from(assignments)
      .where(eq(assignments.roundId, round.id))
      .orderBy(assignments.entryId, assignments.jurorId);
    expect(second).toEqual(first);
  });

  it("says which entries lack jurors and why", async () => {
    const { organizer, round } = await setup();
    const res = await call(
      route.action,
      requestAs(organizer, `/organizer/rounds/${round.slug}/council`, { form: { intent: "auto-assign", k: "4" } }),
      { slug: round.slug },
    );
    const toast = await toastOf(res);
    expect(toast.kind).toBe("error");
    expect(toast.message).toContain("3 hồ sơ chưa đủ giám khảo");
    expect(toast.details).toHaveLength(3); // group-2 entries: juror 4 judges group 1 only
    expect(toast.details?.[0]).toContain("Cần 4 giám khảo nhưng chỉ có 3");
    const bad = await call(
      route.action,
      requestAs(organizer, `/organizer/rounds/${round.slug}/council`, { form: { intent: "auto-assign", k: "-1" } }),
      { slug: round.slug },
    );
    expect(bad.status).toBe(400);
  });

  it("manual: add and remove; a juror outside the council or the group is refused", async () => {
    const { organizer, round, jurors, entries } = await setup();
    const path = `/organizer/rounds/${round.slug}/council`;
    const add = (entryId: number, jurorId: string, intent = "assign") =>
      call(route.action, requestAs(organizer, path, { form: { intent, entryId: String(entryId), jurorId } }), {
        slug: round.slug,
      });
    expect((await toastOf(await add(entries[0].id, jurors[0].id))).message).toBe("Đã phân công giám khảo.");
    expect((await add(entries[1].id, jurors[3].id)).status).toBe(400); // group 2, juror judges group 1
    const stranger = await createTestUser({ roles: ["juror"] });
    expect((await add(entries[0].id, stranger.id)).status).toBe(400);
    expect((await toastOf(await add(entries[0].id, jurors[0].id, "unassign"))).message).toBe("Đã bỏ phân công.");
    expect(await db().select().from(assignments).where(eq(assignments.roundId, round.id))).toHaveLength(0);
  });
});
