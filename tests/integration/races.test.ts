/**
 * Issue 17 item 2: twenty identical requests at once — as twenty tabs, or a crowd of double clicks,
 * would send them — never answer 5xx, and leave exactly one row and one audit event. Meaningful on
 * PostgreSQL (`DATABASE_URL=… npx vitest run tests/integration/races.test.ts`), where they really
 * run in parallel and used to deadlock (40P01) or collide on a unique index (23505); on PGlite the
 * same requests queue on the one connection and the counts must hold all the same.
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { saveEntryDraft } from "../../app/models/entry/entry.server";
import { finaliseRound, recordDecision } from "../../app/models/results/results.server";
import { jobSettled } from "../../app/models/shared/jobs.server";
import * as entryRoute from "../../app/routes/facility.entry.$productId.$slug";
import * as sheetRoute from "../../app/routes/jury.entries.$entryId";
import * as decisionRoute from "../../app/routes/ministry.decisions.$id";
import * as certificatesRoute from "../../app/routes/organizer.rounds.$slug.certificates";
import * as resultsRoute from "../../app/routes/organizer.rounds.$slug.results";
import { db, rowsOf } from "../../app/utils/db.server";
import { auditEvents, certificates, commendationRecipients, jobs, scoreSheets } from "../../db/schema";
import { createOfficer, createTestDecision } from "../factories/commendation";
import { addCompleteMedia, COMPLETE_DOSSIER, createTestFacility, createTestProduct } from "../factories/facility";
import { call, confirmed, createTestUser, requestAs } from "../factories/index";
import { createTestRound } from "../factories/round";
import { pointsForTotal, scoringRound, submitSheet } from "../factories/scoring";

const N = 20;

/** Sends the same request N times at once; returns the statuses. */
async function crowd(send: () => Promise<Response>): Promise<number[]> {
  const answers = await Promise.all(Array.from({ length: N }, () => send()));
  return answers.map((r) => r.status);
}

function expectNo5xx(statuses: number[]) {
  expect(statuses.filter((s) => s >= 500), statuses.join(",")).toEqual([]);
  // Every loser is told what happened: the winner's success, or a 409 with a Vietnamese message.
  for (const s of statuses) expect([200, 302, 303, 409]).toContain(s);
}

async function auditCount(action: string, where = sql`true`) {
  return rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from audit_events where action = ${action} and ${where}`))[0].n;
}

describe(`${N} identical requests at once`, () => {
  it("dossier submit: one submission, one code, one audit event", async () => {
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const owner = await createTestUser();
    const { id: facilityId } = await createTestFacility(owner.id);
    const { id: productId } = await createTestProduct(owner.id, facilityId);
    await addCompleteMedia(owner.id, facilityId, productId);
    const { id: entryId } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId });
    const path = `/facility/entry/${productId}/${round.slug}`;
    const form = confirmed({ intent: "submit", ...(COMPLETE_DOSSIER as Record<string, string>) });
    const statuses = await crowd(() => call(entryRoute.action, requestAs(owner, path, { form }), { productId: String(productId), slug: round.slug }));
    expectNo5xx(statuses);
    expect(statuses.filter((s) => s < 400).length).toBeGreaterThanOrEqual(1);
    expect(await auditCount("entry.submit", sql`entity_id = ${String(entryId)}`)).toBe(1);
    const codes = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from serial_counters where prefix = ${`entry:${round.id}`} and last = 1`));
    expect(codes[0].n).toBe(1);
  });

  it("sheet first save and submit: one sheet, one submission audit", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const [juror] = ctx.jurors;
    const [entry] = ctx.entries;
    const points = await pointsForTotal(ctx.round.id, 80);
    const form = (intent: string) => confirmed({ intent, comment: "Sản phẩm tốt", ...Object.fromEntries(Object.entries(points).map(([k, v]) => [`p.${k}`, v])) });
    const path = `/jury/entries/${entry.id}`;
    const saves = await crowd(() => call(sheetRoute.action, requestAs(juror, path, { form: form("save") }), { entryId: String(entry.id) }));
    expectNo5xx(saves);
    const sheetsOf = () => db().select().from(scoreSheets).where(and(eq(scoreSheets.entryId, entry.id), eq(scoreSheets.jurorId, juror.id)));
    expect(await sheetsOf()).toHaveLength(1);

    const submits = await crowd(() => call(sheetRoute.action, requestAs(juror, path, { form: form("submit") }), { entryId: String(entry.id) }));
    expectNo5xx(submits);
    expect(submits.filter((s) => s === 409)).toHaveLength(N - 1);
    const sheets = await sheetsOf();
    expect(sheets).toHaveLength(1);
    expect(sheets[0].status).toBe("submitted");
    expect(await auditCount("sheet.submit", sql`entity_id = ${String(sheets[0].id)}`)).toBe(1);
  });

  it("first submit of a fresh sheet (no draft yet): one sheet, one audit event", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const [juror] = ctx.jurors;
    const [entry] = ctx.entries;
    const points = await pointsForTotal(ctx.round.id, 75);
    const form = confirmed({ intent: "submit", ...Object.fromEntries(Object.entries(points).map(([k, v]) => [`p.${k}`, v])) });
    const statuses = await crowd(() => call(sheetRoute.action, requestAs(juror, `/jury/entries/${entry.id}`, { form }), { entryId: String(entry.id) }));
    expectNo5xx(statuses);
    const sheets = await db().select().from(scoreSheets).where(eq(scoreSheets.entryId, entry.id));
    expect(sheets).toHaveLength(1);
    expect(await auditCount("sheet.submit", sql`entity_id = ${String(sheets[0].id)}`)).toBe(1);
  });

  it("round decision, publication and the certificate batch: one of each", async () => {
    const ctx = await scoringRound({ entryCount: 2, jurorCount: 1 });
    for (const e of ctx.entries) await submitSheet({ roundId: ctx.round.id, entryId: e.id, jurorId: ctx.jurors[0].id, total: 85 });
    await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    const slug = ctx.round.slug;
    const path = `/organizer/rounds/${slug}/results`;
    await recordDecision({ roundId: ctx.round.id, actorId: ctx.organizer.id, decisionNo: "1208/QĐ-CNĐP", decisionDate: "2026-11-20", decisionSigner: "Ngô Quang Trung" });

    const published = await crowd(() => call(resultsRoute.action, requestAs(ctx.organizer, path, { form: confirmed({ intent: "publish" }) }), { slug }));
    expectNo5xx(published);
    expect(await auditCount("round.publish", sql`round_id = ${ctx.round.id}`)).toBe(1);
    const certs = await db().select().from(certificates).where(eq(certificates.roundId, ctx.round.id));
    expect(certs).toHaveLength(2);

    const batches = await crowd(() =>
      call(certificatesRoute.action, requestAs(ctx.organizer, `/organizer/rounds/${slug}/certificates`, { form: { intent: "start" } }), { slug }),
    );
    expectNo5xx(batches);
    const started = await db().select().from(jobs).where(eq(jobs.target, `round:${ctx.round.id}`));
    expect(started).toHaveLength(1);
    expect(await auditCount("certificate.batch", sql`round_id = ${ctx.round.id}`)).toBe(1);
    await jobSettled(started[0].id);
  }, 60_000);

  it("commendation decision issue: issued once, one certificate per recipient, one batch", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: 3 });
    const statuses = await crowd(() => call(decisionRoute.action, requestAs(officer, `/ministry/decisions/${d.id}`, { form: confirmed({ intent: "issue" }) }), { id: String(d.id) }));
    expectNo5xx(statuses);
    expect(await auditCount("commendation.issue", sql`entity_id = ${String(d.id)}`)).toBe(1);
    const recipients = await db().select().from(commendationRecipients).where(eq(commendationRecipients.decisionId, d.id));
    const issued = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from certificates c join commendation_recipients r on r.id = c.recipient_id where r.decision_id = ${d.id}`));
    expect(issued[0].n).toBe(recipients.length);
    const started = await db().select().from(jobs).where(eq(jobs.target, `decision:${d.id}`));
    expect(started).toHaveLength(1);
    expect(await db().select().from(auditEvents).where(and(eq(auditEvents.action, "certificate.batch"), eq(auditEvents.entityId, String(started[0].id))))).toHaveLength(1);
    await jobSettled(started[0].id);
  }, 60_000);
});
