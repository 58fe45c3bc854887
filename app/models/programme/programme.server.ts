/**
 * Khuyến công programme results: plans and actuals per indicator, province, year and cumulative
 * period; entry by the provincial officer (organiser scoped to a province), approval by the
 * regional organiser (scoped to the region, or unscoped = national), audited corrections. The public
 * report is in report.server.ts; submission, approval and return in review.server.ts; rules that need no database in programme-rules.ts.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";

import { auditEvents, programmeFigures, programmeIndicators, provinces, provinces2025, userRoles } from "../../../db/schema";
import type { FigureRowInput } from "../../schemas/programme";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import type { RoleGrant } from "../../utils/permissions";
import { eraOf, provinceEraProblem } from "../round/territory-rules";
import { provinceReference } from "../round/territory.server";
import { recordAudit } from "../shared/audit.server";
import { oldEraName } from "../shared/province-rules";
import { type Aggregation, periodEndDay, planWarning } from "./rules";

export interface Actor {
  id: string;
  roles: readonly RoleGrant[];
}

export interface ProgrammeScope {
  /** Organiser without region or province: every province, and approves everywhere. */
  national: boolean;
  /** Regions the actor organises: enters and approves for their provinces. */
  regions: Set<string>;
  /** Provinces (2016 codes) the actor is the provincial officer of: enters only. */
  provinces: Set<string>;
}

/**
 * The programme scope of an actor's organiser grants. The level of a grant does not matter here:
 * the programme is reported per province and region, not per selection level.
 */
export function programmeScope(roles: readonly RoleGrant[]): ProgrammeScope {
  const scope: ProgrammeScope = { national: false, regions: new Set(), provinces: new Set() };
  for (const g of roles) {
    if (g.role !== "organizer") continue;
    if (g.scopeProvince) scope.provinces.add(g.scopeProvince);
    else if (g.scopeRegion) scope.regions.add(g.scopeRegion);
    else scope.national = true;
  }
  return scope;
}

export function canEnter(scope: ProgrammeScope, province: { code: string; regionCode: string }) {
  return scope.national || scope.regions.has(province.regionCode) || scope.provinces.has(province.code);
}

export function canApprove(scope: ProgrammeScope, province: { regionCode: string }) {
  return scope.national || scope.regions.has(province.regionCode);
}

/** An actor from the stored grants (for the demo seed and scripts; routes use the session user). */
export async function loadActor(userId: string, tx: Database = db()): Promise<Actor> {
  const roles = await tx
    .select({ role: userRoles.role, scopeLevel: userRoles.scopeLevel, scopeRegion: userRoles.scopeRegion, scopeProvince: userRoles.scopeProvince })
    .from(userRoles)
    .where(eq(userRoles.userId, userId));
  return { id: userId, roles: roles as RoleGrant[] };
}

export const num = (v: string | null): number | null => (v === null ? null : Number(v));
/** "6 tháng năm 2026": a cumulative period in words. */
export const periodLabel = (p: { year: number; periodMonths: number }) => `${p.periodMonths} tháng năm ${p.year}`;
const dec = (v: number | null): string | null => (v === null ? null : v.toFixed(2));

export async function listIndicators(options: { activeOnly?: boolean } = {}, tx: Database = db()) {
  const rows = await tx
    .select()
    .from(programmeIndicators)
    .where(options.activeOnly ? eq(programmeIndicators.active, true) : undefined)
    .orderBy(asc(programmeIndicators.position), asc(programmeIndicators.code));
  return rows.map((r) => ({ ...r, aggregation: r.aggregation as Aggregation }));
}

export interface Period {
  year: number;
  periodMonths: number;
}

/**
 * The provinces of a period's era (programme rules: the day its period ends), in the usual order
 * (2016 list order; the 34 units alphabetically), named as on that day. Without a period: both lists.
 */
async function placesOf(period: Period | undefined, tx: Database) {
  const day = period ? periodEndDay(period.year, period.periodMonths) : null;
  const old = async () =>
    (await tx.select().from(provinces).orderBy(asc(provinces.position))).map((p) => ({
      code: p.code,
      name: day ? oldEraName(p.code, p.name, day) : p.name,
      regionCode: p.regionCode,
    }));
  const current = async () =>
    (await tx.select().from(provinces2025).orderBy(asc(provinces2025.name))).map((p) => ({ code: p.code, name: p.name, regionCode: p.regionCode }));
  if (!day) {
    const [a, b] = await Promise.all([old(), current()]);
    const seen = new Set(a.map((p) => p.code));
    return [...a, ...b.filter((p) => !seen.has(p.code))];
  }
  return eraOf(day) === "2016" ? old() : current();
}

/** The provinces an actor may enter figures for in a period (its era's list), in the usual order. */
export async function provincesInScope(actor: Actor, period?: Period, tx: Database = db()) {
  const scope = programmeScope(actor.roles);
  const all = await placesOf(period, tx);
  return all.filter((p) => canEnter(scope, p)).map((p) => ({ ...p, canApprove: canApprove(scope, p) }));
}

/**
 * The province (of the period's era when a period is given) if the actor may enter its figures.
 * @throws AppError 400 for a province of the other era, 404 for an unknown one or one outside the scope.
 */
export async function provinceForActor(input: { actor: Actor; provinceCode: string; year?: number; periodMonths?: number }, tx: Database = db()) {
  const period = input.year && input.periodMonths ? { year: input.year, periodMonths: input.periodMonths } : undefined;
  const province = (await placesOf(period, tx)).find((p) => p.code === input.provinceCode);
  if (!province && period) await assertFigureEra([input.provinceCode], period, tx);
  if (!province || !canEnter(programmeScope(input.actor.roles), province)) throw notFound("Không tìm thấy tỉnh/thành phố trong phạm vi của bạn.");
  return province;
}

/**
 * Figures name their province in the list of their period's era (63 before 1 July 2025, 34 after).
 * @throws AppError 400 with the reason for a known province of the other era.
 */
async function assertFigureEra(codes: string[], period: Period, tx: Database) {
  const ref = await provinceReference(tx);
  const day = periodEndDay(period.year, period.periodMonths);
  for (const code of codes) {
    if (!ref.old.has(code) && !ref.current.has(code)) continue; // unknown: 404 by the caller
    const problem = provinceEraProblem(code, day, ref);
    if (problem) throw new AppError(400, `Số liệu kỳ ${periodLabel(period)}: ${problem}`, { provinceCode: problem });
  }
}

/** One province's figures for a year and period, with each indicator's status (for the entry form). */
export async function getProvinceFigures(input: { actor: Actor; provinceCode: string; year: number; periodMonths: number }) {
  const province = await provinceForActor(input);
  const [indicators, figures] = await Promise.all([
    listIndicators({ activeOnly: true }),
    db()
      .select()
      .from(programmeFigures)
      .where(
        and(
          eq(programmeFigures.provinceCode, province.code),
          eq(programmeFigures.year, input.year),
          eq(programmeFigures.periodMonths, input.periodMonths),
        ),
      ),
  ]);
  const byCode = new Map(figures.map((f) => [f.indicatorCode, f]));
  const previous = await approvedBefore(figures.filter((f) => f.status === "submitted").map((f) => f.id));
  return {
    province: { code: province.code, name: province.name, regionCode: province.regionCode },
    canApprove: canApprove(programmeScope(input.actor.roles), province),
    rows: indicators.map((ind) => {
      const f = byCode.get(ind.code);
      return {
        code: ind.code,
        name: ind.name,
        unit: ind.unit,
        plan: f ? num(f.plan) : null,
        actual: f ? num(f.actual) : null,
        status: f?.status ?? null,
        /** For a figure awaiting approval: the values last approved (a correction), or null (a new figure). */
        approved: f ? (previous.get(f.id) ?? null) : null,
      };
    }),
  };
}

/**
 * The values each corrected figure had when it was last approved, from the audit trail of its
 * correction (the figure row holds only the new values). Figures never approved are absent.
 */
async function approvedBefore(figureIds: number[], tx: Database = db()) {
  const out = new Map<number, { plan: number | null; actual: number | null }>();
  if (figureIds.length === 0) return out;
  const rows = await tx
    .select({ entityId: auditEvents.entityId, before: auditEvents.before })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, "programme_figure"),
        eq(auditEvents.action, "programme.figure.correct"),
        inArray(
          auditEvents.entityId,
          figureIds.map((id) => String(id)),
        ),
      ),
    )
    .orderBy(desc(auditEvents.id));
  for (const r of rows) {
    const id = Number(r.entityId);
    // Newest first: the first correction seen is the one that made the figure pending.
    if (out.has(id)) continue;
    const before = (r.before ?? {}) as { plan?: number | null; actual?: number | null };
    out.set(id, { plan: before.plan ?? null, actual: before.actual ?? null });
  }
  return out;
}

export interface SaveResult {
  created: number;
  updated: number;
  corrected: number;
  unchanged: number;
}

/**
 * Saves plans and actuals (all rows or none). A new or changed figure is a draft, or submitted when
 * `submit` is set; changing an approved figure is a correction: audited with before/after and sent
 * back for approval. Unchanged figures keep their status.
 * @throws AppError 404 when a province is unknown or outside the actor's scope; 400 for an unknown
 * or inactive indicator.
 */
export async function saveFigures(
  input: { actor: Actor; year: number; periodMonths: number; rows: FigureRowInput[]; submit?: boolean; source?: "form" | "import" | "demo" },
  tx?: Database,
): Promise<SaveResult> {
  const work = async (t: Database): Promise<SaveResult> => {
    const result: SaveResult = { created: 0, updated: 0, corrected: 0, unchanged: 0 };
    if (input.rows.length === 0) return result;
    const scope = programmeScope(input.actor.roles);
    const codes = [...new Set(input.rows.map((r) => r.provinceCode))];
    await assertFigureEra(codes, input, t);
    const provinceByCode = new Map((await placesOf(input, t)).map((p) => [p.code, p]));
    for (const code of codes) {
      const p = provinceByCode.get(code);
      if (!p || !canEnter(scope, p)) throw notFound("Không tìm thấy tỉnh/thành phố trong phạm vi của bạn.");
    }
    const active = new Set((await listIndicators({ activeOnly: true }, t)).map((i) => i.code));
    for (const r of input.rows) {
      if (!active.has(r.indicatorCode)) throw new AppError(400, `Chỉ tiêu “${r.indicatorCode}” không có trong danh mục đang dùng.`);
    }
    const existing = await t
      .select()
      .from(programmeFigures)
      .where(
        and(
          inArray(programmeFigures.provinceCode, codes),
          eq(programmeFigures.year, input.year),
          eq(programmeFigures.periodMonths, input.periodMonths),
        ),
      )
      .for("update");
    const key = (indicator: string, province: string) => `${indicator}|${province}`;
    const byKey = new Map(existing.map((f) => [key(f.indicatorCode, f.provinceCode), f]));
    const seen = new Set<string>();
    const now = new Date();
    for (const r of input.rows) {
      const k = key(r.indicatorCode, r.provinceCode);
      if (seen.has(k)) throw new AppError(400, `Chỉ tiêu “${r.indicatorCode}” của tỉnh ${r.provinceCode} xuất hiện hai lần.`);
      seen.add(k);
      const old = byKey.get(k);
      const plan = r.plan === undefined ? (old ? num(old.plan) : null) : r.plan;
      const actual = r.actual === undefined ? (old ? num(old.actual) : null) : r.actual;
      if (!old) {
        await t.insert(programmeFigures).values({
          indicatorCode: r.indicatorCode,
          provinceCode: r.provinceCode,
          year: input.year,
          periodMonths: input.periodMonths,
          plan: dec(plan),
          actual: dec(actual),
          status: input.submit ? "submitted" : "draft",
          enteredBy: input.actor.id,
        });
        result.created++;
        continue;
      }
      const same = num(old.plan) === plan && num(old.actual) === actual;
      if (same) {
        if (input.submit && old.status === "draft") {
          await t.update(programmeFigures).set({ status: "submitted", updatedAt: now }).where(eq(programmeFigures.id, old.id));
          result.updated++;
        } else result.unchanged++;
        continue;
      }
      if (old.status === "approved") {
        await t
          .update(programmeFigures)
          .set({ plan: dec(plan), actual: dec(actual), status: "submitted", approvedBy: null, approvedAt: null, enteredBy: input.actor.id, updatedAt: now })
          .where(eq(programmeFigures.id, old.id));
        await recordAudit(
          {
            actorId: input.actor.id,
            action: "programme.figure.correct",
            entity: "programme_figure",
            entityId: old.id,
            before: { plan: num(old.plan), actual: num(old.actual), status: old.status, approvedBy: old.approvedBy },
            after: { plan, actual, status: "submitted", source: input.source ?? "form" },
          },
          t,
        );
        result.corrected++;
        continue;
      }
      await t
        .update(programmeFigures)
        .set({
          plan: dec(plan),
          actual: dec(actual),
          status: input.submit ? "submitted" : old.status,
          enteredBy: input.actor.id,
          updatedAt: now,
        })
        .where(eq(programmeFigures.id, old.id));
      result.updated++;
    }
    return result;
  };
  return tx ? work(tx) : db().transaction(work);
}

/** The organiser's overview for a period: each province in scope with its figures counted by status. */
export async function getOverview(input: { actor: Actor; year: number; periodMonths: number }) {
  const list = await provincesInScope(input.actor, input);
  // One row per figure (7 indicators × a region's provinces at most): counted here, and the pending
  // ones far beyond plan flagged so the approver opens the province before approving it.
  const rows = list.length
    ? await db()
        .select({ provinceCode: programmeFigures.provinceCode, status: programmeFigures.status, plan: programmeFigures.plan, actual: programmeFigures.actual })
        .from(programmeFigures)
        .where(
          and(
            inArray(
              programmeFigures.provinceCode,
              list.map((p) => p.code),
            ),
            eq(programmeFigures.year, input.year),
            eq(programmeFigures.periodMonths, input.periodMonths),
          ),
        )
    : [];
  return list.map((p) => {
    const mine = rows.filter((f) => f.provinceCode === p.code);
    const n = (status: string) => mine.filter((f) => f.status === status).length;
    const warnings = mine.filter((f) => f.status === "submitted" && planWarning(num(f.plan), num(f.actual))).length;
    return { code: p.code, name: p.name, regionCode: p.regionCode, canApprove: p.canApprove, draft: n("draft"), submitted: n("submitted"), approved: n("approved"), warnings };
  });
}

/** The newest year and period with figures in the actor's provinces (for the overview's default). */
export async function latestPeriod(actor: Actor): Promise<{ year: number; periodMonths: number } | null> {
  const list = await provincesInScope(actor);
  if (list.length === 0) return null;
  const [row] = await db()
    .select({ year: programmeFigures.year, periodMonths: programmeFigures.periodMonths })
    .from(programmeFigures)
    .where(
      inArray(
        programmeFigures.provinceCode,
        list.map((p) => p.code),
      ),
    )
    .orderBy(sql`${programmeFigures.year} desc`, sql`${programmeFigures.periodMonths} desc`)
    .limit(1);
  return row ?? null;
}
