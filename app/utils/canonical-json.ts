/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, arrays in order,
 * `undefined` members dropped as JSON.stringify drops them. Two equal values give the same text
 * whatever order their keys were stored in (jsonb reorders keys), so a hash of it is stable.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
