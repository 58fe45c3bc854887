/** The receipt of a submitted dossier as a PDF; the same guard as the page (facility members, 404 otherwise). */
import type { LoaderFunctionArgs } from "@remix-run/node";

import { renderReceiptPdf } from "~/models/entry/receipt-pdf.server";
import { getEntryReceipt } from "~/models/entry/receipt.server";
import { requireUser } from "~/utils/auth.server";
import { orErrorPage } from "~/utils/http.server";

import { receiptEntryId } from "./facility.receipts.$entryId";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const entryId = receiptEntryId(params);
  const receipt = await orErrorPage(() => getEntryReceipt({ userId: user.id, entryId }));
  const bytes = await renderReceiptPdf(receipt);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="bien-nhan-${receipt.code.replace(/[^A-Za-z0-9-]/g, "_")}.pdf"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
