import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { ProductCard, RouteErrorBoundary, toCard } from "~/components/PublicParts";
import { browseWinners, findPublishedRound, listWinners } from "~/models/public/catalogue.server";
import { isOpenCall } from "~/models/round/call.server";
import { publicRoundInfo } from "~/models/round/public.server";
import { hasPublicVote } from "~/models/vote/poll.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { env } from "~/utils/env.server";
import { formatDate, formatNumber } from "~/utils/format";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "round-page");
  const slug = params.slug ?? "";
  const round = await cache.memo(`round:${slug}`, () => findPublishedRound(slug));
  if (!round) {
    // A round still taking entries has its call for entries instead of results.
    if (await isOpenCall(slug)) throw redirect(`/rounds/${slug}/the-le`);
    // Between the council and publication the round page is its provisional list (issue 14).
    if ((await publicRoundInfo(slug))?.provisional) throw redirect(`/rounds/${slug}/du-kien`);
    throw new Response("Không tìm thấy đợt bình chọn này, hoặc kết quả chưa được công bố.", { status: 404 });
  }
  const url = new URL(request.url);
  const all = await cache.memo(`winners:${round.id}`, () => listWinners(round.id));
  const hasVote = await cache.memo(`has-vote:${round.id}`, () => hasPublicVote(round.id));
  const cards = await cache.memo(`cards:${round.id}`, async () => new Map(all.map((w) => [w.entryId, toCard(w)])));
  const view = browseWinners(all, {
    group: url.searchParams.get("group"),
    province: url.searchParams.get("province"),
    sort: url.searchParams.get("sort"),
    page: url.searchParams.get("page"),
  });
  const { publicVersion: _v, id: _id, ...publicRound } = round;
  return json(
    {
      round: publicRound,
      hasVote,
      ...view,
      items: view.items.map((w) => cards.get(w.entryId)!),
      origin: env().PUBLIC_URL,
    },
    { headers: cache.headers },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Không tìm thấy đợt bình chọn — CNNT Tiêu biểu" }];
  const url = `${data.origin}/rounds/${data.round.slug}`;
  const description = `${formatNumber(data.total)} sản phẩm công nghiệp nông thôn tiêu biểu ${data.round.levelName.toLowerCase()} năm ${data.round.year}${data.round.decisionNo ? `, công nhận theo Quyết định số ${data.round.decisionNo}` : ""}.`;
  return [
    { title: `${data.round.title} — CNNT Tiêu biểu` },
    { name: "description", content: description },
    { property: "og:type", content: "website" },
    { property: "og:title", content: data.round.title },
    { property: "og:description", content: description },
    { property: "og:url", content: url },
    { property: "og:image", content: `${data.origin}/rounds/${data.round.slug}/og.png` },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { name: "twitter:card", content: "summary_large_image" },
    { tagName: "link", rel: "canonical", href: url },
  ];
};

const SORTS = [
  { value: "rank", label: "Thứ hạng" },
  { value: "name", label: "Tên sản phẩm" },
  { value: "province", label: "Tỉnh" },
];

export default function RoundPage() {
  const data = useLoaderData<typeof loader>();
  const { round, filters } = data;
  const groupNames = new Map(data.options.groups.map((g) => [g.no, g.name]));
  const pageHref = (page: number) => {
    const p = new URLSearchParams();
    if (filters.group) p.set("group", String(filters.group));
    if (filters.province) p.set("province", filters.province);
    if (filters.sort !== "rank") p.set("sort", filters.sort);
    if (page > 1) p.set("page", String(page));
    const s = p.toString();
    return s ? `?${s}` : ".";
  };
  return (
    <>
      <p className="muted">
        <Link to="/rounds">Kết quả bình chọn</Link> › {round.levelName} · {round.year}
      </p>
      <h1>{round.title}</h1>
      <div className="card">
        <p>
          <strong>{formatNumber(data.total)} sản phẩm</strong> được công nhận là sản phẩm công nghiệp nông thôn tiêu biểu
          {round.registeredCount ? ` trong số ${formatNumber(round.registeredCount)} sản phẩm đăng ký` : ""} (điểm đạt từ {formatNumber(round.passMark)}).
        </p>
        {round.decisionNo ? (
          <p>
            Quyết định công nhận số <strong>{round.decisionNo}</strong>
            {round.decisionDate ? ` ngày ${formatDate(round.decisionDate)}` : ""} của {round.authority}
            {round.decisionSigner ? `, người ký: ${round.decisionSigner}` : ""}.
          </p>
        ) : null}
        {round.finalHash ? (
          <p className="hint" data-testid="final-hash">
            Mã băm kết quả (SHA-256, 16 ký tự đầu, đối chiếu với biên bản): <code>{round.finalHash.slice(0, 16)}</code>
          </p>
        ) : null}
        <p className="actions">
          <a className="btn secondary small" href={`/rounds/${round.slug}/winners.csv`} download>
            Tải danh sách (CSV)
          </a>
          <a className="btn secondary small" href={`/rounds/${round.slug}/winners.xlsx`} download>
            Tải danh sách (Excel)
          </a>
          {data.hasVote ? (
            <a className="btn secondary small" href={`/rounds/${round.slug}/binh-chon`}>
              Bình chọn của công chúng
            </a>
          ) : null}
        </p>
      </div>

      <Form method="get" className="card filters" aria-label="Lọc và sắp xếp">
        <div>
          <label htmlFor="f-group">Nhóm sản phẩm</label>
          <select id="f-group" name="group" defaultValue={filters.group ? String(filters.group) : ""}>
            <option value="">Tất cả nhóm</option>
            {data.options.groups.map((g) => (
              <option key={g.no} value={g.no}>
                Nhóm {g.no}: {g.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-province">Tỉnh</label>
          <select id="f-province" name="province" defaultValue={filters.province ?? ""}>
            <option value="">Tất cả tỉnh</option>
            {data.options.provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-sort">Sắp xếp theo</label>
          <select id="f-sort" name="sort" defaultValue={filters.sort}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <button className="btn" type="submit">
          Lọc
        </button>
      </Form>

      {data.notes.map((n) => (
        <p key={n} className="alert info" role="status">
          {n}
        </p>
      ))}

      <h2 id="list-title">
        {data.matched === data.total ? `Danh sách ${formatNumber(data.total)} sản phẩm` : `${formatNumber(data.matched)} / ${formatNumber(data.total)} sản phẩm phù hợp`}
      </h2>
      {data.items.length ? (
        <ul className="cards" aria-labelledby="list-title" data-testid="winners">
          {data.items.map((w, i) => (
            <ProductCard key={w.productId} w={w} eager={i < 4} groupName={groupNames.get(w.groupNo) ?? ""} />
          ))}
        </ul>
      ) : (
        <p>Không có sản phẩm nào phù hợp với bộ lọc.</p>
      )}

      {data.pages > 1 ? (
        <nav className="pager" aria-label="Phân trang">
          {data.page > 1 ? <Link to={pageHref(data.page - 1)}>‹ Trang trước</Link> : null}
          <span>
            Trang {data.page} / {data.pages}
          </span>
          {data.page < data.pages ? <Link to={pageHref(data.page + 1)}>Trang sau ›</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
