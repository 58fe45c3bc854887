/**
 * GET /api/v1/programme/:year/:region?period=9m — the public programme results of a region from
 * approved figures only. `period` is cumulative months from January: `9m` = the first 9 months,
 * `12m` or `year` (the default) = the full year. Percentages have 2 decimals, null when the plan
 * is 0 or missing.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { getRegionReport } from "~/models/programme/report.server";
import { parseGrouping, parsePeriod, periodKey } from "~/models/programme/rules";
import { YearSchema } from "~/schemas/programme";
import { conditionalGet, programmeVersion } from "~/utils/cache.server";
import { isAppError } from "~/utils/errors";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = YearSchema.safeParse(params.year);
  const periodMonths = parsePeriod(new URL(request.url).searchParams.get("period"));
  if (!year.success) return json({ error: "Năm không hợp lệ." }, { status: 400 });
  if (periodMonths === null) return json({ error: "Kỳ không hợp lệ: dùng 3m, 6m, 9m, 12m hoặc year." }, { status: 400 });
  const grouping = parseGrouping(new URL(request.url).searchParams.get("group"));
  if (grouping === null) return json({ error: "Cách nhóm không hợp lệ: bỏ trống, era hoặc successor." }, { status: 400 });
  const input = { year: year.data, periodMonths, regionSlug: params.region ?? "", grouping };
  const fingerprint = await programmeVersion();
  const cache = await conditionalGet(request, `programme-api|${fingerprint}`);
  cache.headers.set("Access-Control-Allow-Origin", "*");
  try {
    const report = await cache.memo(`programme-report|${fingerprint}|${JSON.stringify(input)}`, () => getRegionReport(input));
    return json(
      {
        year: report.year,
        region: report.region.slug,
        period: periodKey(report.periodMonths),
        // Only when asked (the contract's shape stays exactly as it was for plain requests).
        ...(report.grouping === "successor" ? { group: report.grouping } : {}),
        indicators: report.indicators.map((i) => ({
          code: i.code,
          name: i.name,
          unit: i.unit,
          plan: i.plan,
          actual: i.actual,
          percentOfPlan: i.percentOfPlan,
          byProvince: i.byPlace.map((p) => ({ province: p.name, plan: p.plan, actual: p.actual, percentOfPlan: p.percentOfPlan })),
        })),
      },
      { headers: cache.headers },
    );
  } catch (error) {
    if (isAppError(error)) return json({ error: error.message }, { status: error.status });
    throw error;
  }
}
