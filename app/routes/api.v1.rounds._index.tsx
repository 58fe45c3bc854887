import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { listPublishedRounds } from "~/models/public/catalogue.server";
import { conditionalGet } from "~/utils/cache.server";

/** GET /api/v1/rounds (DESIGN §6): published rounds, newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "api-rounds");
  const rounds = await listPublishedRounds();
  return json(
    rounds.map((r) => ({
      slug: r.slug,
      title: r.title,
      level: r.level,
      region: r.regionSlug ?? null,
      province: r.provinceName ?? null,
      year: r.year,
      publishedAt: r.publishedAt,
      selectedCount: r.selectedCount,
    })),
    { headers: cache.headers },
  );
}
