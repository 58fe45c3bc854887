import type { LoaderFunctionArgs } from "@remix-run/node";

import { exportRound } from "~/models/results/export.server";
import { requireOrganizerRound } from "~/utils/round-guard.server";

/** Resource route: ?table=results|sheets&format=xlsx|csv */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "results:view");
  const url = new URL(request.url);
  const table = url.searchParams.get("table") === "sheets" ? "sheets" : "results";
  const format = url.searchParams.get("format") === "csv" ? "csv" : "xlsx";
  const file = await exportRound({ roundId: round.id, slug: round.slug, table, format });
  return new Response(typeof file.body === "string" ? file.body : new Uint8Array(file.body), {
    headers: {
      "Content-Type": file.type,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
