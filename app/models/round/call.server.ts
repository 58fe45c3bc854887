/**
 * The public call for entries ("Thể lệ, mời tham gia") of a round open for registration: what a
 * producer needs before registering — scope, dates in Vietnam time, product groups, the criteria
 * with their points, pass mark and quota, what the dossier holds. Only rounds in status
 * "registration" are shown; drafts stay private and later stages have their results page.
 */
import { and, asc, eq, sql } from "drizzle-orm";

import { productGroups, provinces, regions, rounds } from "../../../db/schema";
import { NEEDS_LOWER_CERTIFICATE } from "../../schemas/dossier";
import { type Database, db } from "../../utils/db.server";
import { getRubric, type StoredCriterion } from "./rubric.server";
import { LEVEL_NAMES } from "./rules";

export interface PublicCriterion {
  code: string;
  name: string;
  maxPoints: number;
  children: PublicCriterion[];
}

const publicTree = (nodes: StoredCriterion[]): PublicCriterion[] =>
  nodes.map((n) => ({ code: n.code, name: n.name, maxPoints: n.maxPoints, children: publicTree(n.children) }));

/** The call for entries of a round in registration, or null (the route answers 404). */
export async function getOpenCall(slug: string, now: Date = new Date(), tx: Database = db()) {
  if (!slug || slug.length > 200) return null;
  const [round] = await tx
    .select({
      id: rounds.id,
      slug: rounds.slug,
      title: rounds.title,
      level: rounds.level,
      year: rounds.year,
      regionName: regions.name,
      provinceName: sql<string | null>`coalesce(${provinces.name}, (select p.name from provinces_2025 p where p.code = ${rounds.provinceCode}))`,
      registrationOpensAt: rounds.registrationOpensAt,
      registrationClosesAt: rounds.registrationClosesAt,
      scoringClosesAt: rounds.scoringClosesAt,
      passMark: rounds.passMark,
      quota: rounds.quota,
      authority: rounds.authority,
    })
    .from(rounds)
    .leftJoin(regions, eq(regions.code, rounds.regionCode))
    .leftJoin(provinces, eq(provinces.code, rounds.provinceCode))
    .where(and(eq(rounds.slug, slug), eq(rounds.status, "registration")));
  if (!round) return null;
  const [groups, rubric] = await Promise.all([tx.select().from(productGroups).orderBy(asc(productGroups.no)), getRubric(round.id, tx)]);
  const { id: _id, ...fields } = round;
  return {
    ...fields,
    levelName: LEVEL_NAMES[round.level] ?? round.level,
    scopeName: round.regionName ?? round.provinceName ?? "Toàn quốc",
    passMark: Number(round.passMark),
    needsLowerCertificate: NEEDS_LOWER_CERTIFICATE.has(round.level),
    phase: now < round.registrationOpensAt ? ("upcoming" as const) : now < round.registrationClosesAt ? ("open" as const) : ("closed" as const),
    groups: groups.map((g) => ({ no: g.no, name: g.name })),
    rubric: publicTree(rubric),
  };
}

export type OpenCall = NonNullable<Awaited<ReturnType<typeof getOpenCall>>>;

/** Whether a round of this slug is in registration (the results page points there instead of a 404). */
export async function isOpenCall(slug: string, tx: Database = db()) {
  if (!slug || slug.length > 200) return false;
  const [row] = await tx.select({ id: rounds.id }).from(rounds).where(and(eq(rounds.slug, slug), eq(rounds.status, "registration")));
  return !!row;
}
