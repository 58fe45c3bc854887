import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

import { formatDateTime, formatNumber } from "~/utils/format";
import { fallbackVariant, type MediaVariant, mediaUrl, srcSetFor } from "~/utils/media-urls";
import { slugVi } from "~/utils/vi-text";

import { ErrorPage } from "./ErrorPage";

/** What a round page's card shows, computed once per published state (see toCard). */
export interface CardWinner {
  productId: number;
  href: string;
  rank: number | null;
  productName: string;
  groupNo: number;
  facilityName: string;
  provinceName: string;
  currentProvinceName: string;
  score: string | null;
  /** The first photo: WebP variants for `srcset`, a JPEG `src`; width/height of its aspect. */
  img: { src: string; srcSet: string; w: number; h: number } | null;
}

/** A winner as a card (on the server, memoised with the winners list). */
export function toCard(w: {
  productId: number;
  rank: number | null;
  productName: string;
  groupNo: number;
  facilityName: string;
  provinceName: string;
  currentProvinceName: string;
  meanScore: number | null;
  photo: { id: string; width: number | null; height: number | null; variants: MediaVariant[] } | null;
}): CardWinner {
  const fallback = w.photo ? fallbackVariant(w.photo.variants, 320) : undefined;
  return {
    productId: w.productId,
    href: productPath(w.productId, w.productName),
    rank: w.rank,
    productName: w.productName,
    groupNo: w.groupNo,
    facilityName: w.facilityName,
    provinceName: w.provinceName,
    currentProvinceName: w.currentProvinceName,
    score: w.meanScore === null ? null : formatNumber(w.meanScore, 2),
    img:
      w.photo && fallback
        ? { src: mediaUrl(w.photo.id, fallback), srcSet: srcSetFor(w.photo.id, w.photo.variants, "webp"), w: fallback.width, h: fallback.height }
        : null,
  };
}

/** "ABCD-EFGH-JKMN-PQ" (certificate-rules.ts has the same rule but imports node:crypto). */
export function formatCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

/** "/products/12-nuoc-mam-cat-hai": the id decides, the words are for people and search engines. */
export function productPath(id: number, name: string): string {
  const words = slugVi(name).slice(0, 60).replace(/-+$/, "");
  return `/products/${id}${words ? `-${words}` : ""}`;
}

/**
 * A recognised product as a card: photo, rank, name, facility, province, group, score. Plain
 * anchors and one <img> (WebP srcset, JPEG src), not <Link> and <picture>: a round page draws 73+
 * cards and each element shows in its throughput; the product page has the full <picture>.
 */
export function ProductCard({ w, eager, groupName }: { w: CardWinner; eager: boolean; groupName: string }) {
  return (
    <li className="product-card">
      {w.img ? (
        <a href={w.href} className="ph" tabIndex={-1} aria-hidden="true">
          <img
            src={w.img.src}
            srcSet={w.img.srcSet || undefined}
            sizes="(min-width: 720px) 240px, 50vw"
            alt={w.productName}
            width={w.img.w}
            height={w.img.h}
            loading={eager ? "eager" : "lazy"}
            decoding="async"
          />
        </a>
      ) : (
        <span className="ph none" aria-hidden="true">
          Chưa có ảnh
        </span>
      )}
      <div className="body">
        {w.rank ? <span className="rank">Hạng {w.rank}</span> : null}
        <h3>
          <a href={w.href}>{w.productName}</a>
        </h3>
        <span>{w.facilityName}</span>
        <span className="meta">
          {w.provinceName}
          {w.currentProvinceName !== w.provinceName ? ` (nay là ${w.currentProvinceName})` : ""}
          <br />
          Nhóm {w.groupNo}: {groupName}
        </span>
        {w.score !== null ? <span>Điểm: {w.score}</span> : null}
      </div>
    </li>
  );
}

/** The error boundary of public pages: the Vietnamese error page with the route's message. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) return <ErrorPage status={error.status} message={typeof error.data === "string" ? error.data : undefined} />;
  return <ErrorPage status={500} />;
}

/** Rounds taking entries, each linking to its call for entries (rules, criteria, deadline, how to enter). */
export function OpenRoundList({ rounds }: { rounds: { slug: string; title: string; registrationClosesAt: string | Date }[] }) {
  return (
    <ul className="results">
      {rounds.map((r) => (
        <li key={r.slug}>
          <Link to={`/rounds/${r.slug}/the-le`}>
            <strong>{r.title}</strong>
          </Link>
          <br />
          <span>Hạn nộp hồ sơ: {formatDateTime(r.registrationClosesAt)} (giờ Việt Nam)</span> ·{" "}
          <Link to={`/rounds/${r.slug}/the-le#tham-gia`} aria-label={`Đăng ký tham gia: ${r.title}`}>
            Đăng ký tham gia
          </Link>
        </li>
      ))}
    </ul>
  );
}
