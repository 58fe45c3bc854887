import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { publicRoundInfo } from "~/models/round/public.server";

/** GET /api/v1/rounds/:slug (issue 14): the round's public fields, stage, provisional window, council session. */
export async function loader({ params }: LoaderFunctionArgs) {
  const info = await publicRoundInfo(params.slug ?? "");
  if (!info) return json({ error: "Không tìm thấy đợt bình chọn với mã này." }, { status: 404 });
  const { id: _id, windowOpen: _open, ...round } = info;
  return json(round, { headers: { "Cache-Control": "no-cache" } });
}
