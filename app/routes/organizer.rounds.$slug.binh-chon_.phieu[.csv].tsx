import type { LoaderFunctionArgs } from "@remix-run/node";

import { EXPORT_HEADER, exportVotes } from "~/models/vote/poll.server";
import { toCsv } from "~/utils/csv";
import { requireOrganizerRound } from "~/utils/round-guard.server";

/** GET /organizer/rounds/:slug/binh-chon/phieu.csv: every vote with hashed client addresses (organisers of the round). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "results:view");
  return new Response(toCsv(EXPORT_HEADER, await exportVotes(round.id)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${round.slug}-phieu-binh-chon.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
