/**
 * Issue 13: every attack on the result, tried as an attacker would. Each test fails on the code
 * before the counted set became a recorded fact.
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { acceptInvitation, inviteByEmail } from "../../app/models/account/invitation.server";
import { declareConflict, listConflicts, saveCouncilMember, setSameProvinceRule } from "../../app/models/council/council.server";
import { resultTable } from "../../app/models/results/export.server";
import { computeResults, finaliseRound } from "../../app/models/results/results.server";
import { decideSheet, listSheetDecisions, recordMembershipConflict } from "../../app/models/scoring/sheet-decisions.server";
import * as minutes from "../../app/routes/organizer.rounds.$slug.minutes";
import { db } from "../../app/utils/db.server";
import { assignments, auditEvents, entries, facilityMembers, scoreSheets } from "../../db/schema";
import { call, createTestUser, jsonOf, requestAs } from "../factories";
import { createEligibleEntry, scoringRound, setRoundStatus, submitSheet } from "../factories/scoring";

/** One entry, three jurors who submitted 40, 50 and 77.5 (mean 55.83); the entry has an owner. */
async function scored() {
  const ctx = await scoringRound({ entryCount: 1, jurorCount: 3 });
  const entry = ctx.entries[0];
  const owner = await createTestUser({ roles: ["facility"] });
  await db().insert(facilityMembers).values({ facilityId: entry.facilityId, userId: owner.id, role: "owner" });
  for (const [j, total] of [40, 50, 77.5].entries())
    await submitSheet({ roundId: ctx.round.id, entryId: entry.id, jurorId: ctx.jurors[j].id, total });
  const counted = async () => (await computeResults({ roundId: ctx.round.id })).entries[0];
  const pending = async () => (await listSheetDecisions(ctx.round.id)).filter((d) => d.status === "pending");
  return { ...ctx, entry, owner, counted, pending };
}

const actions = async (roundId: number) =>
  (await db().select().from(auditEvents).where(eq(auditEvents.roundId, roundId))).map((a) => a.action);

describe("the counted set is a recorded fact", () => {
  it("the staff-invite trick: inviting a juror as staff and editing the council leaves the submitted sheet counted, pending a decision", async () => {
    const w = await scored();
    expect((await w.counted()).n).toBe(3);
    // The invitation grants nothing until the juror accepts it (issue 13 §3)…
    const { token } = await inviteByEmail({ actorId: w.owner.id, email: w.jurors[0].email, target: { kind: "facility", facilityId: w.entry.facilityId } });
    expect((await w.counted()).n).toBe(3);
    // …and once accepted, the submitted sheet still counts until the organiser decides.
    await acceptInvitation({ userId: w.jurors[0].id, token });
    // The next council edit recomputes the automatic conflicts (the old path of the attack).
    await saveCouncilMember({ roundId: w.round.id, actorId: w.organizer.id, email: w.jurors[1].email, role: "member", groupNos: [] });
    const e = await w.counted();
    expect(e.n).toBe(3);
    expect(e.mean).toBeCloseTo(55.833, 2);
    const items = await w.pending();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ proposal: "exclude", juror: "Giám khảo 1" });
    expect(await actions(w.round.id)).toEqual(expect.arrayContaining(["conflict.membership", "sheet.review_open"]));
    // Finalisation waits for the organiser.
    await expect(finaliseRound({ roundId: w.round.id, actorId: w.organizer.id })).rejects.toThrow(/1 phiếu cần quyết định/);
    await decideSheet({ roundId: w.round.id, decisionId: items[0].id, actorId: w.organizer.id, apply: false, reason: "Mời sau khi đã chấm, không ảnh hưởng" });
    expect((await w.counted()).n).toBe(3);
    // Another council edit does not reopen the rejected proposal.
    await saveCouncilMember({ roundId: w.round.id, actorId: w.organizer.id, email: w.jurors[2].email, role: "member", groupNos: [] });
    expect(await w.pending()).toHaveLength(0);
    await expect(finaliseRound({ roundId: w.round.id, actorId: w.organizer.id })).resolves.toMatchObject({ selected: 0 });
  });

  it("a late conflict declaration becomes a request; the organiser's exclusion, with its reason, is what moves the count", async () => {
    const w = await scored();
    const r = await declareConflict({ jurorId: w.jurors[0].id, entryId: w.entry.id, reason: "Người thân làm ở cơ sở" });
    expect(r.pendingDecision).toBe(true);
    expect((await w.counted()).n).toBe(3);
    // During deliberation too.
    await setRoundStatus(w.round.id, "deliberation");
    await declareConflict({ jurorId: w.jurors[1].id, entryId: w.entry.id, reason: "Từng tư vấn cho cơ sở" });
    expect((await w.counted()).n).toBe(3);
    const items = await w.pending();
    expect(items).toHaveLength(2);
    await expect(
      decideSheet({ roundId: w.round.id, decisionId: items[0].id, actorId: w.organizer.id, apply: true, reason: "ngắn" }),
    ).rejects.toThrow(/lý do/);
    expect((await w.counted()).n).toBe(3);
    const first = items.find((i) => i.juror === "Giám khảo 1")!;
    await decideSheet({ roundId: w.round.id, decisionId: first.id, actorId: w.organizer.id, apply: true, reason: "Hội đồng xác nhận quan hệ họ hàng" });
    const e = await w.counted();
    expect(e.n).toBe(2);
    expect(e.mean).toBeCloseTo(63.75, 2);
    expect(e.excludedNote).toBe("1 phiếu không tính: Hội đồng xác nhận quan hệ họ hàng");
    await expect(
      decideSheet({ roundId: w.round.id, decisionId: first.id, actorId: w.organizer.id, apply: false, reason: "Đổi ý sau khi quyết định" }),
    ).rejects.toThrow(/đã được quyết định/);
    expect(await actions(w.round.id)).toContain("sheet.decide");
    // The minutes and the export carry the exclusion beside the entry.
    const slug = w.round.slug;
    const m = await jsonOf(await call(minutes.loader, requestAs(w.organizer, `/organizer/rounds/${slug}/minutes`), { slug }));
    expect(m.entries[0].excludedNote).toBe("1 phiếu không tính: Hội đồng xác nhận quan hệ họ hàng");
    const table = await resultTable(w.round.id);
    expect(table.rows[0].at(-1)).toBe("1 phiếu không tính: Hội đồng xác nhận quan hệ họ hàng");
  });

  it("a declaration on an entry not assigned to the juror is refused and writes nothing", async () => {
    const w = await scored();
    const other = await createEligibleEntry({ roundId: w.round.id });
    await expect(declareConflict({ jurorId: w.jurors[0].id, entryId: other.id, reason: "Muốn loại sản phẩm này" })).rejects.toMatchObject({
      status: 404,
    });
    expect(await actions(w.round.id)).not.toContain("conflict.declare");
  });

  it("the province toggle: switching the same-province rule never moves a submitted sheet by itself", async () => {
    const w = await scored();
    await saveCouncilMember({
      roundId: w.round.id,
      actorId: w.organizer.id,
      email: w.jurors[0].email,
      role: "chair",
      groupNos: [],
      provinceCode: "ninh-binh",
    });
    await setSameProvinceRule({ roundId: w.round.id, actorId: w.organizer.id, enabled: true });
    expect((await w.counted()).n).toBe(3);
    expect(await w.pending()).toHaveLength(1);
    await setSameProvinceRule({ roundId: w.round.id, actorId: w.organizer.id, enabled: false });
    expect((await w.counted()).n).toBe(3);
    expect(await w.pending()).toHaveLength(0);
    await setSameProvinceRule({ roundId: w.round.id, actorId: w.organizer.id, enabled: true });
    const [item] = await w.pending();
    await decideSheet({ roundId: w.round.id, decisionId: item.id, actorId: w.organizer.id, apply: true, reason: "Áp dụng quy tắc cùng tỉnh của đợt" });
    expect((await w.counted()).n).toBe(2);
    await setSameProvinceRule({ roundId: w.round.id, actorId: w.organizer.id, enabled: false });
    expect((await w.counted()).n).toBe(2);
    expect((await w.pending())[0]).toMatchObject({ proposal: "include" });
  });

  it("recordMembershipConflict (for accepted invitations): a declared conflict the organiser sees, a pending decision, no change to the count", async () => {
    const w = await scored();
    const unscored = await createEligibleEntry({ roundId: w.round.id });
    await db().update(entries).set({ facilityId: w.entry.facilityId }).where(eq(entries.id, unscored.id));
    await db().insert(assignments).values({ roundId: w.round.id, entryId: unscored.id, jurorId: w.jurors[0].id });
    const out = await db().transaction((tx) => recordMembershipConflict({ userId: w.jurors[0].id, facilityId: w.entry.facilityId, tx }));
    expect(out).toMatchObject({ rounds: [w.round.id], opened: 1 });
    // Twice is once.
    await db().transaction((tx) => recordMembershipConflict({ userId: w.jurors[0].id, facilityId: w.entry.facilityId, tx }));
    const seen = (await listConflicts(w.round.id)).filter((c) => c.kind === "declared");
    expect(seen).toHaveLength(1);
    expect(seen[0].reason).toMatch(/Thành viên của cơ sở/);
    expect((await w.counted()).n).toBe(3);
    expect(await w.pending()).toHaveLength(1);
    // The unscored entry of that facility leaves the juror's queue; the submitted sheet stays on record.
    const left = await db().select().from(assignments).where(eq(assignments.jurorId, w.jurors[0].id));
    expect(left.map((a) => a.entryId)).toEqual([w.entry.id]);
  });

  it("the counted flag cannot be flipped by SQL without a decision row", async () => {
    const w = await scored();
    await expect(db().execute(sql`update score_sheets set counted = false where entry_id = ${w.entry.id}`)).rejects.toMatchObject({
      cause: expect.objectContaining({ hint: "cnnt:sheet_counted" }),
    });
    const rows = await db().select().from(scoreSheets).where(and(eq(scoreSheets.entryId, w.entry.id), eq(scoreSheets.counted, true)));
    expect(rows).toHaveLength(3);
  });
});
