import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { formatCode, productPath, RouteErrorBoundary } from "~/components/PublicParts";
import { langFromPath } from "~/i18n/config";
import { useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { highlight, SEARCH_MAX_CHARS } from "~/models/public/search-text";
import { searchPublic } from "~/models/public/search.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "search");
  const raw = new URL(request.url).searchParams.get("q") ?? "";
  const results = await cache.memo(`search:${raw.slice(0, 1000)}`, () => searchPublic(raw));
  return json({ ...results, truncated: Array.from(raw).length > SEARCH_MAX_CHARS }, { headers: cache.headers });
}

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [
    { title: data?.query ? t("search.metaTitleQuery", { query: data.query.slice(0, 60) }) : t("search.metaTitle") },
    { name: "robots", content: "noindex" },
  ];
};

function Marked({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlight(text, query).map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}

export default function Search() {
  const data = useLoaderData<typeof loader>();
  const q = data.query;
  const count = data.products.length + data.facilities.length + data.recipients.length;
  const t = useT();
  const lp = useLocalePath();
  return (
    <>
      <h1>{t("search.title")}</h1>
      <Form method="get" role="search" className="card">
        <label htmlFor="q">{t("search.label")}</label>
        <div className="actions">
          <input id="q" name="q" type="search" defaultValue={q} maxLength={SEARCH_MAX_CHARS} style={{ flex: 1, minWidth: 0 }} />
          <button className="btn" type="submit">
            {t("search.title")}
          </button>
        </div>
      </Form>
      {data.truncated ? (
        <p className="alert info" role="status">
          {t("search.truncated", { n: SEARCH_MAX_CHARS })}
        </p>
      ) : null}
      {q ? (
        <p role="status">{count ? t("search.found", { n: count, query: q }) : t("search.notFound", { query: q })}</p>
      ) : null}

      {data.products.length ? (
        <section aria-labelledby="h-products">
          <h2 id="h-products">{t("search.products", { n: data.products.length })}</h2>
          <ul className="results">
            {data.products.map((p) => (
              <li key={p.productId}>
                <Link to={lp(productPath(p.productId, p.name))}>
                  <strong>
                    <Marked text={p.name} query={q} />
                  </strong>
                </Link>
                <br />
                <Marked text={p.facilityName} query={q} /> ·{" "}
                <span className="muted">
                  <Marked text={p.provinceName} query={q} />
                  {p.currentProvinceName !== p.provinceName ? t("parts.nowProvince", { name: p.currentProvinceName }) : ""} · {p.groupName} · {p.roundTitle}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {data.facilities.length ? (
        <section aria-labelledby="h-facilities">
          <h2 id="h-facilities">{t("search.facilities", { n: data.facilities.length })}</h2>
          <ul className="results">
            {data.facilities.map((f) => (
              <li key={f.facilityId}>
                <strong>
                  <Marked text={f.name} query={q} />
                </strong>{" "}
                <span className="muted">
                  · <Marked text={f.provinceName} query={q} />
                </span>
                <br />
                {t("search.productsOf")}{" "}
                {f.products.map((p, i) => (
                  <span key={p.id}>
                    {i ? ", " : ""}
                    <Link to={lp(productPath(p.id, p.name))}>{p.name}</Link>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {data.recipients.length ? (
        <section aria-labelledby="h-recipients">
          <h2 id="h-recipients">{t("search.recipients", { n: data.recipients.length })}</h2>
          <ul className="results">
            {data.recipients.map((r) => (
              <li key={r.recipientId}>
                <strong>
                  <Marked text={r.name} query={q} />
                </strong>{" "}
                <span className="muted">({t(r.kind === "collective" ? "search.collective" : "search.individual")})</span>
                <br />
                {r.organization ? (
                  <>
                    <Marked text={r.organization} query={q} /> ·{" "}
                  </>
                ) : null}
                {r.provinceName ? <>{r.provinceName} · </> : null}
                {t("commendations.decision", { no: r.decisionNumber })}
                {r.certificateCode ? (
                  <>
                    {" "}
                    · <Link to={lp(`/verify/${r.certificateCode}`)}>{t("search.verifyMerit", { code: formatCode(r.certificateCode) })}</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
