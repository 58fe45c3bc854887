/**
 * Issue 13, point 7: the database holds the line against plain SQL, as the app's role (on
 * PostgreSQL a restricted role) and, where it matters, as the owner of the tables.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { checkIntegrity } from "../../app/models/results/integrity.server";
import { finaliseRound, publishRound, recordDecision, verifyFinalHash } from "../../app/models/results/results.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { type Database, databaseHandle, db, rowsOf } from "../../app/utils/db.server";
import { assertRestrictedRole, inspectRole } from "../../db/roles";
import { auditEvents, certificates, entries, rounds, scores, scoreSheets } from "../../db/schema";
import { createEligibleEntry, createTestRound, pointsForTotal, scoringRound, submitSheet } from "../factories/scoring";
import { asOwner } from "../setup/db";

const onPostgres = () => databaseHandle().kind === "postgres";

/** A published round: 2 entries × 2 jurors, finalised with its hash, decided, certificates issued. */
// A decision number is unique for one issuer within a year: each round of this file gets its own.
let decisionSeq = 0;
async function published() {
  const ctx = await scoringRound({ entryCount: 2, jurorCount: 2 });
  for (const e of ctx.entries)
    for (const [j, juror] of ctx.jurors.entries())
      await submitSheet({ roundId: ctx.round.id, entryId: e.id, jurorId: juror.id, total: 80 + j });
  await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
  await recordDecision({ roundId: ctx.round.id, actorId: ctx.organizer.id, decisionNo: `${12 + 100 * ++decisionSeq}/QĐ-CNĐP`, decisionDate: "2026-10-01", decisionSigner: "Ngô Quang Trung" });
  await publishRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
  const other = await createTestRound({ actorId: ctx.organizer.id });
  return { ...ctx, other };
}

async function refused(database: Database, statement: SQL, hint?: string) {
  const run = database.execute(statement);
  await expect(run).rejects.toThrow();
  if (hint) await expect(run).rejects.toMatchObject({ cause: expect.objectContaining({ hint: `cnnt:${hint}` }) });
}

async function fingerprint(roundId: number) {
  const [row] = rowsOf<{ f: string }>(
    await db().execute(sql`
      select md5(string_agg(concat_ws('|', s.id, s.entry_id, s.round_id, s.status, s.total, s.counted,
               (select sum(points) from scores where sheet_id = s.id)), ',' order by s.id)) ||
             (select md5(string_agg(concat_ws('|', e.id, e.round_id, e.status, e.mean_score, e.rank), ',' order by e.id)) from entries e where e.round_id = ${roundId}) ||
             (select concat_ws('|', finalised_at, final_hash, status, pass_mark, quota) from rounds where id = ${roundId}) as f
      from score_sheets s where s.round_id = ${roundId}`),
  );
  return row.f;
}

describe("the database holds the line", () => {
  it("moving an entry, a sheet or an assignment out of a finalised round is refused (OLD row checked)", async () => {
    const w = await published();
    const before = await fingerprint(w.round.id);
    await refused(db(), sql`update entries set round_id = ${w.other.id} where round_id = ${w.round.id}`, "round_finalised");
    await refused(db(), sql`update score_sheets set round_id = ${w.other.id} where round_id = ${w.round.id}`, "round_finalised");
    await refused(db(), sql`update assignments set round_id = ${w.other.id} where round_id = ${w.round.id}`, "round_finalised");
    // …and into it (NEW row checked).
    const stray = await createEligibleEntry({ roundId: w.other.id });
    await refused(db(), sql`update entries set round_id = ${w.round.id} where id = ${stray.id}`, "round_finalised");
    expect(await fingerprint(w.round.id)).toBe(before);
  });

  it("TRUNCATE is refused on every protected table, as the app and as the owner", async () => {
    const w = await published();
    const tables = ["scores", "score_sheets", "assignments", "entries", "tie_resolutions", "rubric_criteria", "certificates", "audit_events", "sheet_decisions", "rounds"];
    for (const t of tables) await refused(db(), sql.raw(`truncate table ${t} cascade`));
    await asOwner(async (owner) => {
      for (const t of tables) await refused(owner, sql.raw(`truncate table ${t} cascade`), t === "audit_events" ? "audit_append_only" : undefined);
    }, db());
    expect((await db().select().from(scoreSheets).where(eq(scoreSheets.roundId, w.round.id))).length).toBe(4);
    expect((await db().select().from(certificates).where(eq(certificates.roundId, w.round.id))).length).toBe(2);
  });

  it("the finalisation state of a round changes only through the audited reopening", async () => {
    const w = await published();
    const before = await fingerprint(w.round.id);
    // The attack: clear finalised_at, rewrite a score, set it back. Step one already fails.
    await refused(db(), sql`update rounds set finalised_at = null where id = ${w.round.id}`, "round_finalised");
    await refused(db(), sql`update rounds set final_hash = 'x' where id = ${w.round.id}`, "round_finalised");
    await refused(db(), sql`update rounds set pass_mark = 10 where id = ${w.round.id}`, "round_finalised");
    await refused(db(), sql`update rounds set quota = 1 where id = ${w.round.id}`, "round_finalised");
    await refused(db(), sql`update rounds set status = 'scoring' where id = ${w.round.id}`, "round_finalised");
    await refused(db(), sql`delete from rounds where id = ${w.round.id}`);
    // The flag the reopening function sets is no key for the app's role (not the owner outside it).
    if (onPostgres()) {
      await expect(
        db().transaction(async (tx) => {
          await tx.execute(sql`select set_config('cnnt.state_change', ${String(w.round.id)}, true)`);
          await tx.execute(sql`update rounds set finalised_at = null, final_hash = null where id = ${w.round.id}`);
        }),
      ).rejects.toThrow();
    }
    // Even the owner is refused a plain UPDATE.
    await asOwner((owner) => refused(owner, sql`update rounds set finalised_at = null where id = ${w.round.id}`, "round_finalised"), db());
    expect(await fingerprint(w.round.id)).toBe(before);
    expect(await verifyFinalHash(w.round.id)).toBe(true);
    // The door: the function, which writes its audit event in the same transaction.
    await db().execute(sql`select cnnt_reopen_round(${w.round.id}, ${w.organizer.id}, 'Rà soát lại theo đơn khiếu nại', '{}'::integer[])`);
    const [r] = await db().select().from(rounds).where(eq(rounds.id, w.round.id));
    expect(r).toMatchObject({ finalisedAt: null, finalHash: null, status: "deliberation" });
    const audit = await db().select().from(auditEvents).where(eq(auditEvents.action, "round.reopen"));
    expect(audit.at(-1)).toMatchObject({ roundId: w.round.id, actorId: w.organizer.id });
    await refused(db(), sql`select cnnt_reopen_round(${w.round.id}, ${w.organizer.id}, 'ngắn', '{}'::integer[])`);
  });

  it("a submitted sheet never returns to draft, and its total is the sum of its scores", async () => {
    const ctx = await scoringRound({ entryCount: 2, jurorCount: 1 });
    const juror = ctx.jurors[0];
    const { sheetId } = await submitSheet({ roundId: ctx.round.id, entryId: ctx.entries[0].id, jurorId: juror.id, total: 60 });
    await refused(db(), sql`update score_sheets set status = 'draft', submitted_at = null, total = 99 where id = ${sheetId}`, "sheet_submitted");
    await refused(db(), sql`update score_sheets set entry_id = ${ctx.entries[1].id} where id = ${sheetId}`, "sheet_submitted");
    // A draft whose total is not the sum of its scores cannot be submitted by SQL.
    const draft = await saveScoreSheet({ jurorId: juror.id, entryId: ctx.entries[1].id, points: await pointsForTotal(ctx.round.id, 50), submit: false });
    await db().execute(sql`update score_sheets set total = 95 where id = ${draft.sheetId}`);
    await refused(db(), sql`update score_sheets set status = 'submitted', submitted_at = now() where id = ${draft.sheetId}`, "sheet_total");
    await refused(
      db(),
      sql`insert into score_sheets (round_id, entry_id, juror_id, status, total, submitted_at)
          values (${ctx.round.id}, ${ctx.entries[1].id}, ${ctx.organizer.id}, 'submitted', 100, now())`,
      "sheet_total",
    );
    const [sheet] = await db().select().from(scoreSheets).where(eq(scoreSheets.id, sheetId));
    expect(sheet).toMatchObject({ status: "submitted", total: "60.00" });
    const sum = await db().select().from(scores).where(eq(scores.sheetId, sheetId));
    expect(sum.reduce((a, s) => a + Number(s.points), 0)).toBe(60);
  });

  it("a score is refused by the database when any row of the statement breaks a rule: submitted sheet (old or new), maximum, round", async () => {
    const ctx = await scoringRound({ entryCount: 3, jurorCount: 1 });
    const juror = ctx.jurors[0];
    const [a, b] = ctx.entries;
    const submitted = await submitSheet({ roundId: ctx.round.id, entryId: a.id, jurorId: juror.id, total: 70 });
    const draft = await saveScoreSheet({ jurorId: juror.id, entryId: b.id, points: {}, submit: false });
    const criteria = rowsOf<{ id: number; max: string }>(
      await db().execute(sql`select c.id, c.max_points::text as max from rubric_criteria c
        where c.round_id = ${ctx.round.id} and c.product_group is null and not exists (select 1 from rubric_criteria k where k.parent_id = c.id) order by c.id`),
    );
    const [first, second] = criteria;
    const foreign = await createTestRound({ actorId: ctx.organizer.id });
    const [elsewhere] = rowsOf<{ id: number }>(await db().execute(sql`select id from rubric_criteria where round_id = ${foreign.id} limit 1`));
    const before = await fingerprint(ctx.round.id);
    // The submitted sheet's scores: no new one, no change, no deletion, none moved out of it.
    await refused(db(), sql`insert into scores (sheet_id, criterion_id, points) values (${submitted.sheetId}, ${first.id}, 0)
      on conflict (sheet_id, criterion_id) do update set points = 0`, "sheet_submitted");
    await refused(db(), sql`update scores set note = 'sửa' where sheet_id = ${submitted.sheetId}`, "sheet_submitted");
    await refused(db(), sql`delete from scores where sheet_id = ${submitted.sheetId} and criterion_id = ${first.id}`, "sheet_submitted");
    await refused(db(), sql`update scores set sheet_id = ${draft.sheetId} where sheet_id = ${submitted.sheetId}`, "sheet_submitted");
    // One good row beside one bad row in the same statement is still refused.
    await refused(db(), sql`insert into scores (sheet_id, criterion_id, points) values
      (${draft.sheetId}, ${first.id}, 1), (${draft.sheetId}, ${second.id}, ${Number(second.max) + 1})`, "points_max");
    await refused(db(), sql`insert into scores (sheet_id, criterion_id, points) values
      (${draft.sheetId}, ${first.id}, 1), (${draft.sheetId}, ${elsewhere.id}, 0)`, "criterion_round");
    expect(await fingerprint(ctx.round.id)).toBe(before);
    await db().execute(sql`insert into scores (sheet_id, criterion_id, points) values (${draft.sheetId}, ${first.id}, 1), (${draft.sheetId}, ${second.id}, 1)`);
    const withDraft = await fingerprint(ctx.round.id);
    await refused(db(), sql`update scores set points = points + ${Number(second.max)} where sheet_id = ${draft.sheetId}`, "points_max");
    // A draft's score moved into the submitted sheet (the new row's sheet).
    await refused(db(), sql`update scores set sheet_id = ${submitted.sheetId} where sheet_id = ${draft.sheetId} and criterion_id = ${second.id}`);
    expect(await fingerprint(ctx.round.id)).toBe(withDraft);
    // What the rules allow: a draft's scores change and go.
    await db().execute(sql`update scores set points = 0 where sheet_id = ${draft.sheetId}`);
    await db().execute(sql`delete from scores where sheet_id = ${draft.sheetId}`);
    expect(rowsOf(await db().execute(sql`select 1 from scores where sheet_id = ${draft.sheetId}`))).toHaveLength(0);
  });

  it("the scores of a finalised round: no insert, change or deletion", async () => {
    const w = await published();
    const before = await fingerprint(w.round.id);
    const [sheet] = await db().select().from(scoreSheets).where(eq(scoreSheets.roundId, w.round.id)).limit(1);
    const [score] = await db().select().from(scores).where(eq(scores.sheetId, sheet.id)).limit(1);
    await refused(db(), sql`delete from scores where sheet_id = ${sheet.id}`, "round_finalised");
    await refused(db(), sql`update scores set note = 'sửa' where sheet_id = ${sheet.id}`, "round_finalised");
    await refused(db(), sql`insert into scores (sheet_id, criterion_id, points) values (${sheet.id}, ${score.criterionId}, 0)
      on conflict (sheet_id, criterion_id) do update set points = 0`, "round_finalised");
    expect(await fingerprint(w.round.id)).toBe(before);
  });

  it("an issued certificate's subject, serial and code cannot be rewritten, even by the owner; revocation still works", async () => {
    const w = await published();
    const [cert] = await db().select().from(certificates).where(eq(certificates.roundId, w.round.id)).limit(1);
    await refused(db(), sql`update certificates set subject = jsonb_set(subject, '{productName}', '"Tên khác"') where id = ${cert.id}`, "certificate_immutable");
    await refused(db(), sql`update certificates set subject_name = 'Tên khác' where id = ${cert.id}`, "certificate_immutable");
    await refused(db(), sql`update certificates set serial = 'X-1', code = 'ABC' where id = ${cert.id}`, "certificate_immutable");
    await refused(db(), sql`delete from certificates where id = ${cert.id}`, "certificate_immutable");
    await asOwner((owner) => refused(owner, sql`update certificates set subject = '{}'::jsonb where id = ${cert.id}`, "certificate_immutable"), db());
    await db().update(certificates).set({ revokedAt: new Date(), revokedReason: "Vi phạm chất lượng sản phẩm" }).where(eq(certificates.id, cert.id));
    const [after] = await db().select().from(certificates).where(eq(certificates.id, cert.id));
    expect(after).toMatchObject({ serial: cert.serial, code: cert.code, subject: cert.subject });
  });

  it("a result rewritten behind the triggers' back (the owner disabling them) is caught: integrity page, audit, publication refused", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 2 });
    for (const j of ctx.jurors) await submitSheet({ roundId: ctx.round.id, entryId: ctx.entries[0].id, jurorId: j.id, total: 75 });
    await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    await recordDecision({ roundId: ctx.round.id, actorId: ctx.organizer.id, decisionNo: "13/QĐ-CNĐP", decisionDate: "2026-10-01", decisionSigner: "Ngô Quang Trung" });
    expect((await checkIntegrity({ source: "admin" })).find((r) => r.roundId === ctx.round.id)?.ok).toBe(true);
    await asOwner(async (owner) => {
      await owner.execute(sql`alter table score_sheets disable trigger user`);
      await owner.execute(sql`update score_sheets set total = 95 where round_id = ${ctx.round.id}`);
      await owner.execute(sql`alter table score_sheets enable trigger user`);
    }, db());
    const row = (await checkIntegrity({ source: "admin" })).find((r) => r.roundId === ctx.round.id)!;
    expect(row.ok).toBe(false);
    expect(row.stored).not.toBe(row.recomputed);
    await expect(publishRound({ roundId: ctx.round.id, actorId: ctx.organizer.id })).rejects.toThrow(/Mã băm kết quả không khớp/);
    const [r] = await db().select().from(rounds).where(eq(rounds.id, ctx.round.id));
    expect(r.status).toBe("deliberation");
    const audit = (await db().select().from(auditEvents).where(eq(auditEvents.roundId, ctx.round.id))).map((a) => [a.action, (a.after as { source?: string; at?: string })?.source ?? (a.after as { at?: string })?.at]);
    expect(audit).toEqual(expect.arrayContaining([["integrity.mismatch", "admin"], ["integrity.mismatch", "publish"]]));
  });

  it("the app refuses to start as the owner or a superuser unless ALLOW_OWNER_ROLE=1, which it says loudly", async () => {
    const logs: string[] = [];
    await asOwner(async (owner) => {
      await expect(assertRestrictedRole(owner, { allowOwner: false })).rejects.toThrow(/MIGRATION_DATABASE_URL/);
      await assertRestrictedRole(owner, { allowOwner: true, log: (m) => logs.push(m) });
    }, db());
    expect(logs.join("")).toContain("ALLOW_OWNER_ROLE=1");
    if (onPostgres()) await expect(assertRestrictedRole(db(), { allowOwner: false })).resolves.toMatchObject({ superuser: false });
  });

  it.runIf(!!process.env.DATABASE_URL)("PostgreSQL: the app's role is not the owner nor a superuser, and cannot run DDL, disable triggers or switch replication role", async () => {
    const role = await inspectRole(db());
    expect(role).toMatchObject({ superuser: false, ownsTables: false });
    await refused(db(), sql`alter table score_sheets disable trigger user`);
    await refused(db(), sql`alter table rounds disable trigger rounds_finalisation_lock`);
    await refused(db(), sql`set session_replication_role = replica`);
    await refused(db(), sql`create table evil (id int)`);
    await refused(db(), sql`drop trigger score_sheets_submitted_lock on score_sheets`);
    await refused(db(), sql`create or replace function refuse_truncate() returns trigger language plpgsql as $$ begin return null; end $$`);
    const owner = await asOwner((o) => inspectRole(o), db());
    expect(owner.ownsTables).toBe(true);
    expect(await db().select({ id: entries.id }).from(entries).limit(1)).toBeDefined();
  });
});
