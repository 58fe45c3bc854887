import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { OpenRoundList, RouteErrorBoundary } from "~/components/PublicParts";
import { listOpenRounds, listPublishedRounds } from "~/models/public/catalogue.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { formatDate, formatNumber } from "~/utils/format";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export const meta: MetaFunction = () => [
  { title: "Kết quả bình chọn — CNNT Tiêu biểu" },
  { name: "description", content: "Danh sách các đợt bình chọn sản phẩm công nghiệp nông thôn tiêu biểu đã công bố kết quả, theo cấp và năm." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "rounds");
  const [rounds, open] = await Promise.all([cache.memo("rounds", () => listPublishedRounds()), cache.memo("open-rounds", () => listOpenRounds())]);
  return json(
    {
      rounds: rounds.map((r) => ({
        slug: r.slug,
        title: r.title,
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
  return (
    <>
      <h1>Kết quả bình chọn</h1>
      {open.length ? (
        <section className="card" aria-labelledby="h-open">
          <h2 id="h-open">Đang nhận hồ sơ</h2>
          <OpenRoundList rounds={open} />
        </section>
      ) : null}
      {rounds.length ? (
        <ul className="results">
          {rounds.map((r) => (
            <li key={r.slug}>
              <Link to={`/rounds/${r.slug}`}>
                <strong>{r.title}</strong>
              </Link>
              <br />
              <span className="muted">
                {r.levelName} · {r.scopeName} · năm {r.year} · {formatNumber(r.selectedCount)} sản phẩm được công nhận
                {r.registeredCount ? ` / ${formatNumber(r.registeredCount)} đăng ký` : ""}
                {r.decisionNo ? ` · Quyết định số ${r.decisionNo}${r.decisionDate ? ` ngày ${formatDate(r.decisionDate)}` : ""}` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa có đợt bình chọn nào được công bố kết quả.</p>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
