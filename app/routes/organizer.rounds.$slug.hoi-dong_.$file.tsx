
import type { LoaderFunctionArgs } from "@remix-run/node";

import { listBodies } from "~/models/council/bodies.server";
import { councilMinutesData, councilMinutesPdf, councilMinutesXlsx } from "~/models/council/minutes.server";
import { listComplaints } from "~/models/results/complaint.server";
import { requireOrganizerRound } from "~/utils/round-guard.server";
import { storage } from "~/utils/storage/index.server";
import { mediaFileKey } from "~/utils/uploads.server";

/** The signed founding decision (quyet-dinh-jury.pdf, quyet-dinh-council.pdf) or a complaint's PDF (khieu-nai-<id>.pdf): the round's organisers only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "results:view");
  const file = params.file ?? "";
  if (file === "bien-ban.pdf" || file === "bien-ban.xlsx") {
    const m = await councilMinutesData(round.id);
    const pdf = file.endsWith(".pdf");
    const bytes = pdf ? await councilMinutesPdf(m) : await councilMinutesXlsx(m);
    return new Response(new Uint8Array(bytes), {
      headers: {
        "Content-Type": pdf ? "application/pdf" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `${pdf ? "inline" : "attachment"}; filename="bien-ban-hoi-dong-${round.slug}.${pdf ? "pdf" : "xlsx"}"`,
        "Cache-Control": "private, no-store",
      },
    });
  }
  let id: string | null | undefined;
  const body = /^quyet-dinh-(jury|council)\.pdf$/.exec(file);
  const complaint = /^khieu-nai-(\d+)\.pdf$/.exec(file);
  if (body) id = (await listBodies(round.id)).find((b) => b.kind === body[1])?.pdfId;
  else if (complaint) id = (await listComplaints(round.id, { withIdentity: true })).find((c) => c.id === Number(complaint[1]))?.pdfId;
  if (!id) throw new Response("Không tìm thấy tệp.", { status: 404 });
  const bytes = await storage().readAll(mediaFileKey(id, "document"));
  if (!bytes) throw new Response("Không tìm thấy tệp.", { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${file}"`, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" },
  });
}
