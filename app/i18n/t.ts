/**
 * A translation function without React, for `meta` exports and pure helpers (they run on the server
 * and in the browser, outside any component). Same tables as the React tree (app/i18n/translate.ts).
 */
import type { Lang } from "./config";
import { type Translate, translator } from "./translate";

/** `t` fixed to one language. */
export function fixedT(lang: Lang): Translate {
  return translator(lang);
}
