import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { verifyCertificateCode } from "~/models/certificate/verification.server";
import { conditionalGet } from "~/utils/cache.server";
import { isAppError } from "~/utils/errors";
import { clientIp } from "~/utils/http.server";

/** GET /api/v1/certificates/:code (DESIGN §6): the status of a certificate; 404 unknown, 429 throttled. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "api-certificate", { revalidate: true });
  let cert;
  try {
    cert = await verifyCertificateCode({ code: params.code ?? "", client: clientIp(context), memo: cache.memo });
  } catch (error) {
    if (isAppError(error)) return json({ error: error.message }, { status: error.status, headers: { "Cache-Control": "no-store", "Retry-After": "900" } });
    throw error;
  }
  if (!cert) return json({ error: "Không tìm thấy giấy chứng nhận với mã này." }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return json(
    {
      serial: cert.serial,
      kind: cert.kind,
      status: cert.status,
      subject: cert.subject,
      issuer: cert.issuer,
      decisionNo: cert.decisionNo,
      decisionDate: cert.decisionDate,
      issuedAt: cert.issuedAt,
      validUntil: cert.validUntil,
      validityRule: cert.validityRule,
      revokedAt: cert.revokedAt,
      revokedReason: cert.revokedReason,
    },
    { headers: cache.headers },
  );
}
