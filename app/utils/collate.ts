/**
 * Vietnamese alphabetical order ("Cà Mau" before "Cao Bằng", "Đ…" after "D…", not after "Z"), the
 * one order of every list of names a person picks from (province dropdowns first of all). The
 * database sorts by code points, so lists are sorted here; shared by browser and server.
 */
const collator = new Intl.Collator("vi");

export function compareVi(a: string, b: string): number {
  return collator.compare(a, b);
}

/** A copy of the list in Vietnamese order of its `name`. */
export function sortByName<T extends { name: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => collator.compare(a.name, b.name));
}
