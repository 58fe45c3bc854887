import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

import { useFormat, useLang, useLocalePath, useT } from "~/i18n/react";
import { formatNumber } from "~/utils/format";
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
  /** The mean as a number, for pages in another language than the Vietnamese `score`. */
  mean: number | null;
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
    mean: w.meanScore,
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
  const t = useT();
  const lp = useLocalePath();
  const name = useGroupName();
  const f = useFormat();
  const href = lp(w.href);
  return (
    <li className="product-card">
      {w.img ? (
        <a href={href} className="ph" tabIndex={-1} aria-hidden="true">
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
          {t("common.noPhoto")}
        </span>
      )}
      <div className="body">
        {w.rank ? <span className="rank">{t("parts.rank", { rank: w.rank })}</span> : null}
        <h3>
          <a href={href}>{w.productName}</a>
        </h3>
        <span>{w.facilityName}</span>
        <span className="meta">
          {w.provinceName}
          {w.currentProvinceName !== w.provinceName ? t("parts.nowProvince", { name: w.currentProvinceName }) : ""}
          <br />
          {t("parts.group", { no: w.groupNo, name: name(w.groupNo, groupName) })}
        </span>
        {w.score !== null ? <span>{t("parts.score", { score: f.lang === "vi" ? w.score : f.number(w.mean, 2) })}</span> : null}
      </div>
    </li>
  );
}

/**
 * A product group's name in the page's language: the reference table's Vietnamese name, or its
 * English name on /en (the four groups of Thông tư 26/2014, app/i18n/locales `groups`).
 */
export function useGroupName(): (no: number, viName: string) => string {
  const lang = useLang();
  const t = useT();
  return (no, viName) => (lang === "vi" ? viName : t(`groups.${no}`, { defaultValue: viName }));
}

/** A level's name (`region` → "Cấp khu vực" / "Regional level") in the page's language. */
export function useLevelName(): (level: string | null | undefined, viName: string) => string {
  const lang = useLang();
  const t = useT();
  return (level, viName) => (lang === "vi" || !level ? viName : t(`levels.${level}`, { defaultValue: viName }));
}

/** The error boundary of public pages: the Vietnamese error page with the route's message. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) return <ErrorPage status={error.status} message={typeof error.data === "string" ? error.data : undefined} />;
  return <ErrorPage status={500} />;
}

/** Rounds taking entries, each linking to its call for entries (rules, criteria, deadline, how to enter). */
export function OpenRoundList({ rounds }: { rounds: { slug: string; title: string; registrationClosesAt: string | Date }[] }) {
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  return (
    <ul className="results">
      {rounds.map((r) => (
        <li key={r.slug}>
          <Link to={lp(`/rounds/${r.slug}/the-le`)}>
            <strong>{r.title}</strong>
          </Link>
          <br />
          <span>{t("parts.deadline", { when: f.dateTime(r.registrationClosesAt) })}</span> ·{" "}
          <Link to={lp(`/rounds/${r.slug}/the-le#tham-gia`)} aria-label={t("parts.enterLabel", { title: r.title })}>
            {t("parts.enter")}
          </Link>
        </li>
      ))}
    </ul>
  );
}
