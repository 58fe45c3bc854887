/** GET /programme/:year/:region/bao-cao.xlsx?period=9m — the public report as a workbook. */
import type { LoaderFunctionArgs } from "@remix-run/node";

import { reportWorkbook, XLSX_MIME } from "~/models/programme/import.server";
import { getRegionReport } from "~/models/programme/report.server";
import { parseGrouping, parsePeriod, periodKey } from "~/models/programme/rules";
import { YearSchema } from "~/schemas/programme";
import { conditionalGet, programmeVersion } from "~/utils/cache.server";
import { invariantResponse } from "~/utils/errors";
import { orErrorPage } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = YearSchema.safeParse(params.year);
  invariantResponse(year.success, "Năm không hợp lệ.", 404);
  const periodMonths = parsePeriod(new URL(request.url).searchParams.get("period"));
  invariantResponse(periodMonths !== null, "Kỳ báo cáo không hợp lệ (3m, 6m, 9m, 12m).", 400);
  const grouping = parseGrouping(new URL(request.url).searchParams.get("group"));
  invariantResponse(grouping !== null, "Cách nhóm không hợp lệ (bỏ trống, era hoặc successor).", 400);
  const input = { year: year.data, periodMonths, regionSlug: params.region ?? "", grouping };
  const fingerprint = await programmeVersion();
  const cache = await conditionalGet(request, `programme-xlsx|${fingerprint}`);
  const report = await orErrorPage(() => cache.memo(`programme-report|${fingerprint}|${JSON.stringify(input)}`, () => getRegionReport(input)));
  const body = await reportWorkbook(report);
  const name = `khuyen-cong-${report.region.slug}-${report.year}-${periodKey(report.periodMonths)}.xlsx`;
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": XLSX_MIME,
      "Content-Disposition": `attachment; filename="${name}"`,
      ETag: cache.etag,
      "Cache-Control": cache.headers.get("Cache-Control") ?? "no-store",
      Vary: "Cookie",
    },
  });
}
