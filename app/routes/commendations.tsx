import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { formatCode, RouteErrorBoundary } from "~/components/PublicParts";
import { listPublicCommendations } from "~/models/commendation/public.server";
import { SEARCH_MAX_CHARS } from "~/models/public/search-text";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { formatDate, formatPeriod } from "~/utils/format";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export const meta: MetaFunction = () => [
  { title: "Khen thưởng khuyến công — CNNT Tiêu biểu" },
  { name: "description", content: "Các quyết định tặng Bằng khen của Bộ trưởng Bộ Công Thương cho tập thể, cá nhân có thành tích trong công tác khuyến công." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "commendations");
  const result = await listPublicCommendations({ q: new URL(request.url).searchParams.get("q") ?? undefined });
  return json(result, { headers: cache.headers });
}

const STATUS_TEXT = { valid: "Còn hiệu lực", expired: "Hết hiệu lực", revoked: "Đã thu hồi" } as const;

export default function Commendations() {
  const { decisions, query, total } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Khen thưởng công tác khuyến công</h1>
      <Form method="get" role="search" className="card">
        <label htmlFor="cq">Tìm tập thể, cá nhân, đơn vị hoặc tỉnh</label>
        <div className="actions">
          <input id="cq" name="q" type="search" defaultValue={query} maxLength={SEARCH_MAX_CHARS} style={{ flex: 1, minWidth: 0 }} />
          <button className="btn" type="submit">
            Tìm
          </button>
        </div>
      </Form>
      {query ? <p role="status">{total ? `${total} tập thể, cá nhân phù hợp với “${query}”.` : `Không tìm thấy tập thể, cá nhân nào phù hợp với “${query}”.`}</p> : null}
      {!decisions.length && !query ? <p>Chưa có quyết định khen thưởng nào được công bố.</p> : null}
      {decisions.map((d) => {
        const collectives = d.recipients.filter((r) => r.kind === "collective");
        const individuals = d.recipients.filter((r) => r.kind === "individual");
        return (
          <section key={d.id} className="card" aria-labelledby={`d-${d.id}`}>
            <h2 id={`d-${d.id}`}>Quyết định số {d.number}</h2>
            <p>
              Ngày {formatDate(d.signedOn)} · {d.signerTitle} {d.signer} ký · Thành tích {formatPeriod(d.period.from, d.period.to)}
            </p>
            <p className="muted">{d.reason}</p>
            {[
              { title: `Tập thể (${collectives.length})`, list: collectives },
              { title: `Cá nhân (${individuals.length})`, list: individuals },
            ].map((group) =>
              group.list.length ? (
                <div key={group.title}>
                  <h3>{group.title}</h3>
                  <ol className="recipients">
                    {group.list.map((r) => (
                      <li key={r.id} id={`r-${r.id}`}>
                        <strong>{r.name}</strong>
                        {r.position ? `, ${r.position}` : ""}
                        {r.organization ? ` — ${r.organization}` : ""}
                        {r.province ? ` (${r.province})` : ""}
                        {r.certificate ? (
                          <>
                            <br />
                            <span className="muted">Bằng khen số {r.certificate.serial} · {STATUS_TEXT[r.certificate.status]} · </span>
                            <Link to={`/verify/${r.certificate.code}`}>Xác minh {formatCode(r.certificate.code)}</Link>
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
