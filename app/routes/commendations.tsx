import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { formatCode, RouteErrorBoundary } from "~/components/PublicParts";
import { langFromPath } from "~/i18n/config";
import { useFormat, useLang, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { listPublicCommendations } from "~/models/commendation/public.server";
import { SEARCH_MAX_CHARS } from "~/models/public/search-text";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { formatPeriod, formatYears } from "~/utils/format";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export const meta: MetaFunction = ({ location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [
    { title: t("commendations.metaTitle") },
    { name: "description", content: t("commendations.metaDescription") },
    { property: "og:title", content: t("commendations.title") },
    { property: "og:description", content: t("commendations.metaDescription") },
  ];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "commendations");
  const result = await listPublicCommendations({ q: new URL(request.url).searchParams.get("q") ?? undefined });
  return json(result, { headers: cache.headers });
}

export default function Commendations() {
  const { decisions, query, total } = useLoaderData<typeof loader>();
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  const lang = useLang();
  const vi = lang === "vi" ? undefined : "vi";
  return (
    <>
      <h1>{t("commendations.title")}</h1>
      <Form method="get" role="search" className="card">
        <label htmlFor="cq">{t("commendations.searchLabel")}</label>
        <div className="actions">
          <input id="cq" name="q" type="search" defaultValue={query} maxLength={SEARCH_MAX_CHARS} style={{ flex: 1, minWidth: 0 }} />
          <button className="btn" type="submit">
            {t("commendations.search")}
          </button>
        </div>
      </Form>
      {query ? <p role="status">{total ? t("commendations.found", { n: total, query }) : t("commendations.notFound", { query })}</p> : null}
      {!decisions.length && !query ? <p>{t("commendations.none")}</p> : null}
      {decisions.map((d) => {
        const collectives = d.recipients.filter((r) => r.kind === "collective");
        const individuals = d.recipients.filter((r) => r.kind === "individual");
        return (
          <section key={d.id} className="card" aria-labelledby={`d-${d.id}`}>
            <h2 id={`d-${d.id}`}>{t("commendations.decision", { no: d.number })}</h2>
            <p>
              {lang === "vi"
                ? `Ngày ${f.date(d.signedOn)} · ${d.signerTitle} ${d.signer} ký · Thành tích ${formatPeriod(d.period.from, d.period.to)}`
                : t("commendations.signed", { date: f.date(d.signedOn), signer: `${d.signerTitle} ${d.signer}`, years: formatYears(d.period.from, d.period.to) })}
            </p>
            <p className="muted" lang={vi}>
              {d.reason}
            </p>
            {[
              { title: t("commendations.collectives", { n: collectives.length }), list: collectives },
              { title: t("commendations.individuals", { n: individuals.length }), list: individuals },
            ].map((group) =>
              group.list.length ? (
                <div key={group.title}>
                  <h3>{group.title}</h3>
                  <ol className="recipients">
                    {group.list.map((r) => (
                      <li key={r.id} id={`r-${r.id}`} lang={vi}>
                        <strong>{r.name}</strong>
                        {r.position ? `, ${r.position}` : ""}
                        {r.organization ? ` — ${r.organization}` : ""}
                        {r.province ? ` (${r.province})` : ""}
                        {r.certificate ? (
                          <>
                            <br />
                            <span className="muted" lang={lang}>
                              {t("commendations.certificate", { serial: r.certificate.serial })} · {t(`certStatus.${r.certificate.status}`)} ·{" "}
                            </span>
                            <Link to={lp(`/verify/${r.certificate.code}`)} lang={lang}>
                              {t("commendations.verify", { code: formatCode(r.certificate.code) })}
                            </Link>
                          </>
                        ) : null}
                      </li>
                    ))}
                  </ol>
                </div>
              ) : null,
            )}
          </section>
        );
      })}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
