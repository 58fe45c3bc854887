/**
 * Organiser scope, written once: whether an organiser's grants cover a round (its level, and its
 * region — directly, or through the region of its province of either era). `grantCovers`
 * (app/utils/permissions.ts) is the pure rule; this module finds the round's province region and the
 * user's grants. Every model that answers 404 outside the scope asks here; `tests/unit/one-home.test.ts`
 * fails if another module calls `grantCovers` or looks up a province's region for it.
 */
import { and, eq, isNull, ne, sql, type SQL } from "drizzle-orm";

import { entries, provinces, provinces2025, type Round, rounds, userRoles, users } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { grantCovers, type RoleGrant } from "../../utils/permissions";

type RoundScope = Pick<Round, "level" | "regionCode" | "provinceCode">;

/** The region of a round's province (2016 list first, then 2025), as SQL over the joined tables. */
const provinceRegionSql: SQL<string | null> = sql<string | null>`coalesce(${provinces.regionCode}, ${provinces2025.regionCode})`;

async function provinceRegion(code: string | null, tx: Database): Promise<string | null> {
  if (!code) return null;
  const [p16] = await tx.select({ r: provinces.regionCode }).from(provinces).where(eq(provinces.code, code));
  if (p16) return p16.r;
  const [p25] = await tx.select({ r: provinces2025.regionCode }).from(provinces2025).where(eq(provinces2025.code, code));
  return p25?.r ?? null;
}

const organizerOnly = (roles: readonly RoleGrant[]) => roles.filter((r) => r.role === "organizer");

/** The user's organiser grants, read from the database (for callers that have only the id). */
export async function organizerGrants(userId: string, tx: Database = db()): Promise<RoleGrant[]> {
  const rows = await tx
    .select({ role: userRoles.role, scopeLevel: userRoles.scopeLevel, scopeRegion: userRoles.scopeRegion, scopeProvince: userRoles.scopeProvince })
    .from(userRoles)
    .where(and(eq(userRoles.userId, userId), eq(userRoles.role, "organizer")));
  return rows as RoleGrant[];
}

/** Whether one of the grants covers the round. */
export async function organizerCoversRound(roles: readonly RoleGrant[], round: RoundScope, tx: Database = db()): Promise<boolean> {
  const grants = organizerOnly(roles);
  if (!grants.length) return false;
  const region = await provinceRegion(round.provinceCode, tx);
  const scope = { level: round.level, regionCode: round.regionCode, provinceCode: round.provinceCode, provinceRegion: region };
  return grants.some((g) => grantCovers(g, scope));
}

/** Whether the user's organiser grants cover the round (by user id). */
export async function coversRound(userId: string, round: RoundScope, tx: Database = db()): Promise<boolean> {
  return organizerCoversRound(await organizerGrants(userId, tx), round, tx);
}

/** Whether the grants cover a round in which the product was entered (any entry past its draft). */
export async function organizerCoversProduct(roles: readonly RoleGrant[], productId: number, tx: Database = db()): Promise<boolean> {
  const grants = organizerOnly(roles);
  if (!grants.length) return false;
  const scopes = await tx
    .select({ level: rounds.level, regionCode: rounds.regionCode, provinceCode: rounds.provinceCode, provinceRegion: provinceRegionSql })
    .from(entries)
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .leftJoin(provinces, eq(provinces.code, rounds.provinceCode))
    .leftJoin(provinces2025, eq(provinces2025.code, rounds.provinceCode))
    .where(and(eq(entries.productId, productId), ne(entries.status, "draft")));
  return scopes.some((s) => grants.some((g) => grantCovers(g, s)));
}

/**
 * The organisers whose scope covers the round (level, region or province), enabled accounts only:
 * the people who run its screening, council, results and certificates (notifications).
 */
export async function organizersOfRound(round: RoundScope, tx: Database = db()): Promise<string[]> {
  const grants = await tx
    .select({
      userId: userRoles.userId,
      role: userRoles.role,
      scopeLevel: userRoles.scopeLevel,
      scopeRegion: userRoles.scopeRegion,
      scopeProvince: userRoles.scopeProvince,
    })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(userRoles.role, "organizer"), isNull(users.disabledAt)));
  const region = await provinceRegion(round.provinceCode, tx);
  const scope = { level: round.level, regionCode: round.regionCode, provinceCode: round.provinceCode, provinceRegion: region };
  return [...new Set(grants.filter((g) => grantCovers(g as RoleGrant, scope)).map((g) => g.userId))];
}
