import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

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
    { title: t("rounds.metaTitle") },
    { name: "description", content: t("rounds.metaDescription") },
    { property: "og:title", content: t("rounds.title") },
    { property: "og:description", content: t("rounds.metaDescription") },
  ];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "rounds");
  const [rounds, open] = await Promise.all([cache.memo("rounds", () => listPublishedRounds()), cache.memo("open-rounds", () => listOpenRounds())]);
  return json(
    {
      rounds: rounds.map((r) => ({
        slug: r.slug,
        title: r.title,
        level: r.level,
        levelName: r.levelName,
        scopeName: r.scopeName,
        year: r.year,
        selectedCount: r.selectedCount,
        registeredCount: r.registeredCount,
        decisionNo: r.decisionNo,
        decisionDate: r.decisionDate,
      })),
      open: open.map((r) => ({ slug: r.slug, title: r.title, registrationClosesAt: r.registrationClosesAt })),
    },
    { headers: cache.headers },
  );
}

export default function Rounds() {
  const { rounds, open } = useLoaderData<typeof loader>();
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  const levelName = useLevelName();
  return (
    <>
      <h1>{t("rounds.title")}</h1>
      {open.length ? (
        <section className="card" aria-labelledby="h-open">
          <h2 id="h-open">{t("rounds.open")}</h2>
          <OpenRoundList rounds={open} />
        </section>
      ) : null}
      {rounds.length ? (
        <ul className="results">
          {rounds.map((r) => (
            <li key={r.slug}>
              <Link to={lp(`/rounds/${r.slug}`)}>
                <strong>{r.title}</strong>
              </Link>
              <br />
              <span className="muted">
                {levelName(r.level, r.levelName)} · {r.scopeName} · {t("common.year", { year: r.year })} · {t("home.recognisedCount", { n: f.number(r.selectedCount) })}
                {r.registeredCount ? t("rounds.registered", { n: f.number(r.registeredCount) }) : ""}
                {r.decisionNo
                  ? ` · ${r.decisionDate ? t("rounds.decisionOn", { no: r.decisionNo, date: f.date(r.decisionDate) }) : t("rounds.decision", { no: r.decisionNo })}`
                  : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("rounds.none")}</p>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
