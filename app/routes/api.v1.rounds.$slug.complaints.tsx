import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { publicComplaints, publicRoundInfo } from "~/models/round/public.server";

/** GET /api/v1/rounds/:slug/complaints: code, subject (entry code or "quy trình"), status, resolution — never the complainant. */
export async function loader({ params }: LoaderFunctionArgs) {
  const info = await publicRoundInfo(params.slug ?? "");
  if (!info) return json({ error: "Không tìm thấy đợt bình chọn với mã này." }, { status: 404 });
  return json({ round: { slug: info.slug, stage: info.stage }, complaints: await publicComplaints(info.id) }, { headers: { "Cache-Control": "no-cache" } });
}
