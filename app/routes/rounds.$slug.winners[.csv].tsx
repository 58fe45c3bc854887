import type { LoaderFunctionArgs } from "@remix-run/node";

import { findPublishedRound, listWinners } from "~/models/public/catalogue.server";
import { winnersCsv } from "~/models/results/winners-export.server";
import { conditionalGet } from "~/utils/cache.server";

/** GET /rounds/:slug/winners.csv (DESIGN §6): the recognised products, UTF-8 with BOM. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "winners-csv");
  const round = await findPublishedRound(params.slug ?? "");
  if (!round) throw new Response("Không tìm thấy đợt bình chọn đã công bố.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const body = winnersCsv(await listWinners(round.id));
  cache.headers.set("Content-Type", "text/csv; charset=utf-8");
  cache.headers.set("Content-Disposition", `attachment; filename="${round.slug}-danh-sach.csv"`);
  return new Response(body, { headers: cache.headers });
}
