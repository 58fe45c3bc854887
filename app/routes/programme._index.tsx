import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { langFromPath } from "~/i18n/config";
import { useLang, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { getNationalReport, listPublishedReports } from "~/models/programme/report.server";
import { formatFigure, formatPercentShort, pendingNote, periodKey, periodLabel } from "~/models/programme/rules";
import programmeStyles from "~/styles/programme.css";
import { cacheHeaders, conditionalGet, programmeVersion } from "~/utils/cache.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: programmeStyles }];
export const headers = cacheHeaders;
export const meta: MetaFunction = ({ location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [
    { title: t("programme.indexMetaTitle") },
    { name: "description", content: t("programme.intro") },
    { property: "og:title", content: t("programme.indexTitle") },
  ];
};

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
  const t = useT();
  const lp = useLocalePath();
  const lang = useLang();
  const fig = (v: number | null) => formatFigure(v, lang);
  const pct = (v: number | null) => formatPercentShort(v, lang);
  return (
    <>
      <h1>{t("programme.indexTitle")}</h1>
      <p>{t("programme.intro")}</p>
      {reports.length === 0 ? (
        <div className="alert info" role="status">
          {t("programme.none")}
        </div>
      ) : (
        <ul className="card" style={{ paddingLeft: "2rem" }}>
          {reports.map((r) => (
            <li key={`${r.year}-${r.periodMonths}-${r.slug}`}>
              <Link to={lp(`/programme/${r.year}/${r.slug}?period=${periodKey(r.periodMonths)}`)}>
                {r.name} — {periodLabel(r.periodMonths, lang).toLowerCase()} {r.year}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {national && national.indicators.length ? (
        <>
          <h2>
            {t("programme.national")} — {periodLabel(national.periodMonths, lang).toLowerCase()} {national.year}
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
                  <th scope="col">{t("programme.indicator")}</th>
                  {national.regions.map((r) => (
                    <th key={r.code} scope="col" className="num">
                      {r.name}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    {t("programme.country")}
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
                        {fig(p.actual)} / {fig(p.plan)}
                        <br />
                        <span className="muted">{pct(p.percentOfPlan)}</span>
                      </td>
                    ))}
                    <td className="num">
                      {fig(i.actual)} / {fig(i.plan)}
                      <br />
                      <strong>{pct(i.percentOfPlan)}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">{t("programme.cellHint")}</p>
        </>
      ) : null}
    </>
  );
}
