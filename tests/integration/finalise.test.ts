import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import {
  finaliseRound,
  publishRound,
  recordDecision,
  reopenRound,
  resolveTie,
  computeResults,
  verifyFinalHash,
} from "../../app/models/results/results.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { certificates, entries, rounds, scoreSheets } from "../../db/schema";
import { pointsForTotal, scoringRound, submitSheet } from "../factories/scoring";

async function scoreAll(ctx: Awaited<ReturnType<typeof scoringRound>>, totals: number[][]) {
  for (const [i, e] of ctx.entries.entries()) {
    for (const [j, juror] of ctx.jurors.entries())
      await submitSheet({ roundId: ctx.round.id, entryId: e.id, jurorId: juror.id, total: totals[i][j] });
  }
}

describe("finalise", () => {
  it("refuses while sheets are unsubmitted, listing them, and writes nothing", async () => {
    const ctx = await scoringRound({ entryCount: 2, jurorCount: 2 });
    await submitSheet({ roundId: ctx.round.id, entryId: ctx.entries[0].id, jurorId: ctx.jurors[0].id, total: 80 });
    await saveScoreSheet({
      jurorId: ctx.jurors[1].id,
      entryId: ctx.entries[0].id,
      points: await pointsForTotal(ctx.round.id, 50),
      submit: false,
    });
    await expect(finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id })).rejects.toThrow(
      /Còn 3 phiếu chấm chưa nộp: .*Giám khảo 2 – T-/,
    );
    const [round] = await db().select().from(rounds).where(eq(rounds.id, ctx.round.id));
    expect(round.finalisedAt).toBeNull();
    expect(
      (await db().select().from(entries).where(eq(entries.roundId, ctx.round.id))).every((e) => e.status === "eligible"),
    ).toBe(true);
  });

  it("finalises: statuses, means, ranks, hash; then a direct SQL UPDATE of a score is refused by the database", async () => {
    const ctx = await scoringRound({ entryCount: 3, jurorCount: 2 });
    await scoreAll(ctx, [
      [80, 90],
      [60, 65],
      [70, 70],
    ]);
    const out = await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    expect(out.selected).toBe(2);
    expect(out.hash).toMatch(/^[0-9a-f]{64}$/);
    const list = await db().select().from(entries).where(eq(entries.roundId, ctx.round.id)).orderBy(entries.id);
    expect(list.map((e) => [e.status, e.meanScore, e.rank])).toEqual([
      ["selected", "85.000", 1],
      ["not_selected", "62.500", 3],
      ["selected", "70.000", 2],
    ]);
    expect(await verifyFinalHash(ctx.round.id)).toBe(true);

    const sumPoints = async () =>
      rowsOf<{ s: string }>(
        await db().execute(
          sql`select sum(s.points)::text as s from scores s join score_sheets ss on ss.id = s.sheet_id where ss.round_id = ${ctx.round.id}`,
        ),
      )[0].s;
    const before = await sumPoints();
    const update = db().execute(
      sql`update scores set points = 0 where sheet_id in (select id from score_sheets where round_id = ${ctx.round.id})`,
    );
    await expect(update).rejects.toThrow();
    await expect(db().execute(sql`update entries set status = 'selected' where round_id = ${ctx.round.id}`)).rejects.toThrow();
    await expect(db().execute(sql`delete from score_sheets where round_id = ${ctx.round.id}`)).rejects.toThrow();
    await expect(update).rejects.toMatchObject({ cause: expect.objectContaining({ hint: "cnnt:round_finalised" }) });
    expect(await sumPoints()).toBe(before);
    expect(before).toBe("435.00"); // 80 + 90 + 60 + 65 + 70 + 70
    await expect(finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id })).rejects.toThrow("đã được chốt");
  });

  it("two organisers finalising at the same moment: exactly one wins", async () => {
    const ctx = await scoringRound({ entryCount: 2, jurorCount: 2 });
    await scoreAll(ctx, [
      [80, 90],
      [75, 72],
    ]);
    const results = await Promise.allSettled([
      finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id }),
      finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failed.reason.message).toMatch(/chốt/);
  });

  it("a tie across the quota boundary blocks finalisation until the council records a resolution", async () => {
    const ctx = await scoringRound({ entryCount: 3, jurorCount: 1, quota: 1 });
    await scoreAll(ctx, [[85], [85], [75]]);
    const live = await computeResults({ roundId: ctx.round.id });
    expect(live.tie).toMatchObject({ entryIds: [ctx.entries[0].id, ctx.entries[1].id], seats: 1, resolution: null });
    await expect(finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id })).rejects.toThrow(/đồng điểm tại ranh giới/);
    await expect(
      resolveTie({
        roundId: ctx.round.id,
        actorId: ctx.organizer.id,
        selectedEntryIds: [ctx.entries[0].id, ctx.entries[1].id],
        reason: "Hội đồng biểu quyết 5/2",
      }),
    ).rejects.toThrow(/Chọn đúng 1/);
    await expect(
      resolveTie({ roundId: ctx.round.id, actorId: ctx.organizer.id, selectedEntryIds: [ctx.entries[1].id], reason: "" }),
    ).rejects.toThrow(/lý do/);
    await resolveTie({
      roundId: ctx.round.id,
      actorId: ctx.organizer.id,
      selectedEntryIds: [ctx.entries[1].id],
      reason: "Hội đồng biểu quyết 5/2 chọn sản phẩm có thị trường xuất khẩu",
    });
    await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    const list = await db().select().from(entries).where(eq(entries.roundId, ctx.round.id)).orderBy(entries.id);
    expect(list.map((e) => e.status)).toEqual(["not_selected", "selected", "not_selected"]);
  });

  it("decision, publish with certificates, then an audited reopening with a reason", async () => {
    const ctx = await scoringRound({ entryCount: 2, jurorCount: 2 });
    await scoreAll(ctx, [
      [80, 90],
      [60, 62],
    ]);
    await expect(publishRound({ roundId: ctx.round.id, actorId: ctx.organizer.id })).rejects.toThrow(/Chốt kết quả/);
    await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    await expect(publishRound({ roundId: ctx.round.id, actorId: ctx.organizer.id })).rejects.toThrow(/quyết định/);
    await expect(
      recordDecision({
        roundId: ctx.round.id,
        actorId: ctx.organizer.id,
        decisionNo: "abc",
        decisionDate: "2026-13-01",
        decisionSigner: "",
      }),
    ).rejects.toMatchObject({
      fields: { decisionNo: expect.any(String), decisionDate: expect.any(String), decisionSigner: expect.any(String) },
    });
    await recordDecision({
      roundId: ctx.round.id,
      actorId: ctx.organizer.id,
      decisionNo: "123/QĐ-CNĐP",
      decisionDate: "2026-11-20",
      decisionSigner: "Cục trưởng Nguyễn Văn B",
    });
    const pub = await publishRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    expect(pub.certificates).toBe(1);
    const [round] = await db().select().from(rounds).where(eq(rounds.id, ctx.round.id));
    expect(round).toMatchObject({ status: "published", publicVersion: 1 });
    const certs = await db().select().from(certificates).where(eq(certificates.roundId, ctx.round.id));
    expect(certs).toHaveLength(1);
    expect(certs[0]).toMatchObject({ entryId: ctx.entries[0].id, validUntil: "2029-12-31" });

    await expect(reopenRound({ roundId: ctx.round.id, actorId: ctx.organizer.id, reason: "" })).rejects.toThrow(/lý do/);
    const [sheet] = await db().select().from(scoreSheets).where(eq(scoreSheets.entryId, ctx.entries[1].id)).limit(1);
    await reopenRound({
      roundId: ctx.round.id,
      actorId: ctx.organizer.id,
      reason: "Giám khảo phát hiện nhập nhầm điểm tiêu chí 1.2",
      sheetIds: [sheet.id],
    });
    const [after] = await db().select().from(rounds).where(eq(rounds.id, ctx.round.id));
    expect(after).toMatchObject({ status: "scoring", finalisedAt: null, publicVersion: 2 });
    const [s] = await db().select().from(scoreSheets).where(eq(scoreSheets.id, sheet.id));
    expect(s.status).toBe("draft");
    // Re-scored lower, re-finalised and re-published: the entry that lost its place loses its certificate.
    await saveScoreSheet({
      jurorId: sheet.jurorId,
      entryId: ctx.entries[1].id,
      points: await pointsForTotal(ctx.round.id, 64),
      submit: true,
    });
    await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    const sheetsA = await db().select().from(scoreSheets).where(eq(scoreSheets.entryId, ctx.entries[0].id));
    await reopenRound({
      roundId: ctx.round.id,
      actorId: ctx.organizer.id,
      reason: "Phát hiện sai sót khi cộng điểm sản phẩm thứ nhất",
      sheetIds: sheetsA.map((x) => x.id),
    });
    for (const j of ctx.jurors)
      await saveScoreSheet({
        jurorId: j.id,
        entryId: ctx.entries[0].id,
        points: await pointsForTotal(ctx.round.id, 60),
        submit: true,
      });
    await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    const again = await publishRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    expect(again).toEqual({ certificates: 0, revoked: 1 });
    const [old] = await db().select().from(certificates).where(eq(certificates.entryId, ctx.entries[0].id));
    expect(old.revokedAt).not.toBeNull();
    const audit = rowsOf<{ action: string; after: { reason: string } }>(
      await db().execute(
        sql`select action, after from audit_events where round_id = ${ctx.round.id} and action = 'round.reopen'`,
      ),
    );
    expect(audit[0].after.reason).toContain("nhập nhầm");
  });
});
