import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

import { formatNumber } from "~/utils/format";
import { type CompactPhoto, expandPhoto } from "~/utils/media-urls";

import { ErrorPage } from "./ErrorPage";
import { Picture } from "./Picture";

export interface CardWinner {
  productId: number;
  rank: number | null;
  productName: string;
  groupNo: number;
  facilityName: string;
  provinceName: string;
  currentProvinceName: string;
  meanScore: number | null;
  photo: CompactPhoto | null;
}

/** "ABCD-EFGH-JKMN-PQ" (certificate-rules.ts has the same rule but imports node:crypto). */
export function formatCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

/** "/products/12-nuoc-mam-cat-hai": the id decides, the words are for people and search engines. */
export function productPath(id: number, name: string): string {
  const words = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `/products/${id}${words ? `-${words}` : ""}`;
}

/**
 * A recognised product as a card: photo, rank, name, facility, province, group, score. Plain
 * anchors, not <Link>: a round page draws 73+ cards and the router's per-link work shows in its
 * throughput; opening a product is a full page load either way on a first visit.
 */
export function ProductCard({ w, eager, groupName }: { w: CardWinner; eager: boolean; groupName: string }) {
  const href = productPath(w.productId, w.productName);
  return (
    <li className="product-card">
      {w.photo ? (
        <a href={href} className="ph" tabIndex={-1} aria-hidden="true">
          <Picture id={w.photo.id} alt={w.productName} width={w.photo.w} height={w.photo.h} variants={expandPhoto(w.photo)} sizes="(min-width: 720px) 240px, 50vw" eager={eager} />
        </a>
      ) : (
        <span className="ph none" aria-hidden="true">
          Chưa có ảnh
        </span>
      )}
      <div className="body">
        {w.rank ? <span className="rank">Hạng {w.rank}</span> : null}
        <h3>
          <a href={href}>{w.productName}</a>
        </h3>
        <span>{w.facilityName}</span>
        <span className="meta">
          {w.provinceName}
          {w.currentProvinceName !== w.provinceName ? ` (nay là ${w.currentProvinceName})` : ""}
        </span>
        <span className="meta">
          Nhóm {w.groupNo}: {groupName}
        </span>
        {w.meanScore !== null ? <span>Điểm: {formatNumber(w.meanScore, 2)}</span> : null}
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
