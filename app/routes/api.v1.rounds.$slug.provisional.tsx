import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { publicProvisional, publicRoundInfo } from "~/models/round/public.server";

/** GET /api/v1/rounds/:slug/provisional: the provisional entries with jury mean and council votes, while the window is open. */
export async function loader({ params }: LoaderFunctionArgs) {
  const info = await publicRoundInfo(params.slug ?? "");
  if (!info) return json({ error: "Không tìm thấy đợt bình chọn với mã này." }, { status: 404 });
  const list = await publicProvisional(info.id);
  return json(
    {
      round: { slug: info.slug, title: info.title, stage: info.stage },
      open: !!list,
      publishedAt: list?.publishedAt ?? info.provisional?.publishedAt ?? null,
      complaintsCloseAt: list?.complaintsCloseAt ?? info.provisional?.complaintsCloseAt ?? null,
      entries: (list?.entries ?? []).map(({ entryId: _id, ...e }) => e),
    },
    { headers: { "Cache-Control": "no-cache" } },
  );
}
