/** GET /organizer/programme/mau.xlsx?year=2016&period=9 — the import template for the caller's provinces. */
import type { LoaderFunctionArgs } from "@remix-run/node";

import { buildTemplate, XLSX_MIME } from "~/models/programme/import.server";
import { PeriodSchema } from "~/schemas/programme";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/errors";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "programme:enter");
  const url = new URL(request.url);
  const parsed = PeriodSchema.safeParse({ year: url.searchParams.get("year"), periodMonths: url.searchParams.get("period") });
  invariantResponse(parsed.success, "Chọn năm và kỳ báo cáo (year, period).", 400);
  const body = await buildTemplate({ actor: user, ...parsed.data });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": XLSX_MIME,
      "Content-Disposition": `attachment; filename="mau-so-lieu-khuyen-cong-${parsed.data.year}-${parsed.data.periodMonths}thang.xlsx"`,
      "Cache-Control": "private, no-store",
    },
  });
}
