/**
 * Vietnamese text, once: folding (no diacritics, đ → d, lower case — the JavaScript twin of SQL
 * vn_fold()), slugs, and alphabetical order. Pure: the browser and the server share it; every
 * page, import and search that compares or sorts names goes through here.
 */

/** Lower case without diacritics, "đ" → "d". */
export function foldVi(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();
}

/** Folded words separated by single spaces (punctuation dropped): for comparing names and headers. */
export function foldWords(text: string): string {
  return foldVi(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** "Nước mắm Cát Hải" → "nuoc-mam-cat-hai": ASCII letters and digits joined by single dashes. */
export function slugVi(text: string): string {
  return foldVi(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * Vietnamese alphabetical order ("Cà Mau" before "Cao Bằng", "Đ…" after "D…", not after "Z"), the
 * one order of every list of names a person picks from (province dropdowns first of all). The
 * database sorts by code points, so lists are sorted here.
 */
const collator = new Intl.Collator("vi");

export function compareVi(a: string, b: string): number {
  return collator.compare(a, b);
}

/** A copy of the list in Vietnamese order of its `name`. */
export function sortByName<T extends { name: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => collator.compare(a.name, b.name));
}
