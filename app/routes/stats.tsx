import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { BarChart } from "~/components/BarChart";
import { RouteErrorBoundary } from "~/components/PublicParts";
import { parseGrouping } from "~/models/programme/rules";
import { publicStatistics } from "~/models/public/catalogue.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { invariantResponse } from "~/utils/errors";
import { formatNumber } from "~/utils/format";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export const meta: MetaFunction = () => [
  { title: "Thống kê sản phẩm công nhận — CNNT Tiêu biểu" },
  { name: "description", content: "Số sản phẩm công nghiệp nông thôn tiêu biểu được công nhận theo tỉnh, nhóm sản phẩm, cấp và năm." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const grouping = parseGrouping(new URL(request.url).searchParams.get("group"));
  invariantResponse(grouping !== null, "Cách nhóm không hợp lệ (bỏ trống, era hoặc successor).", 400);
  const cache = await conditionalGet(request, "stats");
  const stats = await cache.memo(`stats|${grouping}`, () => publicStatistics(undefined, { grouping }));
  return json({ ...stats, grouping }, { headers: cache.headers });
}

export default function Stats() {
  const s = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Thống kê sản phẩm được công nhận</h1>
      <p>Tổng số lượt sản phẩm được công nhận trong các đợt đã công bố: <strong>{formatNumber(s.total)}</strong>.</p>
      <section className="card" aria-labelledby="h-prov">
        <h2 id="h-prov">
          {s.grouping === "successor" ? "Theo tỉnh, thành phố từ 01/07/2025 (gộp các tỉnh cũ)" : "Theo tỉnh (tên tỉnh tại thời điểm công nhận)"}
        </h2>
        <p className="no-print">
          {s.grouping === "successor" ? (
            <Link to="/stats">Xem theo tên tỉnh tại thời điểm công nhận</Link>
          ) : (
            <Link to="/stats?group=successor">Gộp theo 34 tỉnh, thành phố từ 01/07/2025</Link>
          )}
        </p>
        {s.byProvince.length ? <BarChart title="Số sản phẩm được công nhận theo tỉnh" items={s.byProvince.map((p) => ({ label: p.name, value: p.count }))} /> : <p>Chưa có dữ liệu.</p>}
      </section>
      <section className="card" aria-labelledby="h-group">
        <h2 id="h-group">Theo nhóm sản phẩm</h2>
        <BarChart title="Số sản phẩm được công nhận theo nhóm" items={s.byGroup.map((g) => ({ label: `Nhóm ${g.no}: ${g.name}`, value: g.count }))} />
      </section>
      <section className="card" aria-labelledby="h-level">
        <h2 id="h-level">Theo cấp và năm</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Năm</th>
                <th scope="col">Cấp</th>
                <th scope="col" className="num">
                  Sản phẩm
                </th>
              </tr>
            </thead>
            <tbody>
              {s.byLevelYear.map((r) => (
                <tr key={`${r.year}-${r.level}`}>
                  <td>{r.year}</td>
                  <td>{r.levelName}</td>
                  <td className="num">{formatNumber(r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="h-rounds">
        <h2 id="h-rounds">Đăng ký và được công nhận theo đợt</h2>
        {s.perRound.length ? (
          <>
            <BarChart
              title="Số sản phẩm đăng ký và được công nhận theo đợt"
              items={s.perRound.map((r) => ({ label: `${r.year} · ${r.title}`, value: r.selected, back: Math.max(r.registered, r.selected) }))}
              seriesNames={["được công nhận", "đăng ký"]}
            />
            <ul className="results">
              {s.perRound.map((r) => (
                <li key={r.slug}>
                  <Link to={`/rounds/${r.slug}`}>{r.title}</Link>: {formatNumber(r.selected)} được công nhận / {formatNumber(r.registered)} đăng ký
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>Chưa có đợt nào được công bố.</p>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
