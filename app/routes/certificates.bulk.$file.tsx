import type { LoaderFunctionArgs } from "@remix-run/node";

import { bundleCertificates } from "~/models/certificate/pdf.server";
import { getDecisionRow } from "~/models/commendation/commendation.server";
import { getRoundById, organizerCoversRound } from "~/models/round/round.server";
import { targetCertificateIds } from "~/models/shared/jobs.server";
import { requireUser } from "~/utils/auth.server";
import { AppError, notFound } from "~/utils/errors";
import { orErrorPage } from "~/utils/http.server";
import { hasPermission } from "~/utils/permissions";

/**
 * /certificates/bulk/decision-<id>.pdf|zip (ministry officers) and /certificates/bulk/round-<id>.pdf|zip
 * (ministry officers, and organisers whose scope covers the round).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const m = /^(decision|round)-(\d{1,9})\.(pdf|zip)$/.exec(params.file ?? "");
  if (!m) throw new Response("Không tìm thấy tệp.", { status: 404 });
  const [, type, rawId, format] = m;
  const id = Number(rawId);
  return orErrorPage(async () => {
    let name: string;
    if (type === "decision") {
      if (!hasPermission(user.roles, "commendation:manage")) throw new AppError(403, "Bạn không có quyền tải Bằng khen của quyết định này.");
      const decision = await getDecisionRow(id);
      name = `bang-khen-${decision.number.replace(/[^0-9A-Za-z]+/g, "-")}`;
    } else {
      const isMinistry = hasPermission(user.roles, "certificate:revoke");
      if (!isMinistry && !user.roles.some((r) => r.role === "organizer")) throw new AppError(403, "Bạn không có quyền tải giấy chứng nhận của đợt này.");
      const round = await getRoundById(id);
      if (!isMinistry && !(await organizerCoversRound(user.roles, round))) throw notFound("Không tìm thấy đợt bình chọn.");
      name = `giay-chung-nhan-${round.slug}`;
    }
    const ids = await targetCertificateIds({ type: type as "decision" | "round", id });
    const body = await bundleCertificates(ids, format as "pdf" | "zip");
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": format === "pdf" ? "application/pdf" : "application/zip",
        "Content-Length": String(body.length),
        "Content-Disposition": `attachment; filename="${name}.${format}"`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
