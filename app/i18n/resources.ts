/**
 * The translation resources, bundled for the browser (no HTTP backend: a page never waits for, or
 * fails on, a request for its strings). One namespace, `translation`, keyed by page.
 */
import type { InitOptions } from "i18next";

import { DEFAULT_LANG, LANGS } from "./config";
import en from "./locales/en";
import vi from "./locales/vi";
import { registerStrings } from "./translate";

// The server renders both languages.
registerStrings("en", en);

export const resources = { vi: { translation: vi }, en: { translation: en } } as const;

/** The options every i18next instance of the app starts with (server per request, browser once). */
export const i18nOptions = {
  supportedLngs: [...LANGS],
  fallbackLng: DEFAULT_LANG,
  defaultNS: "translation",
  ns: ["translation"],
  resources,
  // React escapes; the strings are ours.
  interpolation: { escapeValue: false },
  // Resources are here already: initialise synchronously.
  initImmediate: false,
  returnNull: false,
} satisfies InitOptions;
