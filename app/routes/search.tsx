import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { formatCode, productPath, RouteErrorBoundary } from "~/components/PublicParts";
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.query ? `“${data.query.slice(0, 60)}” — Tìm kiếm — CNNT Tiêu biểu` : "Tìm kiếm — CNNT Tiêu biểu" },
  { name: "robots", content: "noindex" },
];

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
  return (
    <>
      <h1>Tìm kiếm</h1>
      <Form method="get" role="search" className="card">
        <label htmlFor="q">Tên sản phẩm, cơ sở, tỉnh, tập thể hoặc cá nhân (gõ có dấu hay không dấu đều được)</label>
        <div className="actions">
          <input id="q" name="q" type="search" defaultValue={q} maxLength={SEARCH_MAX_CHARS} style={{ flex: 1, minWidth: 0 }} />
          <button className="btn" type="submit">
            Tìm kiếm
          </button>
        </div>
      </Form>
      {data.truncated ? (
        <p className="alert info" role="status">
          Nội dung tìm kiếm quá dài; chỉ dùng {SEARCH_MAX_CHARS} ký tự đầu.
        </p>
      ) : null}
      {q ? (
        <p role="status">{count ? `Tìm thấy ${count} kết quả cho “${q}”.` : `Không tìm thấy kết quả nào cho “${q}”. Hãy thử từ khóa ngắn hơn hoặc tên tỉnh.`}</p>
      ) : null}

      {data.products.length ? (
        <section aria-labelledby="h-products">
          <h2 id="h-products">Sản phẩm ({data.products.length})</h2>
          <ul className="results">
            {data.products.map((p) => (
              <li key={p.productId}>
                <Link to={productPath(p.productId, p.name)}>
                  <strong>
                    <Marked text={p.name} query={q} />
                  </strong>
                </Link>
                <br />
                <Marked text={p.facilityName} query={q} /> ·{" "}
                <span className="muted">
                  <Marked text={p.provinceName} query={q} />
                  {p.currentProvinceName !== p.provinceName ? ` (nay là ${p.currentProvinceName})` : ""} · {p.groupName} · {p.roundTitle}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {data.facilities.length ? (
        <section aria-labelledby="h-facilities">
          <h2 id="h-facilities">Cơ sở sản xuất ({data.facilities.length})</h2>
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
                Sản phẩm:{" "}
                {f.products.map((p, i) => (
                  <span key={p.id}>
                    {i ? ", " : ""}
                    <Link to={productPath(p.id, p.name)}>{p.name}</Link>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {data.recipients.length ? (
        <section aria-labelledby="h-recipients">
          <h2 id="h-recipients">Tập thể, cá nhân được khen thưởng ({data.recipients.length})</h2>
          <ul className="results">
            {data.recipients.map((r) => (
              <li key={r.recipientId}>
                <strong>
                  <Marked text={r.name} query={q} />
                </strong>{" "}
                <span className="muted">({r.kind === "collective" ? "tập thể" : "cá nhân"})</span>
                <br />
                {r.organization ? (
                  <>
                    <Marked text={r.organization} query={q} /> ·{" "}
                  </>
                ) : null}
                {r.provinceName ? <>{r.provinceName} · </> : null}
                Quyết định số {r.decisionNumber}
                {r.certificateCode ? (
                  <>
                    {" "}
                    · <Link to={`/verify/${r.certificateCode}`}>Xác minh Bằng khen {formatCode(r.certificateCode)}</Link>
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
