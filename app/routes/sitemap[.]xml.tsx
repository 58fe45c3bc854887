import type { LoaderFunctionArgs } from "@remix-run/node";

import { listPublicProductIds, listPublishedRounds } from "~/models/public/catalogue.server";
import { conditionalGet } from "~/utils/cache.server";
import { env } from "~/utils/env.server";

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

/** GET /sitemap.xml: the public pages search engines should know. */
export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "sitemap");
  const origin = env().PUBLIC_URL.replace(/\/$/, "");
  const [rounds, productIds] = await Promise.all([listPublishedRounds(), listPublicProductIds()]);
  const urls = [
    "/",
    "/rounds",
    "/commendations",
    "/stats",
    "/verify",
    ...rounds.map((r) => `/rounds/${r.slug}`),
    ...productIds.map((id) => `/products/${id}`),
  ];
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls
    .map((u) => `  <url><loc>${escapeXml(origin + u)}</loc></url>`)
    .join("\n")}\n</urlset>\n`;
  cache.headers.set("Content-Type", "application/xml; charset=utf-8");
  return new Response(body, { headers: cache.headers });
}
