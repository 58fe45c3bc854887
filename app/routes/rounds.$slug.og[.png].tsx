import type { LoaderFunctionArgs } from "@remix-run/node";

import { findPublishedRound, listWinners } from "~/models/public/catalogue.server";
import { conditionalGet } from "~/utils/cache.server";
import { formatDate } from "~/utils/format";
import { ogCard } from "~/utils/og-card.server";

/** GET /rounds/:slug/og.png: the Open Graph card of a round's results. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "round-og");
  const round = await findPublishedRound(params.slug ?? "");
  if (!round) throw new Response("Không tìm thấy đợt bình chọn đã công bố.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const count = (await listWinners(round.id)).length;
  const png = await ogCard({
    kicker: `${round.levelName} · năm ${round.year}`,
    title: round.title,
    lines: [`${count} sản phẩm công nghiệp nông thôn tiêu biểu`, round.decisionNo ? `Quyết định số ${round.decisionNo}${round.decisionDate ? ` ngày ${formatDate(round.decisionDate)}` : ""}` : round.authority],
  });
  cache.headers.set("Content-Type", "image/png");
  return new Response(new Uint8Array(png), { headers: cache.headers });
}
