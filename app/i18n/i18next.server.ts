/**
 * remix-i18next on the server: the language of a request is read from its URL only (`/en/…` is
 * English, anything else Vietnamese — detection order `custom`), never from a cookie or
 * Accept-Language, so one URL always has one representation (page cache, ETags, sitemap).
 */
import { createInstance, type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { RemixI18Next } from "remix-i18next/server";

import { DEFAULT_LANG, type Lang, LANGS, langFromPath } from "./config";
import { i18nOptions } from "./resources";
import { fixedT } from "./t";
import type { Translate } from "./translate";

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...LANGS],
    fallbackLanguage: DEFAULT_LANG,
    order: ["custom"],
    findLocale: async (request) => langFromPath(new URL(request.url).pathname),
  },
  i18next: i18nOptions,
});

/** The language of a request. */
export async function requestLang(request: Request): Promise<Lang> {
  return (await i18nServer.getLocale(request)) as Lang;
}

/**
 * The strings of a request's language for the messages of loaders and actions: the same tables as
 * the pages (app/i18n/translate.ts). remix-i18next's `getFixedT` makes and initialises a new
 * i18next instance on every call (7% of a vote's CPU in the profile).
 */
export async function requestT(request: Request): Promise<Translate> {
  return fixedT(await requestLang(request));
}

// One instance per language, made once: the server never changes an instance's language, and
// making one per request would cost every public page (the strings are the same for everyone).
const instances = new Map<Lang, Promise<I18n>>();

/** The i18next instance that renders a request (entry.server.tsx), in its URL's language. */
export async function i18nForRequest(request: Request): Promise<I18n> {
  const lang = await requestLang(request);
  let instance = instances.get(lang);
  if (!instance) {
    const made = createInstance();
    instance = made
      .use(initReactI18next)
      .init({ ...i18nOptions, lng: lang })
      .then(() => made);
    instances.set(lang, instance);
  }
  return instance;
}
