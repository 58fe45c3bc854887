import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { listPublicCommendations } from "~/models/commendation/public.server";
import { conditionalGet } from "~/utils/cache.server";

/** GET /api/v1/commendations (DESIGN §6): issued decisions with their recipients; `?q=` filters recipients. */
export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "api-commendations");
  const { decisions } = await listPublicCommendations({ q: new URL(request.url).searchParams.get("q") ?? undefined });
  return json(
    {
      decisions: decisions.map((d) => ({
        number: d.number,
        signedOn: d.signedOn,
        signer: d.signer,
        signerTitle: d.signerTitle,
        authority: d.authority,
        period: d.period,
        recipients: d.recipients.map((r) => ({
          kind: r.kind,
          name: r.name,
          position: r.position,
          organization: r.organization,
          province: r.province,
          certificate: r.certificate ? { serial: r.certificate.serial, code: r.certificate.code } : null,
        })),
      })),
    },
    { headers: cache.headers },
  );
}
