import type { LoaderFunctionArgs } from "@remix-run/node";

import { assertCanReadCertificate, certificateResponse, findCertificateBySerial, splitFileParam } from "~/models/certificate/pdf.server";
import { requireUser } from "~/utils/auth.server";
import { orErrorPage } from "~/utils/http.server";

/**
 * /certificates/:serial.pdf and /certificates/:serial.png for signed-in officers and the facility
 * that holds the certificate. The public reaches a certificate's PDF by its code instead
 * (/certificates/by-code/:code.pdf).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = splitFileParam(params.file, ["pdf", "png"]);
  if (!file) throw new Response("Không tìm thấy tệp.", { status: 404 });
  return orErrorPage(async () => {
    const cert = await findCertificateBySerial(file.name);
    await assertCanReadCertificate(user, cert);
    return certificateResponse(cert, file.ext as "pdf" | "png");
  });
}
