/** GET /programme/:year/:region/bao-cao.xlsx?period=9m — the public report as a workbook. */
import type { LoaderFunctionArgs } from "@remix-run/node";

import { reportWorkbook, XLSX_MIME } from "~/models/programme-import.server";
import { parsePeriod, periodKey } from "~/models/programme-rules";
import { getRegionReport } from "~/models/programme.server";
import { YearSchema } from "~/schemas/programme";
import { invariantResponse } from "~/utils/errors";
import { orErrorPage } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = YearSchema.safeParse(params.year);
  invariantResponse(year.success, "Năm không hợp lệ.", 404);
  const periodMonths = parsePeriod(new URL(request.url).searchParams.get("period"));
  invariantResponse(periodMonths !== null, "Kỳ báo cáo không hợp lệ (3m, 6m, 9m, 12m).", 400);
  const report = await orErrorPage(() => getRegionReport({ year: year.data, periodMonths, regionSlug: params.region ?? "" }));
  const body = await reportWorkbook(report);
  const name = `khuyen-cong-${report.region.slug}-${report.year}-${periodKey(report.periodMonths)}.xlsx`;
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": XLSX_MIME,
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "public, max-age=60",
    },
  });
}
