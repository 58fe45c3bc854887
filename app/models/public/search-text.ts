/**
 * Pure text rules of the public search, shared by the server (query normalisation) and the page
 * (highlights): Vietnamese folded the way `vn_fold` folds it in the database.
 */
import { foldVi } from "../../utils/vi-text";

export const SEARCH_MAX_CHARS = 200;

/**
 * What the visitor typed, made safe to search: NFC (so NFD input from some keyboards matches),
 * control characters removed, spaces collapsed, capped at SEARCH_MAX_CHARS code points.
 */
export function normaliseQuery(raw: unknown): string {
  if (typeof raw !== "string") return "";
  // Cap before normalising so a megabyte of input costs nothing.
  const head = raw.slice(0, SEARCH_MAX_CHARS * 4).normalize("NFC");
   
  const clean = head.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g, " ").replace(/\s+/g, " ").trim();
  const chars = Array.from(clean);
  if (chars.length <= SEARCH_MAX_CHARS) return clean;
  // A word cut in half by the cap would be searched as a different, shorter word: drop it.
  const kept = chars.slice(0, SEARCH_MAX_CHARS).join("");
  const cutMidWord = /[\p{L}\p{N}]/u.test(chars[SEARCH_MAX_CHARS]);
  return (cutMidWord ? kept.replace(/[\p{L}\p{N}\p{M}]+$/u, "") : kept).trim();
}

/** Lower case without diacritics, "đ" → "d": the JavaScript twin of SQL vn_fold() (app/utils/vi-text.ts). */
export { foldVi };

/** Words of a query worth highlighting (letters and digits only, folded). */
export function queryTerms(query: string): string[] {
  const words = foldVi(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const long = words.filter((w) => w.length >= 2);
  return [...new Set(long.length ? long : words)].slice(0, 12);
}

/**
 * Short words need a word match, longer ones may also match by trigram similarity (typos): a
 * three-letter "gom" (gốm) is one trigram away from "go" (gỗ), so similarity alone would mix
 * pottery and wood.
 */
export const TYPO_TOLERANT_FROM = 4;

/** Terms this short must be a whole word; longer terms may also be the start of a word. */
export const WHOLE_WORD_UP_TO = 2;

/**
 * The PostgreSQL regular expression (ARE) that a folded text matches when it holds `term` as a
 * word, or as a word prefix for terms longer than WHOLE_WORD_UP_TO. Terms are letters and digits
 * only (queryTerms), so nothing in them needs escaping; the escape is a second lock.
 */
export function termPattern(term: string): string {
  const safe = term.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
  return Array.from(term).length <= WHOLE_WORD_UP_TO ? `\\m${safe}\\M` : `\\m${safe}`;
}

const isWordChar = (c: string | undefined) => !!c && /[\p{L}\p{N}]/u.test(c);

/** Whether the folded `text` holds `term` at `at` the way termPattern matches it. */
function matchesAt(folded: string, at: number, term: string): boolean {
  if (isWordChar(folded[at - 1])) return false;
  if (Array.from(term).length <= WHOLE_WORD_UP_TO && isWordChar(folded[at + term.length])) return false;
  return true;
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** Splits `text` into plain and highlighted parts where the folded text holds a query term as a word (or word prefix), as the search matches. */
export function highlight(text: string, query: string): Segment[] {
  const terms = queryTerms(query);
  const chars = Array.from(text.normalize("NFC"));
  if (!terms.length || !chars.length) return [{ text, hit: false }];
  // folded[i] is the fold of chars[i]; offsets map folded positions back to characters.
  let folded = "";
  const owner: number[] = [];
  chars.forEach((c, i) => {
    const f = foldVi(c);
    folded += f;
    for (let k = 0; k < f.length; k++) owner.push(i);
  });
  const marked = new Array<boolean>(chars.length).fill(false);
  for (const term of terms) {
    let from = 0;
    for (;;) {
      const at = folded.indexOf(term, from);
      if (at < 0) break;
      if (matchesAt(folded, at, term)) for (let k = at; k < at + term.length; k++) marked[owner[k]] = true;
      from = at + 1;
    }
  }
  const out: Segment[] = [];
  chars.forEach((c, i) => {
    const last = out[out.length - 1];
    if (last && last.hit === marked[i]) last.text += c;
    else out.push({ text: c, hit: marked[i] });
  });
  return out;
}
