import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { getNationalReport, listPublishedReports } from "~/models/programme/report.server";
import { formatFigure, formatPercentShort, pendingNote, periodKey, periodLabel } from "~/models/programme/rules";
import programmeStyles from "~/styles/programme.css";
import { cacheHeaders, conditionalGet, programmeVersion } from "~/utils/cache.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: programmeStyles }];
export const headers = cacheHeaders;
export const meta: MetaFunction = () => [{ title: "Kết quả chương trình khuyến công — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const fingerprint = await programmeVersion();
  const cache = await conditionalGet(request, `programme-index|${fingerprint}`);
  const data = await cache.memo(`programme-index|${fingerprint}`, async () => {
    const reports = await listPublishedReports();
    const newest = reports[0];
    const national = newest ? await getNationalReport({ year: newest.year, periodMonths: newest.periodMonths }) : null;
    return { reports, national };
  });
  return json(data, { headers: cache.headers });
}

export default function ProgrammeIndex() {
  const { reports, national } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Kết quả chương trình khuyến công</h1>
      <p>Kế hoạch và kết quả thực hiện theo chỉ tiêu, tỉnh và khu vực — số liệu đã được Ban tổ chức khu vực duyệt.</p>
      {reports.length === 0 ? (
        <div className="alert info" role="status">
          Chưa có số liệu nào được duyệt.
        </div>
      ) : (
        <ul className="card" style={{ paddingLeft: "2rem" }}>
          {reports.map((r) => (
            <li key={`${r.year}-${r.periodMonths}-${r.slug}`}>
              <Link to={`/programme/${r.year}/${r.slug}?period=${periodKey(r.periodMonths)}`}>
                {r.name} — {periodLabel(r.periodMonths).toLowerCase()} {r.year}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {national && national.indicators.length ? (
        <>
          <h2>
            Cả nước theo khu vực — {periodLabel(national.periodMonths).toLowerCase()} {national.year}
          </h2>
          {pendingNote(national.pending) ? (
            <p className="alert info" role="note">
              {pendingNote(national.pending)}
            </p>
          ) : null}
          <div className="table-wrap">
            <table className="programme-summary">
              <thead>
                <tr>
                  <th scope="col">Chỉ tiêu</th>
                  {national.regions.map((r) => (
                    <th key={r.code} scope="col" className="num">
                      {r.name}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    Cả nước
                  </th>
                </tr>
              </thead>
              <tbody>
                {national.indicators.map((i) => (
                  <tr key={i.code}>
                    <td>
                      {i.name} <span className="muted">({i.unit})</span>
                    </td>
                    {i.byPlace.map((p) => (
                      <td key={p.code} className="num">
                        {formatFigure(p.actual)} / {formatFigure(p.plan)}
                        <br />
                        <span className="muted">{formatPercentShort(p.percentOfPlan)}</span>
                      </td>
                    ))}
                    <td className="num">
                      {formatFigure(i.actual)} / {formatFigure(i.plan)}
                      <br />
                      <strong>{formatPercentShort(i.percentOfPlan)}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">Mỗi ô: thực hiện / kế hoạch, và tỷ lệ % kế hoạch.</p>
        </>
      ) : null}
    </>
  );
}
