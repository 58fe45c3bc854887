/**
 * The static role → permission map, shared by the browser (to show or hide links) and the server
 * (to refuse). Scoped checks (an organiser's level and region/province, a juror's assignment, a
 * facility member's own rows) happen in the models, which answer 404 outside the scope.
 */
export type Role = "facility" | "juror" | "organizer" | "ministry" | "admin";

export const PERMISSIONS = {
  facility: ["facility:manage", "product:manage", "entry:submit"],
  juror: ["score:entry", "conflict:declare"],
  organizer: [
    "round:manage",
    "entry:screen",
    "council:manage",
    "results:view",
    "round:publish",
    "certificate:issue",
    "programme:enter",
    "programme:approve",
  ],
  ministry: ["commendation:manage", "certificate:issue", "certificate:revoke"],
  admin: ["user:manage", "audit:view", "reference:manage", "indicator:manage"],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof PERMISSIONS)[Role][number];

export const ROLE_LABELS: Record<Role, string> = {
  facility: "Cơ sở CNNT",
  juror: "Giám khảo",
  organizer: "Ban tổ chức",
  ministry: "Cán bộ Bộ Công Thương",
  admin: "Quản trị hệ thống",
};

/** Where each role lands after signing in, in order of precedence. */
export const ROLE_HOMES: [Role, string][] = [
  ["admin", "/admin"],
  ["ministry", "/ministry"],
  ["organizer", "/organizer"],
  ["juror", "/jury"],
  ["facility", "/facility"],
];

export interface RoleGrant {
  role: Role;
  scopeLevel: string | null;
  scopeRegion: string | null;
  scopeProvince: string | null;
}

export function hasPermission(roles: readonly Pick<RoleGrant, "role">[], permission: Permission): boolean {
  return roles.some((r) => (PERMISSIONS[r.role] as readonly string[]).includes(permission));
}

export function hasRole(roles: readonly Pick<RoleGrant, "role">[], role: Role): boolean {
  return roles.some((r) => r.role === role);
}

export function homeFor(roles: readonly Pick<RoleGrant, "role">[]): string {
  return ROLE_HOMES.find(([role]) => hasRole(roles, role))?.[1] ?? "/facility";
}

export interface Scope {
  level: string;
  regionCode: string | null;
  provinceCode: string | null;
}

/**
 * Whether an organiser grant covers a round or a province: a grant without a level covers every
 * level; a grant with a region covers that region's rounds and the provinces in it; a grant with a
 * province covers only that province. `provinceRegion` is the region of the scope's province.
 */
export function grantCovers(grant: RoleGrant, scope: Scope & { provinceRegion?: string | null }): boolean {
  if (grant.role !== "organizer") return false;
  if (grant.scopeLevel && grant.scopeLevel !== scope.level) return false;
  if (grant.scopeProvince) return grant.scopeProvince === scope.provinceCode;
  if (grant.scopeRegion) {
    return grant.scopeRegion === scope.regionCode || (!!scope.provinceRegion && grant.scopeRegion === scope.provinceRegion);
  }
  return true;
}
