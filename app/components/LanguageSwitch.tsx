import { Link, useLocation, useMatches } from "@remix-run/react";

import { switchPath } from "~/i18n/config";
import { useLang, useT } from "~/i18n/react";

/** Whether the page has an English mirror: its route module exports `handle = { english: true }`. */
export function useEnglishMirror(): boolean {
  return useMatches().some((m) => (m.handle as { english?: boolean } | undefined)?.english === true);
}

/**
 * The link to the same page in the other language, query string kept (filters, page, search). Shown
 * only on pages that have both; written in the language it leads to, with `hreflang` and `lang`.
 */
export function LanguageSwitch() {
  const lang = useLang();
  const t = useT();
  const location = useLocation();
  if (!useEnglishMirror()) return null;
  const to = lang === "en" ? "vi" : "en";
  return (
    <Link
      to={switchPath(to, location.pathname, location.search)}
      hrefLang={to}
      lang={to}
      className="lang-switch"
      title={t("common.otherLanguageLabel")}
      data-testid="lang-switch"
    >
      {t("common.otherLanguage")}
    </Link>
  );
}
