import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { Picture } from "~/components/Picture";
import { formatCode, productPath, RouteErrorBoundary, useGroupName, useLevelName } from "~/components/PublicParts";
import { langFromPath, pathIn } from "~/i18n/config";
import { requestT } from "~/i18n/i18next.server";
import { useFormat, useLang, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { getPublicProduct } from "~/models/public/catalogue.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { env } from "~/utils/env.server";
import { fallbackVariant, mediaUrl } from "~/utils/media-urls";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const notFound = async () => new Response((await requestT(request))("errors.productNotFound"), { status: 404 });
  const match = /^(\d{1,9})(?:-[a-z0-9-]*)?$/.exec(params.id ?? "");
  if (!match) throw await notFound();
  const cache = await conditionalGet(request, "product-page");
  const product = await cache.memo(`product:${match[1]}`, () => getPublicProduct(Number(match[1])));
  if (!product) throw await notFound();
  // The facility's English texts go to the English page only.
  const english = langFromPath(new URL(request.url).pathname) === "en" ? product.english : null;
  return json({ product: { ...product, english }, origin: env().PUBLIC_URL }, { headers: cache.headers });
}

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const lang = langFromPath(location.pathname);
  const t = fixedT(lang);
  if (!data) return [{ title: t("product.notFoundTitle") }];
  const p = data.product;
  const url = `${data.origin}${pathIn(lang, productPath(p.id, p.name))}`;
  const top = p.recognitions[p.recognitions.length - 1];
  // On /en the facility's English name, when it gave one, names the page for search and sharing.
  const name = lang === "en" && p.english ? p.english.name : p.name;
  const description = t("product.metaDescription", {
    name,
    facility: p.facility.name,
    province: p.facility.provinceName,
    level: (lang === "vi" ? top.levelName : t(`levels.${top.level}`)).toLowerCase(),
    year: top.year,
  });
  const photo = p.photos[0];
  const jpeg = photo ? fallbackVariant(photo.variants, 1200) : undefined;
  const image = photo && jpeg ? `${data.origin}${mediaUrl(photo.id, jpeg)}` : `${data.origin}/products/${p.id}/og.png`;
  return [
    { title: `${name} — ${p.facility.name} — ${t("common.titleSuffix")}` },
    { name: "description", content: description },
    { property: "og:type", content: "article" },
    { property: "og:title", content: name },
    { property: "og:locale", content: lang === "en" ? "en_GB" : "vi_VN" },
    { property: "og:description", content: description },
    { property: "og:url", content: url },
    { property: "og:image", content: image },
    { property: "og:image:alt", content: p.name },
    { name: "twitter:card", content: "summary_large_image" },
    { tagName: "link", rel: "canonical", href: url },
  ];
};

const STATUS_CLASS = { valid: "ok", expired: "warn", revoked: "bad" } as const;

export default function ProductPage() {
  const { product: p } = useLoaderData<typeof loader>();
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  const lang = useLang();
  const groupName = useGroupName();
  const levelName = useLevelName();
  // On the English page the facility's own texts, when given, come first, marked as theirs; the
  // Vietnamese texts (what was judged) stay, marked as Vietnamese for screen readers.
  const english = lang === "en" ? p.english : null;
  const vi = lang === "vi" ? undefined : "vi";
  return (
    <>
      <p className="muted">
        <Link to={lp("/rounds")}>{t("nav.rounds")}</Link> › {t("product.breadcrumb")}
      </p>
      <h1 lang={vi}>{p.name}</h1>
      {english ? (
        <p className="lead" data-testid="english-name">
          <span lang="en">{english.name}</span> <span className="badge">{t("common.facilityProvided")}</span>
        </p>
      ) : null}
      {p.photos.length ? (
        <div className="gallery">
          {p.photos.map((photo, i) => (
            <Picture key={photo.id} {...photo} sizes={i === 0 ? "(min-width: 720px) 560px, 100vw" : "(min-width: 720px) 280px, 50vw"} eager={i === 0} />
          ))}
        </div>
      ) : null}
      <div className="grid cols-2" style={{ marginTop: "1rem" }}>
        <section className="card" aria-labelledby="h-about">
          <h2 id="h-about">{t("product.about")}</h2>
          {english?.description ? (
            <div data-testid="english-description">
              <p style={{ whiteSpace: "pre-line" }} lang="en">
                {english.description}
              </p>
              <p className="hint">{t("common.facilityProvided")}</p>
            </div>
          ) : null}
          {p.description ? (
            <p style={{ whiteSpace: "pre-line" }} lang={vi}>
              {p.description}
            </p>
          ) : (
            <p className="muted">{t("product.noDescription")}</p>
          )}
          {p.details.map((d) => (
            <p key={d.label} style={{ whiteSpace: "pre-line" }} lang={vi}>
              <strong>{d.label}:</strong> {d.text}
            </p>
          ))}
          <p>
            <strong>{t("product.groupLabel")}</strong> {t("product.groupValue", { no: p.groupNo, name: groupName(p.groupNo, p.groupName) })}
          </p>
        </section>
        <section className="card" aria-labelledby="h-facility">
          <h2 id="h-facility">{t("product.facility")}</h2>
          <dl className="facts">
            <dt>{t("product.facilityName")}</dt>
            <dd lang={vi}>{p.facility.name}</dd>
            <dt>{t("product.address")}</dt>
            <dd lang={vi}>{p.facility.address || "—"}</dd>
            <dt>{t("product.province")}</dt>
            <dd>
              {p.facility.provinceName}
              {p.facility.provinceChanged ? t("product.provinceSince", { name: p.facility.currentProvinceName }) : ""}
            </dd>
          </dl>
        </section>
      </div>
      <section className="card" aria-labelledby="h-history">
        <h2 id="h-history">{t("product.history")}</h2>
        <ol className="results">
          {p.recognitions.map((r) => (
            <li key={r.roundSlug}>
              <strong>{t("product.levelYear", { level: levelName(r.level, r.levelName), year: r.year })}</strong> —{" "}
              <Link to={lp(`/rounds/${r.roundSlug}`)} lang={vi}>
                {r.roundTitle}
              </Link>
              <br />
              {r.rank ? t("product.rank", { rank: r.rank }) : ""}
              {r.meanScore !== null ? `${r.rank ? ", " : ""}${t("product.mean", { score: f.number(r.meanScore, 2) })}` : ""}
              {r.decisionNo
                ? r.decisionDate
                  ? t("product.decisionOn", { no: r.decisionNo, date: f.date(r.decisionDate), authority: r.authority })
                  : t("product.decision", { no: r.decisionNo, authority: r.authority })
                : ""}
              {r.certificate ? (
                <>
                  <br />
                  {t("product.certificate", { serial: r.certificate.serial })}{" "}
                  <span className={`badge ${STATUS_CLASS[r.certificate.status]}`}>{t(`certStatus.${r.certificate.status}`)}</span>{" "}
                  <Link to={lp(`/verify/${r.certificate.code}`)}>{t("product.verify", { code: formatCode(r.certificate.code) })}</Link>
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
