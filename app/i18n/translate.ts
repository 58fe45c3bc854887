/**
 * The interface strings in the browser and in `meta`, without i18next: a key path into the page
 * language's table, `{{name}}` filled in, the Vietnamese table as fallback, then `defaultValue`.
 * (The server's i18next instances of remix-i18next read the same tables: app/i18n/resources.ts.)
 * Vietnamese is always here; English is registered by the `en.*` route modules (and by the server),
 * so a Vietnamese page's JavaScript never carries the English table.
 */
import type { Lang } from "./config";
import vi from "./locales/vi";

type Tree = { readonly [key: string]: string | Tree };

const tables: Partial<Record<Lang, Tree>> = { vi };

/** Makes a language's table available (the English route modules and the server call it). */
export function registerStrings(lang: Lang, table: Tree) {
  tables[lang] = table;
}

export type Translate = (key: string, options?: Record<string, unknown>) => string;

function lookup(table: Tree | undefined, key: string): string | undefined {
  let node: string | Tree | undefined = table;
  for (const part of key.split(".")) {
    if (!node || typeof node === "string") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

const cache = new Map<Lang, Translate>();

/** `t` for one language. */
export function translator(lang: Lang): Translate {
  let t = cache.get(lang);
  if (!t) {
    t = (key, options = {}) => {
      const text = lookup(tables[lang], key) ?? lookup(tables.vi, key) ?? (options.defaultValue as string | undefined) ?? key;
      return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in options ? String(options[name]) : whole));
    };
    cache.set(lang, t);
  }
  return t;
}
