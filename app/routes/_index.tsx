import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

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
  { title: "CNNT Tiêu biểu — Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu" },
  {
    name: "description",
    content: "Tra cứu sản phẩm công nghiệp nông thôn tiêu biểu các cấp, Bằng khen khuyến công và xác minh giấy chứng nhận.",
  },
  { property: "og:title", content: "Sản phẩm công nghiệp nông thôn tiêu biểu" },
  { property: "og:type", content: "website" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "home");
  const [published, open] = await Promise.all([cache.memo("rounds", () => listPublishedRounds()), cache.memo("open-rounds", () => listOpenRounds())]);
  return json(
    {
      published: published.slice(0, 6).map((r) => ({ slug: r.slug, title: r.title, levelName: r.levelName, year: r.year, selectedCount: r.selectedCount, publishedAt: r.publishedAt })),
      open,
    },
    { headers: cache.headers },
  );
}

export default function Home() {
  const { published, open } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Sản phẩm công nghiệp nông thôn tiêu biểu</h1>
      <div className="card">
        <p>
          Chương trình bình chọn sản phẩm công nghiệp nông thôn tiêu biểu do Bộ Công Thương và các địa phương tổ chức nhằm phát
          hiện, tôn vinh những sản phẩm do các cơ sở công nghiệp nông thôn làm ra có chất lượng, giá trị sử dụng cao, có tiềm năng
          phát triển sản xuất và mở rộng thị trường.
        </p>
        <p>
          Sản phẩm được bình chọn qua các cấp xã (trước đây là cấp huyện), tỉnh, khu vực và quốc gia theo thang điểm 100; sản phẩm
          đạt từ 70 điểm trở lên được công nhận và cấp giấy chứng nhận. Trên nền tảng này, cơ sở đăng ký sản phẩm, hội đồng chấm
          điểm, ban tổ chức công bố kết quả và người dân tra cứu, xác minh giấy chứng nhận.
        </p>
      </div>
      <Form method="get" action="/search" role="search" className="card">
        <label htmlFor="q">Tìm sản phẩm, cơ sở, tập thể và cá nhân được khen thưởng</label>
        <div className="actions">
          <input id="q" name="q" type="search" placeholder="Ví dụ: nuoc mam, gom Bat Trang" maxLength={200} style={{ flex: 1, minWidth: 0 }} />
          <button className="btn" type="submit">
            Tìm kiếm
          </button>
        </div>
      </Form>

      <section aria-labelledby="h-latest">
        <h2 id="h-latest">Kết quả mới công bố</h2>
        {published.length ? (
          <ul className="results">
            {published.map((r) => (
              <li key={r.slug}>
                <Link to={`/rounds/${r.slug}`}>{r.title}</Link>
                <br />
                <span className="muted">
                  {r.levelName} · năm {r.year} · {formatNumber(r.selectedCount)} sản phẩm được công nhận
                  {r.publishedAt ? ` · công bố ${formatDate(r.publishedAt)}` : ""}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Chưa có kết quả nào được công bố.</p>
        )}
        <p>
          <Link to="/rounds">Xem tất cả kết quả</Link> · <Link to="/stats">Thống kê</Link> · <Link to="/commendations">Khen thưởng</Link>
        </p>
      </section>

      <section aria-labelledby="h-open">
        <h2 id="h-open">Đang nhận hồ sơ</h2>
        {open.length ? (
          <OpenRoundList rounds={open} />
        ) : (
          <p className="muted">Hiện chưa có đợt bình chọn nào đang nhận hồ sơ.</p>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
