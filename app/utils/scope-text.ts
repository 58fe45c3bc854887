/**
 * An organiser's scope in words ("Khu vực phía Bắc", "Cấp tỉnh – Ninh Bình"), never the raw codes
 * ("BAC", "ninh-binh") a person cannot read. Pure: the names come from the reference tables.
 */
export interface ScopeNames {
  levels: Record<string, string>;
  regions: Record<string, string>;
  provinces: Record<string, string>;
}

export function scopeText(
  grant: { scopeLevel?: string | null; scopeRegion?: string | null; scopeProvince?: string | null },
  names: ScopeNames,
): string {
  return [
    grant.scopeLevel ? (names.levels[grant.scopeLevel] ?? grant.scopeLevel) : null,
    grant.scopeRegion ? (names.regions[grant.scopeRegion] ?? grant.scopeRegion) : null,
    grant.scopeProvince ? (names.provinces[grant.scopeProvince] ?? grant.scopeProvince) : null,
  ]
    .filter(Boolean)
    .join(" – ");
}

/** "Ban tổ chức (Khu vực phía Bắc)", or the role alone without a scope. */
export function roleWithScope(label: string, grant: Parameters<typeof scopeText>[0], names: ScopeNames): string {
  const scope = scopeText(grant, names);
  return scope ? `${label} (${scope})` : label;
}
