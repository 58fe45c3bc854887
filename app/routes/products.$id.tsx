import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { Picture } from "~/components/Picture";
import { formatCode, productPath, RouteErrorBoundary } from "~/components/PublicParts";
import { getPublicProduct } from "~/models/public/catalogue.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { env } from "~/utils/env.server";
import { formatDate, formatNumber } from "~/utils/format";
import { fallbackVariant, mediaUrl } from "~/utils/media-urls";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

const NOT_FOUND = "Không tìm thấy sản phẩm này trong danh sách sản phẩm đã được công nhận và công bố.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const match = /^(\d{1,9})(?:-[a-z0-9-]*)?$/.exec(params.id ?? "");
  if (!match) throw new Response(NOT_FOUND, { status: 404 });
  const cache = await conditionalGet(request, "product-page");
  const product = await cache.memo(`product:${match[1]}`, () => getPublicProduct(Number(match[1])));
  if (!product) throw new Response(NOT_FOUND, { status: 404 });
  return json({ product, origin: env().PUBLIC_URL }, { headers: cache.headers });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Không tìm thấy sản phẩm — CNNT Tiêu biểu" }];
  const p = data.product;
  const url = `${data.origin}${productPath(p.id, p.name)}`;
  const top = p.recognitions[p.recognitions.length - 1];
  const description = `${p.name} — ${p.facility.name}, ${p.facility.provinceName}. Sản phẩm công nghiệp nông thôn tiêu biểu ${top.levelName.toLowerCase()} năm ${top.year}.`;
  const photo = p.photos[0];
  const jpeg = photo ? fallbackVariant(photo.variants, 1200) : undefined;
  const image = photo && jpeg ? `${data.origin}${mediaUrl(photo.id, jpeg)}` : `${data.origin}/products/${p.id}/og.png`;
  return [
    { title: `${p.name} — ${p.facility.name} — CNNT Tiêu biểu` },
    { name: "description", content: description },
    { property: "og:type", content: "article" },
    { property: "og:title", content: p.name },
    { property: "og:description", content: description },
    { property: "og:url", content: url },
    { property: "og:image", content: image },
    { property: "og:image:alt", content: p.name },
    { name: "twitter:card", content: "summary_large_image" },
    { tagName: "link", rel: "canonical", href: url },
  ];
};

const STATUS_TEXT = { valid: "Còn hiệu lực", expired: "Hết hiệu lực", revoked: "Đã thu hồi" } as const;
const STATUS_CLASS = { valid: "ok", expired: "warn", revoked: "bad" } as const;

export default function ProductPage() {
  const { product: p } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="muted">
        <Link to="/rounds">Kết quả bình chọn</Link> › Sản phẩm
      </p>
      <h1>{p.name}</h1>
      {p.photos.length ? (
        <div className="gallery">
          {p.photos.map((photo, i) => (
            <Picture key={photo.id} {...photo} sizes={i === 0 ? "(min-width: 720px) 560px, 100vw" : "(min-width: 720px) 280px, 50vw"} eager={i === 0} />
          ))}
        </div>
      ) : null}
      <div className="grid cols-2" style={{ marginTop: "1rem" }}>
        <section className="card" aria-labelledby="h-about">
          <h2 id="h-about">Giới thiệu sản phẩm</h2>
          {p.description ? <p style={{ whiteSpace: "pre-line" }}>{p.description}</p> : <p className="muted">Hồ sơ không có phần mô tả.</p>}
          {p.details.map((d) => (
            <p key={d.label} style={{ whiteSpace: "pre-line" }}>
              <strong>{d.label}:</strong> {d.text}
            </p>
          ))}
          <p>
            <strong>Nhóm sản phẩm:</strong> Nhóm {p.groupNo} — {p.groupName}
          </p>
        </section>
        <section className="card" aria-labelledby="h-facility">
          <h2 id="h-facility">Cơ sở sản xuất</h2>
          <dl className="facts">
            <dt>Tên cơ sở</dt>
            <dd>{p.facility.name}</dd>
            <dt>Địa chỉ</dt>
            <dd>{p.facility.address || "—"}</dd>
            <dt>Tỉnh</dt>
            <dd>
              {p.facility.provinceName}
              {p.facility.provinceChanged ? ` (từ 01/7/2025: ${p.facility.currentProvinceName})` : ""}
            </dd>
          </dl>
        </section>
      </div>
      <section className="card" aria-labelledby="h-history">
        <h2 id="h-history">Các lần được công nhận</h2>
        <ol className="results">
          {p.recognitions.map((r) => (
            <li key={r.roundSlug}>
              <strong>
                {r.levelName} năm {r.year}
              </strong>{" "}
              — <Link to={`/rounds/${r.roundSlug}`}>{r.roundTitle}</Link>
              <br />
              {r.rank ? `Hạng ${r.rank}` : ""}
              {r.meanScore !== null ? `${r.rank ? ", " : ""}điểm bình quân ${formatNumber(r.meanScore, 2)}` : ""}
              {r.decisionNo ? `. Quyết định số ${r.decisionNo}${r.decisionDate ? ` ngày ${formatDate(r.decisionDate)}` : ""} của ${r.authority}.` : ""}
              {r.certificate ? (
                <>
                  <br />
                  Giấy chứng nhận số {r.certificate.serial}{" "}
                  <span className={`badge ${STATUS_CLASS[r.certificate.status]}`}>{STATUS_TEXT[r.certificate.status]}</span>{" "}
                  <Link to={`/verify/${r.certificate.code}`}>Xác minh giấy chứng nhận {formatCode(r.certificate.code)}</Link>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
