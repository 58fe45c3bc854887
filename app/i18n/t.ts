/**
 * A translation function without React, for `meta` exports and pure helpers (they run on the server
 * and in the browser, outside any component). Same resources as the React tree.
 */
import i18next, { type TFunction } from "i18next";

import type { Lang } from "./config";
import { i18nOptions } from "./resources";

const instance = i18next.createInstance();
void instance.init({ ...i18nOptions, lng: "vi" });

const fixed = new Map<Lang, TFunction>();

/** `t` fixed to one language. */
export function fixedT(lang: Lang): TFunction {
  let t = fixed.get(lang);
  if (!t) {
    t = instance.getFixedT(lang);
    fixed.set(lang, t);
  }
  return t;
}
