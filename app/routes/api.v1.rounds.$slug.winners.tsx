import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { findPublishedRound, listWinners } from "~/models/public/catalogue.server";
import { nominationsOfRound } from "~/models/round/nomination-view.server";
import { conditionalGet } from "~/utils/cache.server";

/** GET /api/v1/rounds/:slug/winners (DESIGN §6): the recognised products in rank order. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "api-winners");
  const slug = params.slug ?? "";
  const round = await cache.memo(`round:${slug}`, () => findPublishedRound(slug));
  if (!round) return json({ error: "Không tìm thấy đợt bình chọn đã công bố với mã này." }, { status: 404 });
  const winners = await cache.memo(`winners:${round.id}`, () => listWinners(round.id));
  const nominated = await cache.memo(`nominations:${round.id}`, () => nominationsOfRound(round.id));
  return json(
    {
      round: {
        slug: round.slug,
        title: round.title,
        level: round.level,
        region: round.regionSlug ?? null,
        province: round.provinceCode ?? null,
        year: round.year,
        passMark: round.passMark,
        decisionNo: round.decisionNo,
        decisionDate: round.decisionDate,
        authority: round.authority,
        publishedAt: round.publishedAt,
        selectedCount: winners.length,
      },
      winners: winners.map((w) => ({
        rank: w.rank,
        productName: w.productName,
        group: { no: w.groupNo, name: w.groupName },
        facility: { name: w.facilityName, province: { name: w.provinceName, currentName: w.currentProvinceName } },
        meanScore: w.meanScore,
        certificate: w.certificate,
        /** The cover letter with which the lower level sent the product up (issue 15); null for direct registration. */
        nomination: nominated.get(w.entryId) ?? null,
      })),
    },
    { headers: cache.headers },
  );
}
