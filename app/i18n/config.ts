/**
 * Languages of the public site (issue 19, item 5). Vietnamese is the default and the only language
 * of official documents (PDFs, certificates); English is a mirror of the public pages under `/en`.
 * The language is decided by the URL alone — never a cookie or Accept-Language — so every URL has
 * one representation and the page cache, ETags and sitemap keep working unchanged.
 *
 * Pure and browser-importable: the server (remix-i18next), the React tree and `meta` share it.
 */
export const LANGS = ["vi", "en"] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = "vi";

/** The path prefix of the English mirror. */
export const EN_PREFIX = "/en";

/** The locale Intl formats with: Vietnamese conventions, British English (day before month). */
export const INTL_LOCALE: Record<Lang, string> = { vi: "vi-VN", en: "en-GB" };

/** "en" for `/en` and `/en/…`, else "vi". */
export function langFromPath(pathname: string): Lang {
  return pathname === EN_PREFIX || pathname.startsWith(`${EN_PREFIX}/`) ? "en" : "vi";
}

/** The Vietnamese (canonical) path of a path in either language: `/en/rounds/x` → `/rounds/x`, `/en` → `/`. */
export function stripLang(pathname: string): string {
  if (langFromPath(pathname) === "vi") return pathname;
  return pathname.slice(EN_PREFIX.length) || "/";
}

/**
 * The path of a Vietnamese (canonical) path in `lang`, query and hash kept: `("/rounds?page=2", "en")`
 * → `/en/rounds?page=2`; `("/", "en")` → `/en`. Relative links (`?page=2`, `.`) are returned as
 * they are: they already stay in the current language.
 */
export function pathIn(lang: Lang, path: string): string {
  if (lang === "vi" || !path.startsWith("/") || path.startsWith("//")) return path;
  if (langFromPath(path.replace(/[?#].*$/, "")) === "en") return path;
  if (path === "/" || path.startsWith("/?") || path.startsWith("/#")) return `${EN_PREFIX}${path.slice(1)}`;
  return `${EN_PREFIX}${path}`;
}

/** The same page in the other language: what the language switch links to. */
export function switchPath(to: Lang, pathname: string, search = ""): string {
  return pathIn(to, stripLang(pathname)) + search;
}
