import type { LoaderFunctionArgs } from "@remix-run/node";

import { LANGS, pathIn } from "~/i18n/config";
import { listPublicProductIds, listPublishedRounds } from "~/models/public/catalogue.server";
import { conditionalGet } from "~/utils/cache.server";
import { env } from "~/utils/env.server";

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

/**
 * GET /sitemap.xml: the public pages search engines should know, each in both languages. Every page
 * listed here has an English mirror (`app/routes/en.*.tsx`), so each Vietnamese URL and its `/en`
 * twin are listed with the same `xhtml:link` alternates — vi, en, and x-default (Vietnamese) — as
 * the sitemaps protocol asks for localized pages (each language version names all of them, itself
 * included), matching the `hreflang` links in the pages' `<head>`.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "sitemap");
  const origin = env().PUBLIC_URL.replace(/\/$/, "");
  const [rounds, productIds] = await Promise.all([listPublishedRounds(), listPublicProductIds()]);
  const paths = [
    "/",
    "/rounds",
    "/commendations",
    "/stats",
    "/verify",
    ...rounds.map((r) => `/rounds/${r.slug}`),
    ...productIds.map((id) => `/products/${id}`),
  ];
  const link = (hreflang: string, path: string) => `<xhtml:link rel="alternate" hreflang="${hreflang}" href="${escapeXml(origin + path)}"/>`;
  const urls = paths.flatMap((path) => {
    const alternates = [...LANGS.map((lang) => link(lang, pathIn(lang, path))), link("x-default", path)].map((l) => `    ${l}`).join("\n");
    return LANGS.map((lang) => `  <url>\n    <loc>${escapeXml(origin + pathIn(lang, path))}</loc>\n${alternates}\n  </url>`);
  });
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join("\n")}\n</urlset>\n`;
  cache.headers.set("Content-Type", "application/xml; charset=utf-8");
  return new Response(body, { headers: cache.headers });
}
