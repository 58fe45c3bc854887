/**
 * GET /api/v1/programme/:year/:region?period=9m — the public programme results of a region from
 * approved figures only. `period` is cumulative months from January: `9m` = the first 9 months,
 * `12m` or `year` (the default) = the full year. Percentages have 2 decimals, null when the plan
 * is 0 or missing.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { parsePeriod, periodKey } from "~/models/programme-rules";
import { getRegionReport } from "~/models/programme.server";
import { YearSchema } from "~/schemas/programme";
import { isAppError } from "~/utils/errors";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = YearSchema.safeParse(params.year);
  const periodMonths = parsePeriod(new URL(request.url).searchParams.get("period"));
  if (!year.success) return json({ error: "Năm không hợp lệ." }, { status: 400 });
  if (periodMonths === null) return json({ error: "Kỳ không hợp lệ: dùng 3m, 6m, 9m, 12m hoặc year." }, { status: 400 });
  try {
    const report = await getRegionReport({ year: year.data, periodMonths, regionSlug: params.region ?? "" });
    return json(
      {
        year: report.year,
        region: report.region.slug,
        period: periodKey(report.periodMonths),
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
      { headers: { "Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*" } },
    );
  } catch (error) {
    if (isAppError(error)) return json({ error: error.message }, { status: error.status });
    throw error;
  }
}
