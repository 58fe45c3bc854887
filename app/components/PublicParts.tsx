import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

import { formatNumber } from "~/utils/format";

import { ErrorPage } from "./ErrorPage";
import { Picture } from "./Picture";

export interface CardWinner {
  productId: number;
  rank: number | null;
  productName: string;
  groupNo: number;
  groupName: string;
  facilityName: string;
  provinceName: string;
  currentProvinceName: string;
  meanScore: number | null;
  photo: { id: string; alt: string; width: number | null; height: number | null; variants: { format: string; width: number; height: number }[] } | null;
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

/** A recognised product as a card: photo, rank, name, facility, province, group, score. */
export function ProductCard({ w, eager }: { w: CardWinner; eager: boolean }) {
  const href = productPath(w.productId, w.productName);
  return (
    <li className="product-card">
      {w.photo ? (
        <Link to={href} className="ph" tabIndex={-1} aria-hidden="true">
          <Picture {...w.photo} sizes="(min-width: 720px) 240px, 50vw" eager={eager} />
        </Link>
      ) : (
        <span className="ph none" aria-hidden="true">
          Chưa có ảnh
        </span>
      )}
      <div className="body">
        {w.rank ? <span className="rank">Hạng {w.rank}</span> : null}
        <h3>
          <Link to={href}>{w.productName}</Link>
        </h3>
        <span>{w.facilityName}</span>
        <span className="meta">
          {w.provinceName}
          {w.currentProvinceName !== w.provinceName ? ` (nay là ${w.currentProvinceName})` : ""}
        </span>
        <span className="meta">
          Nhóm {w.groupNo}: {w.groupName}
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
