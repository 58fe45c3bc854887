import type { LoaderFunctionArgs } from "@remix-run/node";

import { findPublishedRound, listWinners } from "~/models/public/catalogue.server";
import { winnersXlsx } from "~/models/results/winners-export.server";
import { conditionalGet } from "~/utils/cache.server";

/** GET /rounds/:slug/winners.xlsx: the same list as an Excel workbook. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "winners-xlsx");
  const round = await findPublishedRound(params.slug ?? "");
  if (!round) throw new Response("Không tìm thấy đợt bình chọn đã công bố.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const body = await winnersXlsx(round, await listWinners(round.id));
  cache.headers.set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  cache.headers.set("Content-Disposition", `attachment; filename="${round.slug}-danh-sach.xlsx"`);
  return new Response(new Uint8Array(body), { headers: cache.headers });
}
