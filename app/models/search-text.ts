/**
 * Pure text rules of the public search, shared by the server (query normalisation) and the page
 * (highlights): Vietnamese folded the way `vn_fold` folds it in the database.
 */
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
  return Array.from(clean).slice(0, SEARCH_MAX_CHARS).join("").trim();
}

/** Lower case without diacritics, "đ" → "d": the JavaScript twin of SQL vn_fold(). */
export function foldVi(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();
}

/** Words of a query worth highlighting (letters and digits only, folded). */
export function queryTerms(query: string): string[] {
  const words = foldVi(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const long = words.filter((w) => w.length >= 2);
  return [...new Set(long.length ? long : words)].slice(0, 12);
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** Splits `text` into plain and highlighted parts where the folded text contains a query term. */
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
      for (let k = at; k < at + term.length; k++) marked[owner[k]] = true;
      from = at + term.length;
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
