import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { ProgrammeChart } from "~/components/ProgrammeChart";
import { getRegionReport } from "~/models/programme/report.server";
import { formatFigure, formatPercentShort, pendingNote, PERIOD_CHOICES, parsePeriod, periodKey, periodLabel } from "~/models/programme/rules";
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
  const input = { year: year.data, periodMonths, regionSlug: params.region ?? "" };
  const fingerprint = await programmeVersion();
  const cache = await conditionalGet(request, `programme-page|${fingerprint}`);
  const report = await orErrorPage(() => cache.memo(`programme-report|${fingerprint}|${JSON.stringify(input)}`, () => getRegionReport(input)));
  return json({ report, period: periodKey(periodMonths) }, { headers: cache.headers });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Không tìm thấy báo cáo — CNNT Tiêu biểu" }];
  const r = data.report;
  return [{ title: `Kết quả khuyến công ${r.region.name}, ${periodLabel(r.periodMonths).toLowerCase()} ${r.year} — CNNT Tiêu biểu` }];
};

export default function ProgrammeReport() {
  const { report, period } = useLoaderData<typeof loader>();
  const when = `${periodLabel(report.periodMonths)} ${report.year}`;
  return (
    <>
      <p className="no-print">
        <Link to="/programme">← Chương trình khuyến công</Link>
      </p>
      <h1>Kết quả thực hiện chương trình khuyến công — {report.region.name}</h1>
      <p className="programme-meta">{when} · chỉ gồm số liệu đã được Ban tổ chức khu vực duyệt</p>
      {pendingNote(report.pending) ? (
        <p className="alert info" role="note">
          {pendingNote(report.pending)}
        </p>
      ) : null}

      <div className="card actions no-print">
        <Form method="get" className="actions">
          <label htmlFor="period" style={{ margin: 0 }}>
            Kỳ báo cáo
          </label>
          <select id="period" name="period" defaultValue={period}>
            {PERIOD_CHOICES.map((m) => (
              <option key={m} value={periodKey(m)}>
                {periodLabel(m)}
              </option>
            ))}
          </select>
          <button type="submit" className="btn small secondary">
            Xem
          </button>
        </Form>
        {report.indicators.length ? (
          <>
            <a className="btn small" href={`/programme/${report.year}/${report.region.slug}/bao-cao.xlsx?period=${period}`} download>
              Tải bảng tính (XLSX)
            </a>
            <a className="btn small secondary" href={`/api/v1/programme/${report.year}/${report.region.slug}?period=${period}`}>
              Dữ liệu JSON
            </a>
            <span className="hint">In trang này (Ctrl+P) để có bản A4.</span>
          </>
        ) : null}
      </div>

      {report.indicators.length === 0 ? (
        <div className="alert info" role="status">
          Chưa có số liệu nào được duyệt cho {report.region.name}, {when.toLowerCase()}.
        </div>
      ) : (
        <>
          <h2>Tổng hợp toàn khu vực</h2>
          <div className="table-wrap">
            <table className="programme-summary">
              <caption className="visually-hidden">Kế hoạch, thực hiện và tỷ lệ hoàn thành theo chỉ tiêu</caption>
              <thead>
                <tr>
                  <th scope="col">Chỉ tiêu (đơn vị)</th>
                  <th scope="col" className="num">
                    Kế hoạch
                  </th>
                  <th scope="col" className="num">
                    Thực hiện
                  </th>
                  <th scope="col" className="num">
                    % kế hoạch
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.indicators.map((i) => (
                  <tr key={i.code} data-indicator={i.code}>
                    <th scope="row">
                      <a href={`#${i.code}`}>{i.name}</a> <span className="muted">({i.unit})</span>
                    </th>
                    <td className="num" data-label="Kế hoạch">
                      {formatFigure(i.plan)}
                    </td>
                    <td className="num" data-label="Thực hiện">
                      {formatFigure(i.actual)}
                    </td>
                    <td className="num" data-label="% kế hoạch">
                      {formatPercentShort(i.percentOfPlan)}
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
                  Thực hiện <strong>{formatFigure(i.actual)}</strong> / kế hoạch {formatFigure(i.plan)} —{" "}
                  <strong>{formatPercentShort(i.percentOfPlan)}</strong> kế hoạch.
                  {behind.length ? (
                    <>
                      {" "}
                      Chậm nhất so với kế hoạch: {behind.map((p) => `${p.name} (${formatPercentShort(p.percentOfPlan)})`).join(", ")}.
                    </>
                  ) : null}
                </p>
                <div className="indicator-body">
                <ProgrammeChart id={`chart-${i.code}`} title={`${i.name}: tỷ lệ thực hiện so với kế hoạch theo tỉnh`} lines={i.byPlace} />
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Tỉnh/thành phố</th>
                        <th scope="col" className="num">
                          Kế hoạch
                        </th>
                        <th scope="col" className="num">
                          Thực hiện
                        </th>
                        <th scope="col" className="num">
                          % kế hoạch
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {i.byPlace.map((p) => (
                        <tr key={p.code} className={p.behind ? "behind" : undefined}>
                          <td>
                            {p.name}
                            {p.behind ? <span className="visually-hidden"> (chậm so với kế hoạch)</span> : null}
                          </td>
                          <td className="num">{formatFigure(p.plan)}</td>
                          <td className="num">{formatFigure(p.actual)}</td>
                          <td className="num">{formatPercentShort(p.percentOfPlan)}</td>
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
