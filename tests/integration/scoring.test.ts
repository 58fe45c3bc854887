import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { getRubricLeaves } from "../../app/models/round/rubric.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import * as queueRoute from "../../app/routes/jury._index";
import * as sheetRoute from "../../app/routes/jury.entries.$entryId";
import { db, rowsOf } from "../../app/utils/db.server";
import { rounds, scores, scoreSheets } from "../../db/schema";
import { call, confirmed, createTestUser, jsonOf, requestAs, toastOf } from "../factories";
import { pointsForTotal, scoringRound } from "../factories/scoring";

async function sheetCount(entryId: number) {
  return rowsOf<{ n: number }>(
    await db().execute(sql`select count(*)::int as n from score_sheets where entry_id = ${entryId}`),
  )[0].n;
}

/** The sheet's form; a submission is sent as after the juror confirmed it (confirm=1). */
function form(points: Record<string, string>, intent: "save" | "submit", comment = "") {
  const sheet = { intent, comment, ...Object.fromEntries(Object.entries(points).map(([k, v]) => [`p.${k}`, v])) };
  return intent === "submit" ? confirmed(sheet) : sheet;
}

describe("jury routes", () => {
  it("refuse anonymous (302 to login) and non-jurors (403)", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const path = `/jury/entries/${ctx.entries[0].id}`;
    const anon = await call(sheetRoute.loader, requestAs(null, path), { entryId: String(ctx.entries[0].id) });
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toContain("/login");
    const owner = await createTestUser({ roles: ["facility"] });
    expect((await call(sheetRoute.loader, requestAs(owner, path), { entryId: String(ctx.entries[0].id) })).status).toBe(403);
    expect(
      (
        await call(sheetRoute.action, requestAs(owner, path, { form: { intent: "save" } }), {
          entryId: String(ctx.entries[0].id),
        })
      ).status,
    ).toBe(403);
    expect((await call(queueRoute.loader, requestAs(null, "/jury"))).status).toBe(302);
    expect((await call(queueRoute.loader, requestAs(ctx.organizer, "/jury"))).status).toBe(403);
  });

  it("a juror's queue shows assigned entries with progress; the sheet saves a draft and submits, then is locked", async () => {
    const ctx = await scoringRound({ entryCount: 2, jurorCount: 1 });
    const [juror] = ctx.jurors;
    const entry = ctx.entries[0];
    const queue = await jsonOf(await call(queueRoute.loader, requestAs(juror, "/jury")));
    expect(queue.rounds[0].entries).toHaveLength(2);
    const params = { entryId: String(entry.id) };
    const page = await call(sheetRoute.loader, requestAs(juror, `/jury/entries/${entry.id}`), params);
    expect(page.status).toBe(200);
    const points = await pointsForTotal(ctx.round.id, 82.5);
    const draft = await call(
      sheetRoute.action,
      requestAs(juror, `/jury/entries/${entry.id}`, { form: form(points, "save") }),
      params,
    );
    expect(await toastOf(draft)).toMatchObject({ location: `/jury/entries/${entry.id}`, message: expect.stringContaining("82,5") });
    const submitted = await call(
      sheetRoute.action,
      requestAs(juror, `/jury/entries/${entry.id}`, { form: form(points, "submit", "Sản phẩm tốt") }),
      params,
    );
    expect((await toastOf(submitted)).message).toBe("Đã nộp phiếu chấm (tổng 82,5 điểm). Phiếu đã được khóa.");
    const [sheet] = await db().select().from(scoreSheets).where(eq(scoreSheets.entryId, entry.id));
    expect(sheet).toMatchObject({ status: "submitted", total: "82.50", comment: "Sản phẩm tốt" });
    // Every criterion's points and note stored as given (a note with quotes, a comma, a backslash, braces).
    const note = 'Bao bì "đẹp", nhãn rõ; \\ {mẫu} [1]';
    const leaf = Object.keys(points)[0];
    const other = ctx.entries[1];
    await call(
      sheetRoute.action,
      requestAs(juror, `/jury/entries/${other.id}`, { form: { ...form(points, "submit"), [`n.${leaf}`]: note } }),
      { entryId: String(other.id) },
    );
    const stored = await db()
      .select({ criterionId: scores.criterionId, points: scores.points, note: scores.note })
      .from(scores)
      .innerJoin(scoreSheets, eq(scoreSheets.id, scores.sheetId))
      .where(eq(scoreSheets.entryId, other.id));
    expect(Object.fromEntries(stored.map((r) => [String(r.criterionId), Number(r.points)]))).toEqual(
      Object.fromEntries(Object.entries(points).map(([k, v]) => [k, Number(v.replace(",", "."))])),
    );
    expect(stored.find((r) => String(r.criterionId) === leaf)?.note).toBe(note);
    // Submitted twice: refused, nothing changes.
    const again = await call(
      sheetRoute.action,
      requestAs(juror, `/jury/entries/${entry.id}`, { form: form(await pointsForTotal(ctx.round.id, 10), "submit") }),
      params,
    );
    expect(again.status).toBe(409);
    expect((await jsonOf(again)).formError).toContain("đã được nộp");
    const [still] = await db().select().from(scoreSheets).where(eq(scoreSheets.entryId, entry.id));
    expect(still.total).toBe("82.50");
    // The database refuses a direct change of a submitted sheet's scores.
    await expect(db().execute(sql`update scores set points = 0 where sheet_id = ${sheet.id}`)).rejects.toThrow();
  });

  it.each([
    ["above the criterion's maximum", "11", "vượt quá"],
    ["below zero", "-1", "âm"],
    ["not a number", "mười", "không phải là số"],
    ["with more than one decimal", "7.25", "một chữ số thập phân"],
    ["not a step of 0.5", "7.3", "bước 0,5"],
  ])("points %s are refused with a Vietnamese message and nothing is written", async (_label, bad, message) => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const entry = ctx.entries[0];
    const leaves = await getRubricLeaves(ctx.round.id);
    const first = leaves.find((l) => l.maxPoints === 10)!;
    const points = { ...(await pointsForTotal(ctx.round.id, 50)), [String(first.id)]: bad };
    const res = await call(
      sheetRoute.action,
      requestAs(ctx.jurors[0], `/jury/entries/${entry.id}`, { form: form(points, "save") }),
      { entryId: String(entry.id) },
    );
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.fields[`points.${first.id}`]).toContain(message);
    expect(await sheetCount(entry.id)).toBe(0);
  });

  it("submitting with a criterion left blank is refused; a draft may leave it blank", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const entry = ctx.entries[0];
    const points = await pointsForTotal(ctx.round.id, 50);
    delete points[Object.keys(points)[0]];
    await expect(saveScoreSheet({ jurorId: ctx.jurors[0].id, entryId: entry.id, points, submit: true })).rejects.toThrow(
      /chưa chấm điểm/,
    );
    expect(await sheetCount(entry.id)).toBe(0);
    await saveScoreSheet({ jurorId: ctx.jurors[0].id, entryId: entry.id, points, submit: false });
    expect(await sheetCount(entry.id)).toBe(1);
  });

  it("a draft saved again holds exactly what was given the last time: changed points, cleared boxes gone, notes kept", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const [juror] = ctx.jurors;
    const entry = ctx.entries[0];
    const stored = async () =>
      Object.fromEntries(
        (
          await db()
            .select({ c: scores.criterionId, p: scores.points, n: scores.note })
            .from(scores)
            .innerJoin(scoreSheets, eq(scoreSheets.id, scores.sheetId))
            .where(eq(scoreSheets.entryId, entry.id))
        ).map((r) => [String(r.c), `${Number(r.p)}|${r.n}`]),
      );
    const points = await pointsForTotal(ctx.round.id, 60);
    const [a, b, c] = Object.keys(points);
    const first = await saveScoreSheet({ jurorId: juror.id, entryId: entry.id, points: { [a]: "1", [b]: "2", [c]: "3" }, notes: { [b]: "ghi chú b" }, submit: false });
    expect(await stored()).toEqual({ [a]: "1|", [b]: "2|ghi chú b", [c]: "3|" });
    // Again: a changed, b cleared (its note goes with it), c unchanged, a note on c.
    const second = await saveScoreSheet({ jurorId: juror.id, entryId: entry.id, points: { [a]: "4", [b]: "", [c]: "3" }, notes: { [c]: "ghi chú c" }, submit: false });
    expect(second).toMatchObject({ sheetId: first.sheetId, total: 7, status: "draft" });
    expect(await stored()).toEqual({ [a]: "4|", [c]: "3|ghi chú c" });
    const [sheet] = await db().select().from(scoreSheets).where(eq(scoreSheets.entryId, entry.id));
    expect(sheet).toMatchObject({ status: "draft", total: "7.00" });
    // Nothing given: the draft stays, with no scores.
    await saveScoreSheet({ jurorId: juror.id, entryId: entry.id, points: {}, submit: false });
    expect(await stored()).toEqual({});
    // Then submitted from the draft: every criterion as given, one audit event.
    const done = await saveScoreSheet({ jurorId: juror.id, entryId: entry.id, points, submit: true });
    expect(done).toMatchObject({ sheetId: first.sheetId, total: 60, status: "submitted" });
    expect(Object.keys(await stored())).toHaveLength(Object.keys(points).length);
  });

  it("a juror scoring an entry not assigned to them gets 404 and nothing is written", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const stranger = await createTestUser({ roles: ["juror"] });
    const entry = ctx.entries[0];
    const params = { entryId: String(entry.id) };
    expect((await call(sheetRoute.loader, requestAs(stranger, `/jury/entries/${entry.id}`), params)).status).toBe(404);
    const res = await call(
      sheetRoute.action,
      requestAs(stranger, `/jury/entries/${entry.id}`, { form: form(await pointsForTotal(ctx.round.id, 80), "submit") }),
      params,
    );
    expect(res.status).toBe(404);
    expect(await sheetCount(entry.id)).toBe(0);
    expect((await call(sheetRoute.loader, requestAs(stranger, "/jury/entries/abc"), { entryId: "abc" })).status).toBe(404);
  });

  it("scoring after the scoring window, or outside the scoring stage, is refused", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const entry = ctx.entries[0];
    const points = await pointsForTotal(ctx.round.id, 80);
    await expect(
      saveScoreSheet({
        jurorId: ctx.jurors[0].id,
        entryId: entry.id,
        points,
        submit: true,
        now: new Date("2100-01-01T00:00:00Z"),
      }),
    ).rejects.toThrow("hết hạn chấm điểm");
    await db()
      .update(rounds)
      .set({ scoringClosesAt: new Date(Date.now() - 1000) })
      .where(eq(rounds.id, ctx.round.id));
    const res = await call(
      sheetRoute.action,
      requestAs(ctx.jurors[0], `/jury/entries/${entry.id}`, { form: form(points, "submit") }),
      { entryId: String(entry.id) },
    );
    expect(res.status).toBe(409);
    expect(await sheetCount(entry.id)).toBe(0);
    await db()
      .update(rounds)
      .set({ status: "deliberation", scoringClosesAt: new Date("2099-01-01") })
      .where(eq(rounds.id, ctx.round.id));
    await expect(saveScoreSheet({ jurorId: ctx.jurors[0].id, entryId: entry.id, points, submit: true })).rejects.toThrow(
      "không trong giai đoạn chấm điểm",
    );
  });

  it("a juror who declares a conflict loses the entry (404), their draft goes, and the reason is kept", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 2 });
    const entry = ctx.entries[0];
    const [juror] = ctx.jurors;
    const params = { entryId: String(entry.id) };
    await saveScoreSheet({ jurorId: juror.id, entryId: entry.id, points: await pointsForTotal(ctx.round.id, 40), submit: false });
    const noReason = await call(
      sheetRoute.action,
      requestAs(juror, `/jury/entries/${entry.id}`, { form: confirmed({ intent: "conflict", reason: "" }) }),
      params,
    );
    expect(noReason.status).toBe(400);
    const ok = await call(
      sheetRoute.action,
      requestAs(juror, `/jury/entries/${entry.id}`, { form: confirmed({ intent: "conflict", reason: "Em gái tôi là chủ cơ sở này" }) }),
      params,
    );
    expect((await toastOf(ok)).location).toBe("/jury");
    expect((await call(sheetRoute.loader, requestAs(juror, `/jury/entries/${entry.id}`), params)).status).toBe(404);
    const write = await call(
      sheetRoute.action,
      requestAs(juror, `/jury/entries/${entry.id}`, { form: form(await pointsForTotal(ctx.round.id, 80), "submit") }),
      params,
    );
    expect(write.status).toBe(404);
    expect(
      await db()
        .select()
        .from(scoreSheets)
        .where(and(eq(scoreSheets.entryId, entry.id), eq(scoreSheets.jurorId, juror.id))),
    ).toHaveLength(0);
    expect(
      rowsOf(
        await db().execute(
          sql`select 1 from conflicts where user_id = ${juror.id} and entry_id = ${entry.id} and reason like 'Em gái%'`,
        ),
      ),
    ).toHaveLength(1);
    const queue = await jsonOf(await call(queueRoute.loader, requestAs(juror, "/jury")));
    expect(queue.rounds).toHaveLength(0);
  });
});
