import type { LoaderFunctionArgs } from "@remix-run/node";

import { findCertificateByCode } from "~/models/certificate/certificate.server";
import { certificateResponse, splitFileParam } from "~/models/certificate/pdf.server";
import { verifyCertificateCode } from "~/models/certificate/verification.server";
import { clientIp, orErrorPage } from "~/utils/http.server";

/**
 * Public: /certificates/by-code/:code.pdf (or .png). The code (≥ 60 bits, printed and in the QR)
 * is the permission: whoever holds it may see the certificate. A revoked one is served stamped.
 * Unknown codes count against the same per-client throttle as the verify page (429 when exceeded).
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const file = splitFileParam(params.file, ["pdf", "png"]);
  if (!file) throw new Response("Không tìm thấy tệp.", { status: 404 });
  return orErrorPage(async () => {
    const known = await verifyCertificateCode({ code: file.name, client: clientIp(context) });
    const cert = known ? await findCertificateByCode(file.name) : null;
    if (!cert) throw new Response("Không tìm thấy giấy chứng nhận với mã này.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    const { status: _status, ...row } = cert;
    return certificateResponse(row, file.ext as "pdf" | "png");
  });
}
