/**
 * Issue 15, item 7: a product group may have its own sub-criteria under the fixed 40/40/10/10. The
 * organiser defines them on the rubric page (group selector), the same rule validates their sums,
 * a juror's sheet for an entry of that group shows and accepts them (still out of 100), a group
 * without its own set uses the default, and the sets freeze with the rest once scoring starts.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { sheetTable } from "../../app/models/results/export.server";
import { defaultRubric, rubricLeaves, rubricToLines, type CriterionNode } from "../../app/models/round/rubric-rules";
import { getRubric, getRubricForGroup, replaceRubric } from "../../app/models/round/rubric.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import * as sheetRoute from "../../app/routes/jury.entries.$entryId";
import * as route from "../../app/routes/organizer.rounds.$slug.rubric";
import { db, rowsOf } from "../../app/utils/db.server";
import { call, confirmed, jsonOf, requestAs, toastOf } from "../factories";
import { createOrganizer, createTestRound, scoringRound, setRoundStatus } from "../factories/scoring";

/** The default tree with criterion 4 split into 4.a (4) and 4.b (6): a group's own set. */
function splitFour(a = 4, b = 6): CriterionNode[] {
  return defaultRubric().map((g) =>
    g.code === "4"
      ? {
          ...g,
          children: [
            { code: "4.a", name: "Sở hữu trí tuệ, nhãn hiệu", maxPoints: a, children: [] },
            { code: "4.b", name: "Tham gia hội chợ, xúc tiến thương mại", maxPoints: b, children: [] },
          ],
        }
      : g,
  );
}

const hint = (h: string) => ({ cause: expect.objectContaining({ hint: h }) });
const full = (leaves: { id: number; maxPoints: number }[]) =>
  Object.fromEntries(leaves.map((l) => [String(l.id), String(l.maxPoints)]));

describe("sub-criteria per product group", () => {
  it("the organiser sets a group's own sub-criteria on the rubric page; sums are validated in Vietnamese, nothing half-saved; the set can be removed", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}/rubric`;
    const defaultLines = rubricToLines(await getRubric(round.id));

    // Before: group 2 has no set of its own and the page shows the default one for it.
    const view = await jsonOf(await call(route.loader, requestAs(organizer, `${path}?group=2`), { slug: round.slug }));
    expect(view).toMatchObject({ group: 2, ownSet: false, lines: defaultLines });
    expect(view.groups).toHaveLength(4);

    const bad = await call(
      route.action,
      requestAs(organizer, `${path}?group=2`, { form: { intent: "save", group: "2", lines: rubricToLines(splitFour(4, 7)) } }),
      { slug: round.slug },
    );
    expect(bad.status).toBe(400);
    const refused = await jsonOf(bad);
    expect(refused.formError).toContain("Thang điểm của nhóm 2 chưa hợp lệ");
    expect(refused.formError).toContain("Tổng điểm các tiêu chí con của 4 là 11, phải bằng 10");
    expect(await getRubric(round.id, db(), 2)).toEqual([]);

    // The fixed maxima hold for a group too.
    const moved = rubricToLines(splitFour()).replace(
      "3 | Tiêu chí về tính văn hóa, tính thẩm mỹ | 10",
      "3 | Tiêu chí về tính văn hóa, tính thẩm mỹ | 12",
    );
    const fixed = await call(route.action, requestAs(organizer, path, { form: { intent: "save", group: "2", lines: moved } }), {
      slug: round.slug,
    });
    expect((await jsonOf(fixed)).formError).toContain("cố định là 10");

    const notAGroup = await call(
      route.action,
      requestAs(organizer, path, { form: { intent: "save", group: "7", lines: defaultLines } }),
      {
        slug: round.slug,
      },
    );
    expect(notAGroup.status).toBe(400);
    expect((await jsonOf(notAGroup)).formError).toBe("Nhóm sản phẩm không tồn tại.");
    expect(
      rowsOf<{ n: number }>(
        await db().execute(
          sql`select count(*)::int as n from rubric_criteria where round_id = ${round.id} and product_group is not null`,
        ),
      )[0].n,
    ).toBe(0);

    const ok = await call(
      route.action,
      requestAs(organizer, path, { form: { intent: "save", group: "2", lines: rubricToLines(splitFour()) } }),
      { slug: round.slug },
    );
    expect(await toastOf(ok)).toMatchObject({ message: "Đã lưu tiêu chí con riêng của nhóm 2.", location: `${path}?group=2` });
    expect((await getRubric(round.id, db(), 2))[3].children.map((c) => [c.code, c.maxPoints])).toEqual([
      ["4.a", 4],
      ["4.b", 6],
    ]);
    // The default set and the other groups are untouched.
    expect(rubricToLines(await getRubric(round.id))).toBe(defaultLines);
    expect(await getRubricForGroup(round.id, 3)).toMatchObject({ own: false });
    const page = await jsonOf(await call(route.loader, requestAs(organizer, `${path}?group=2`), { slug: round.slug }));
    expect(page).toMatchObject({ group: 2, ownSet: true });
    expect(page.groups.find((g: { no: number }) => g.no === 2).own).toBe(true);

    const cleared = await call(route.action, requestAs(organizer, path, { form: confirmed({ intent: "reset", group: "2" }) }), {
      slug: round.slug,
    });
    expect(await toastOf(cleared)).toMatchObject({ message: "Nhóm 2 dùng lại thang điểm chung của đợt." });
    expect(await getRubricForGroup(round.id, 2)).toMatchObject({ own: false });
    expect(rubricToLines(await getRubric(round.id))).toBe(defaultLines);
  });

  it("a juror's sheet for an entry of a group with its own set shows and accepts those sub-criteria (out of 100); another group's entry uses the default", async () => {
    const ctx = await scoringRound({ entryCount: 2, jurorCount: 1 }); // entries of groups 1 and 2
    const [juror] = ctx.jurors;
    const [one, two] = ctx.entries;
    expect([one.groupNo, two.groupNo]).toEqual([1, 2]);
    await setRoundStatus(ctx.round.id, "screening");
    await replaceRubric({ roundId: ctx.round.id, actorId: ctx.organizer.id, tree: splitFour(), groupNo: 2 });
    await setRoundStatus(ctx.round.id, "scoring");

    const sheetOf = async (entryId: number) =>
      jsonOf(await call(sheetRoute.loader, requestAs(juror, `/jury/entries/${entryId}`), { entryId: String(entryId) }));
    const groupTwo = await sheetOf(two.id);
    const leavesTwo = rubricLeaves(groupTwo.rubric as { id: number; code: string; maxPoints: number; children: never[] }[]);
    expect(leavesTwo.map((l) => l.code)).toContain("4.b");
    const groupOne = await sheetOf(one.id);
    const leavesOne = rubricLeaves(groupOne.rubric as { id: number; code: string; maxPoints: number; children: never[] }[]);
    expect(leavesOne.map((l) => l.code)).not.toContain("4.b");
    expect(leavesOne.map((l) => l.id)).toEqual(rubricLeaves(await getRubric(ctx.round.id)).map((l) => l.id));

    // The default set's points do not complete a group-2 sheet: its own criteria are missing.
    const wrongSet = saveScoreSheet({ jurorId: juror.id, entryId: two.id, points: full(leavesOne), submit: true });
    const fourB = leavesTwo.find((l) => l.code === "4.b")!;
    await expect(wrongSet).rejects.toMatchObject({
      status: 400,
      fields: expect.objectContaining({ [`points.${fourB.id}`]: "4.b: chưa chấm điểm." }),
    });

    // A draft, then the database itself refuses a default criterion on the group-2 sheet.
    await saveScoreSheet({ jurorId: juror.id, entryId: two.id, points: {}, submit: false });
    const [sheet] = rowsOf<{ id: number }>(
      await db().execute(sql`select id from score_sheets where entry_id = ${two.id} and juror_id = ${juror.id}`),
    );
    const defaultFour = leavesOne.find((l) => l.code === "4")!;
    await expect(
      db().execute(sql`insert into scores (sheet_id, criterion_id, points, note) values (${sheet.id}, ${defaultFour.id}, 5, '')`),
    ).rejects.toMatchObject(hint("cnnt:criterion_group"));

    const two100 = await saveScoreSheet({ jurorId: juror.id, entryId: two.id, points: full(leavesTwo), submit: true });
    const one100 = await saveScoreSheet({ jurorId: juror.id, entryId: one.id, points: full(leavesOne), submit: true });
    expect([two100.total, one100.total]).toEqual([100, 100]);
    const totals = rowsOf<{ entry_id: number; total: string }>(
      await db().execute(
        sql`select entry_id, total::text as total from score_sheets where round_id = ${ctx.round.id} order by entry_id`,
      ),
    );
    expect(totals.map((t) => Number(t.total))).toEqual([100, 100]);

    // The sheet export has the group set's columns too, filled only for that group's entry.
    const table = await sheetTable(ctx.round.id);
    const col = table.headers.indexOf("Nhóm 2 · 4.b (tối đa 6)");
    expect(col).toBeGreaterThan(-1);
    expect(table.rows.map((r) => r[col])).toEqual(expect.arrayContaining([6, null]));
  });

  it("a group's set is frozen with the rest of the rubric once scoring starts (route and direct SQL)", async () => {
    const ctx = await scoringRound({ entryCount: 2, jurorCount: 1 });
    await setRoundStatus(ctx.round.id, "screening");
    await replaceRubric({ roundId: ctx.round.id, actorId: ctx.organizer.id, tree: splitFour(), groupNo: 2 });
    await setRoundStatus(ctx.round.id, "scoring");
    const path = `/organizer/rounds/${ctx.round.slug}/rubric`;

    const save = await call(
      route.action,
      requestAs(ctx.organizer, path, { form: { intent: "save", group: "3", lines: rubricToLines(splitFour()) } }),
      { slug: ctx.round.slug },
    );
    expect(save.status).toBe(409);
    expect((await jsonOf(save)).formError).toContain("đã được chốt");
    const clear = await call(route.action, requestAs(ctx.organizer, path, { form: confirmed({ intent: "reset", group: "2" }) }), {
      slug: ctx.round.slug,
    });
    expect(clear.status).toBe(409);

    const rid = ctx.round.id;
    await expect(
      db().execute(
        sql`insert into rubric_criteria (round_id, product_group, code, name, max_points, position) values (${rid}, 3, '1', 'x', 40, 0)`,
      ),
    ).rejects.toMatchObject(hint("cnnt:rubric_frozen"));
    await expect(
      db().execute(sql`update rubric_criteria set max_points = 5 where round_id = ${rid} and product_group = 2 and code = '4.a'`),
    ).rejects.toMatchObject(hint("cnnt:rubric_frozen"));
    await expect(
      db().execute(sql`delete from rubric_criteria where round_id = ${rid} and product_group = 2`),
    ).rejects.toMatchObject(hint("cnnt:rubric_frozen"));
    expect((await getRubricForGroup(rid, 2)).own).toBe(true);
    expect((await getRubricForGroup(rid, 3)).own).toBe(false);
  });
});
