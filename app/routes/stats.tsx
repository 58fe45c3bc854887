import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { BarChart } from "~/components/BarChart";
import { RouteErrorBoundary, useGroupName, useLevelName } from "~/components/PublicParts";
import { langFromPath } from "~/i18n/config";
import { useFormat, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { parseGrouping } from "~/models/programme/rules";
import { publicStatistics } from "~/models/public/statistics.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { invariantResponse } from "~/utils/errors";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export const meta: MetaFunction = ({ location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [
    { title: t("stats.metaTitle") },
    { name: "description", content: t("stats.metaDescription") },
    { property: "og:title", content: t("stats.title") },
    { property: "og:description", content: t("stats.metaDescription") },
  ];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const grouping = parseGrouping(new URL(request.url).searchParams.get("group"));
  invariantResponse(grouping !== null, "Cách nhóm không hợp lệ (bỏ trống, era hoặc successor).", 400);
  const cache = await conditionalGet(request, "stats");
  const stats = await cache.memo(`stats|${grouping}`, () => publicStatistics(undefined, { grouping }));
  return json({ ...stats, grouping }, { headers: cache.headers });
}

export default function Stats() {
  const s = useLoaderData<typeof loader>();
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  const groupName = useGroupName();
  const levelName = useLevelName();
  return (
    <>
      <h1>{t("stats.title")}</h1>
      <p>
        {t("stats.total")} <strong>{f.number(s.total)}</strong>.
      </p>
      <section className="card" aria-labelledby="h-prov">
        <h2 id="h-prov">{s.grouping === "successor" ? t("stats.byProvinceSuccessor") : t("stats.byProvince")}</h2>
        <p className="no-print">
          {s.grouping === "successor" ? (
            <Link to={lp("/stats")}>{t("stats.byProvinceLink")}</Link>
          ) : (
            <Link to={lp("/stats") + "?group=successor"}>{t("stats.byProvinceSuccessorLink")}</Link>
          )}
        </p>
        {s.byProvince.length ? <BarChart title={t("stats.byProvinceChart")} items={s.byProvince.map((p) => ({ label: p.name, value: p.count }))} /> : <p>{t("stats.noData")}</p>}
      </section>
      <section className="card" aria-labelledby="h-group">
        <h2 id="h-group">{t("stats.byGroup")}</h2>
        <BarChart title={t("stats.byGroupChart")} items={s.byGroup.map((g) => ({ label: t("parts.group", { no: g.no, name: groupName(g.no, g.name) }), value: g.count }))} />
      </section>
      <section className="card" aria-labelledby="h-level">
        <h2 id="h-level">{t("stats.byLevel")}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("stats.year")}</th>
                <th scope="col">{t("stats.level")}</th>
                <th scope="col" className="num">
                  {t("stats.products")}
                </th>
              </tr>
            </thead>
            <tbody>
              {s.byLevelYear.map((r) => (
                <tr key={`${r.year}-${r.level}`}>
                  <td>{r.year}</td>
                  <td>{levelName(r.level, r.levelName)}</td>
                  <td className="num">{f.number(r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="h-rounds">
        <h2 id="h-rounds">{t("stats.perRound")}</h2>
        {s.perRound.length ? (
          <>
            <BarChart
              title={t("stats.perRoundChart")}
              items={s.perRound.map((r) => ({ label: `${r.year} · ${r.title}`, value: r.selected, back: Math.max(r.registered, r.selected) }))}
              seriesNames={[t("stats.recognised"), t("stats.registered")]}
            />
            <ul className="results">
              {s.perRound.map((r) => (
                <li key={r.slug}>
                  <Link to={lp(`/rounds/${r.slug}`)}>{r.title}</Link>: {t("stats.roundLine", { selected: f.number(r.selected), registered: f.number(r.registered) })}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>{t("stats.noRounds")}</p>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
