/**
 * The language in components: from the current URL (useLocation), so it is right on the server, at
 * hydration and after every client-side navigation without waiting for a loader.
 *
 * How a page gets English (the mechanism; see README "Decisions"):
 *   1. its strings go to app/i18n/locales/vi.ts and en.ts under one key (a test checks both sets);
 *   2. the component takes `const t = useT()`, `const lp = useLocalePath()` for links, `useFormat()`
 *      for dates and numbers; `meta` takes `fixedT(langFromPath(location.pathname))`;
 *   3. the route exports `handle = { english: true }` (the header then offers the switch and the
 *      hreflang links) and gets an alias file `app/routes/en.<same name>.tsx` re-exporting it.
 */
import { useLocation } from "@remix-run/react";
import { useCallback, useMemo } from "react";

import { formatDate, formatDateTime, formatNumber, formatPercent } from "../utils/format";
import { type Lang, langFromPath, pathIn } from "./config";
import { translator } from "./translate";

export function useLang(): Lang {
  return langFromPath(useLocation().pathname);
}

/** `t` in the page's language (fixed to the URL's language for this render). */
export function useT() {
  return translator(useLang());
}

/** Maps a Vietnamese (canonical) path to the page's language: `lp("/rounds")` is `/en/rounds` on /en. */
export function useLocalePath(): (path: string) => string {
  const lang = useLang();
  return useCallback((path: string) => pathIn(lang, path), [lang]);
}

/** Dates and numbers in the page's language, always in Vietnam time. */
export function useFormat() {
  const lang = useLang();
  return useMemo(
    () => ({
      lang,
      date: (v: Parameters<typeof formatDate>[0]) => formatDate(v, lang),
      dateTime: (v: Parameters<typeof formatDateTime>[0]) => formatDateTime(v, lang),
      number: (v: number | null | undefined, digits = 0) => formatNumber(v, digits, lang),
      percent: (v: number | null | undefined, digits = 2) => formatPercent(v, digits, lang),
    }),
    [lang],
  );
}
