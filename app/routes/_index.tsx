import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { OpenRoundList, RouteErrorBoundary, useLevelName } from "~/components/PublicParts";
import { langFromPath } from "~/i18n/config";
import { useFormat, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { listOpenRounds, listPublishedRounds } from "~/models/public/catalogue.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export const meta: MetaFunction = ({ location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [
    { title: t("home.metaTitle") },
    { name: "description", content: t("home.metaDescription") },
    { property: "og:title", content: t("home.ogTitle") },
    { property: "og:description", content: t("home.metaDescription") },
    { property: "og:type", content: "website" },
  ];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "home");
  const [published, open] = await Promise.all([cache.memo("rounds", () => listPublishedRounds()), cache.memo("open-rounds", () => listOpenRounds())]);
  return json(
    {
      published: published.slice(0, 6).map((r) => ({ slug: r.slug, title: r.title, level: r.level, levelName: r.levelName, year: r.year, selectedCount: r.selectedCount, publishedAt: r.publishedAt })),
      open,
    },
    { headers: cache.headers },
  );
}

export default function Home() {
  const { published, open } = useLoaderData<typeof loader>();
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  const levelName = useLevelName();
  return (
    <>
      <h1>{t("home.title")}</h1>
      <div className="card">
        <p>{t("home.intro1")}</p>
        <p>{t("home.intro2")}</p>
      </div>
      <Form method="get" action={lp("/search")} role="search" className="card">
        <label htmlFor="q">{t("home.searchLabel")}</label>
        <div className="actions">
          <input id="q" name="q" type="search" placeholder={t("home.searchPlaceholder")} maxLength={200} style={{ flex: 1, minWidth: 0 }} />
          <button className="btn" type="submit">
            {t("home.search")}
          </button>
        </div>
      </Form>

      <section aria-labelledby="h-latest">
        <h2 id="h-latest">{t("home.latest")}</h2>
        {published.length ? (
          <ul className="results">
            {published.map((r) => (
              <li key={r.slug}>
                <Link to={lp(`/rounds/${r.slug}`)}>{r.title}</Link>
                <br />
                <span className="muted">
                  {levelName(r.level, r.levelName)} · {t("common.year", { year: r.year })} · {t("home.recognisedCount", { n: f.number(r.selectedCount) })}
                  {r.publishedAt ? ` · ${t("home.publishedOn", { date: f.date(r.publishedAt) })}` : ""}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("home.noneYet")}</p>
        )}
        <p>
          <Link to={lp("/rounds")}>{t("home.allResults")}</Link> · <Link to={lp("/stats")}>{t("home.stats")}</Link> ·{" "}
          <Link to={lp("/commendations")}>{t("home.commendations")}</Link>
        </p>
      </section>

      <section aria-labelledby="h-open">
        <h2 id="h-open">{t("home.open")}</h2>
        {open.length ? <OpenRoundList rounds={open} /> : <p className="muted">{t("home.noneOpen")}</p>}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
