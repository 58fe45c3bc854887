import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { ProgrammeChart } from "~/components/ProgrammeChart";
import { langFromPath } from "~/i18n/config";
import { useLang, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { getRegionReport } from "~/models/programme/report.server";
import { formatFigure, formatPercentShort, parseGrouping, pendingNote, PERIOD_CHOICES, parsePeriod, periodEndDay, periodKey, periodLabel } from "~/models/programme/rules";
import { PROVINCE_MERGER_DATE } from "~/models/shared/province-rules";
import { YearSchema } from "~/schemas/programme";
import programmeStyles from "~/styles/programme.css";
import { cacheHeaders, conditionalGet, programmeVersion } from "~/utils/cache.server";
import { invariantResponse } from "~/utils/errors";
import { orErrorPage } from "~/utils/http.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: programmeStyles }];

export const headers: HeadersFunction = cacheHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = YearSchema.safeParse(params.year);
  invariantResponse(year.success, "Năm không hợp lệ.", 404);
  const periodMonths = parsePeriod(new URL(request.url).searchParams.get("period"));
  invariantResponse(periodMonths !== null, "Kỳ báo cáo không hợp lệ (3m, 6m, 9m, 12m).", 400);
  const grouping = parseGrouping(new URL(request.url).searchParams.get("group"));
  invariantResponse(grouping !== null, "Cách nhóm không hợp lệ (bỏ trống, era hoặc successor).", 400);
  const input = { year: year.data, periodMonths, regionSlug: params.region ?? "", grouping };
  const fingerprint = await programmeVersion();
  const cache = await conditionalGet(request, `programme-page|${fingerprint}`);
  const report = await orErrorPage(() => cache.memo(`programme-report|${fingerprint}|${JSON.stringify(input)}`, () => getRegionReport(input)));
  // Grouping under the successor matters only for a period of the 63-province era.
  const mergeable = periodEndDay(input.year, periodMonths) < PROVINCE_MERGER_DATE;
  return json({ report, period: periodKey(periodMonths), mergeable }, { headers: cache.headers });
}

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const lang = langFromPath(location.pathname);
  const t = fixedT(lang);
  if (!data) return [{ title: t("programme.notFoundTitle") }];
  const r = data.report;
  const title = t("programme.metaTitle", { region: r.region.name, period: periodLabel(r.periodMonths, lang).toLowerCase(), year: r.year });
  return [
    { title },
    { name: "description", content: t("programme.metaDescription", { region: r.region.name }) },
    { property: "og:title", content: title },
  ];
};

export default function ProgrammeReport() {
  const { report, period, mergeable } = useLoaderData<typeof loader>();
  const query = `period=${period}${report.grouping === "successor" ? "&group=successor" : ""}`;
  const t = useT();
  const lp = useLocalePath();
  const lang = useLang();
  const fig = (v: number | null) => formatFigure(v, lang);
  const pct = (v: number | null) => formatPercentShort(v, lang);
  const when = `${periodLabel(report.periodMonths, lang)} ${report.year}`;
  return (
    <>
      <p className="no-print">
        <Link to={lp("/programme")}>{t("programme.back")}</Link>
      </p>
      <h1>{t("programme.reportTitle", { region: report.region.name })}</h1>
      <p className="programme-meta">
        {when} · {t("programme.approvedOnly")} ·{" "}
        {report.grouping === "successor"
          ? t("programme.eraSuccessor")
          : report.provinceList === "2016"
            ? t("programme.era2016")
            : t("programme.era2025")}
      </p>
      {pendingNote(report.pending) ? (
        <p className="alert info" role="note">
          {pendingNote(report.pending)}
        </p>
      ) : null}

      <div className="card actions no-print">
        <Form method="get" className="actions">
          <label htmlFor="period" style={{ margin: 0 }}>
            {t("programme.period")}
          </label>
          <select id="period" name="period" defaultValue={period}>
            {PERIOD_CHOICES.map((m) => (
              <option key={m} value={periodKey(m)}>
                {periodLabel(m, lang)}
              </option>
            ))}
          </select>
          {mergeable ? (
            <>
              <label htmlFor="group" style={{ margin: 0 }}>
                {t("programme.groupLabel")}
              </label>
              <select id="group" name="group" defaultValue={report.grouping}>
                <option value="era">{t("programme.groupEra")}</option>
                <option value="successor">{t("programme.groupSuccessor")}</option>
              </select>
            </>
          ) : null}
          <button type="submit" className="btn small secondary">
            Xem
          </button>
        </Form>
        {report.indicators.length ? (
          <>
            <a className="btn small" href={`/programme/${report.year}/${report.region.slug}/bao-cao.xlsx?${query}`} download>
              {t("programme.xlsx")}
            </a>
            <a className="btn small secondary" href={`/api/v1/programme/${report.year}/${report.region.slug}?${query}`}>
              {t("programme.json")}
            </a>
            <span className="hint">{t("programme.print")}</span>
          </>
        ) : null}
      </div>

      {report.indicators.length === 0 ? (
        <div className="alert info" role="status">
          {t("programme.noneFor", { region: report.region.name, when: when.toLowerCase() })}
        </div>
      ) : (
        <>
          <h2>{t("programme.summary")}</h2>
          <div className="table-wrap">
            <table className="programme-summary">
              <caption className="visually-hidden">{t("programme.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("programme.indicatorUnit")}</th>
                  <th scope="col" className="num">
                    {t("programme.plan")}
                  </th>
                  <th scope="col" className="num">
                    {t("programme.actual")}
                  </th>
                  <th scope="col" className="num">
                    {t("programme.percent")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.indicators.map((i) => (
                  <tr key={i.code} data-indicator={i.code}>
                    <th scope="row">
                      <a href={`#${i.code}`}>{i.name}</a> <span className="muted">({i.unit})</span>
                    </th>
                    <td className="num" data-label={t("programme.plan")}>
                      {fig(i.plan)}
                    </td>
                    <td className="num" data-label={t("programme.actual")}>
                      {fig(i.actual)}
                    </td>
                    <td className="num" data-label={t("programme.percent")}>
                      {pct(i.percentOfPlan)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          {report.indicators.map((i) => {
            const behind = i.byPlace.filter((p) => p.behind).sort((a, b) => (a.percentOfPlan ?? 0) - (b.percentOfPlan ?? 0));
            return (
              <section key={i.code} id={i.code} className="programme-indicator" aria-labelledby={`h-${i.code}`}>
                <h2 id={`h-${i.code}`}>
                  {i.name} <span className="muted">({i.unit})</span>
                </h2>
                <p>
                  {t("programme.actual")} <strong>{fig(i.actual)}</strong> / {t("programme.planLower")} {fig(i.plan)} — <strong>{pct(i.percentOfPlan)}</strong>{" "}
                  {t("programme.ofPlan")}
                  {behind.length ? (
                    <>
                      {" "}
                      {t("programme.behind")} {behind.map((p) => `${p.name} (${pct(p.percentOfPlan)})`).join(", ")}.
                    </>
                  ) : null}
                </p>
                <div className="indicator-body">
                <ProgrammeChart id={`chart-${i.code}`} title={t("programme.chart", { name: i.name })} lines={i.byPlace} />
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t("programme.province")}</th>
                        <th scope="col" className="num">
                          {t("programme.plan")}
                        </th>
                        <th scope="col" className="num">
                          {t("programme.actual")}
                        </th>
                        <th scope="col" className="num">
                          {t("programme.percent")}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {i.byPlace.map((p) => (
                        <tr key={p.code} className={p.behind ? "behind" : undefined}>
                          <td>
                            {p.name}
                            {p.behind ? <span className="visually-hidden"> {t("programme.behindShort")}</span> : null}
                          </td>
                          <td className="num">{fig(p.plan)}</td>
                          <td className="num">{fig(p.actual)}</td>
                          <td className="num">{pct(p.percentOfPlan)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                </div>
              </section>
            );
          })}
        </>
      )}
    </>
  );
}
