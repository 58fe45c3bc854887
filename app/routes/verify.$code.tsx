import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { formatCode, RouteErrorBoundary } from "~/components/PublicParts";
import { langFromPath } from "~/i18n/config";
import { useFormat, useLang, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { verifyCertificateCode } from "~/models/certificate/verification.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { clientIp, orErrorPage } from "~/utils/http.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  // The ETag is computed first (one query) so the lookup can be memoised; a client without a
  // matching ETag still goes through the throttle inside verifyCertificateCode.
  const cache = await conditionalGet(request, "verify-page", { revalidate: true });
  const certificate = await orErrorPage(() => verifyCertificateCode({ code, client: clientIp(context), memo: cache.memo }));
  if (!certificate) {
    // Unknown codes are never cached: each one must reach the throttle.
    return json({ certificate: null, code: code.slice(0, 40) }, { status: 404, headers: { "Cache-Control": "no-store" } });
  }
  return json({ certificate, code: certificate.code }, { headers: cache.headers });
}

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [
    { title: data?.certificate ? t("verifyCode.metaTitle", { serial: data.certificate.serial }) : t("verifyCode.notFoundTitle") },
    { name: "robots", content: "noindex" },
  ];
};

function str(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value : typeof value === "number" ? String(value) : null;
}

/** A term and its value from the certificate's snapshot, or nothing when the snapshot has none. */
function OptionalField({ term, value, lang }: { term: string; value: string | null; lang?: string }) {
  if (!value) return null;
  return (
    <>
      <dt>{term}</dt>
      <dd lang={lang}>{value}</dd>
    </>
  );
}

export default function VerifyPage() {
  const { certificate: c, code } = useLoaderData<typeof loader>();
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  const vi = useLang() === "vi" ? undefined : "vi";
  if (!c) {
    return (
      <>
        <h1>{t("verify.title")}</h1>
        <div className="verdict unknown" role="status">
          <p className="state">{t("verifyCode.notFound")}</p>
          <p>
            {t("verifyCode.notFoundBefore")}
            <strong>{code}</strong>
            {t("verifyCode.notFoundAfter")}
          </p>
        </div>
        <p>
          <Link to={lp("/verify")}>{t("verifyCode.another")}</Link>
        </p>
      </>
    );
  }
  const s = c.subject;
  const kind = c.kind;
  const isProduct = kind === "product";
  const isFavourite = kind === "favourite";
  const vote = (isFavourite && typeof s.vote === "object" && s.vote ? s.vote : {}) as Record<string, unknown>;
  return (
    <>
      <h1>{t(`verifyCode.title_${kind}`)}</h1>
      {isFavourite ? <p>{t("verifyCode.favouriteNote")}</p> : null}
      <div className={`verdict ${c.status}`} role="status">
        {c.status === "valid" ? (
          <>
            <p className="state">✓ {t(`verifyCode.valid_${kind}`)}</p>
            <p>{c.validUntil ? t("verifyCode.validUntil", { date: f.date(c.validUntil) }) : t("verifyCode.noLimit")}</p>
          </>
        ) : c.status === "expired" ? (
          <>
            <p className="state">{t(`verifyCode.expired_${kind}`)}</p>
            <p>{t(`verifyCode.expiredText_${kind}`, { date: f.date(c.validUntil) })}</p>
          </>
        ) : (
          <>
            <p className="state">✗ {t(`verifyCode.revoked_${kind}`)}</p>
            <p>
              {t("verifyCode.revokedOn", { date: f.date(c.revokedAt) })}
              {c.revokedReason ? (
                <>
                  {t("verifyCode.reason")}
                  <span lang={vi}>{c.revokedReason}</span>
                </>
              ) : null}
              .
            </p>
          </>
        )}
      </div>
      <section className="card" aria-labelledby="h-what">
        <h2 id="h-what">{t("verifyCode.contents")}</h2>
        <dl className="facts">
          <dt>{t("verifyCode.serial")}</dt>
          <dd>{c.serial}</dd>
          <dt>{t("verify.code")}</dt>
          <dd>{formatCode(c.code)}</dd>
          <dt>{isProduct || isFavourite ? t("verifyCode.product") : t("verifyCode.recipient")}</dt>
          <dd lang={vi}>{c.productId ? <Link to={lp(`/products/${c.productId}`)}>{c.subject.name}</Link> : c.subject.name}</dd>
          {isProduct ? (
            <>
              <OptionalField term={t("product.facility")} value={str(s.facilityName)} lang={vi} />
              {str(s.provinceName) ? (
                <>
                  <dt>{t("product.province")}</dt>
                  <dd>
                    {str(s.provinceName)}
                    {str(s.provinceCurrentName) && s.provinceCurrentName !== s.provinceName
                      ? t("product.provinceSince", { name: str(s.provinceCurrentName) })
                      : ""}
                  </dd>
                </>
              ) : null}
              <OptionalField term={t("round.group")} value={str(s.groupName)} lang={vi} />
              {str(s.level) ? (
                <>
                  <dt>{t("verifyCode.level")}</dt>
                  <dd>
                    {t("verifyCode.levelText", { level: t(`levels.${String(s.level)}`, { defaultValue: "" }).toLowerCase() })}{" "}
                    {str(s.year) ? t("common.year", { year: str(s.year) }) : ""}
                  </dd>
                </>
              ) : null}
            </>
          ) : isFavourite ? (
            <>
              <OptionalField term={t("product.facility")} value={str(s.facilityName)} lang={vi} />
              <OptionalField term={t("product.province")} value={str(s.provinceName)} />
              <dt>{t("verifyCode.award")}</dt>
              <dd>{t("vote.awardName")}</dd>
              <dt>{t("verifyCode.vote")}</dt>
              <dd lang={vi}>
                {str(s.roundSlug) ? (
                  <Link to={lp(`/rounds/${str(s.roundSlug)}/binh-chon`)}>{str(s.roundTitle)}</Link>
                ) : (
                  str(s.roundTitle)
                )}
              </dd>
              <dt>{t("verifyCode.voteWindow")}</dt>
              <dd>
                {t("verifyCode.voteWindowText", { from: f.dateTime(str(vote.opensAt)), to: f.dateTime(str(vote.closesAt)) })}
              </dd>
              <dt>{t("verifyCode.votes")}</dt>
              <dd>
                {t(Number(vote.winners) > 1 ? "verifyCode.votesTied" : "verifyCode.votesText", {
                  votes: f.number(Number(vote.votes)),
                  candidates: f.number(Number(vote.candidates)),
                  winners: f.number(Number(vote.winners)),
                })}
              </dd>
              <dt>{t("verifyCode.frozenOn")}</dt>
              <dd>{f.date(str(vote.frozenAt))}</dd>
              <dt>{t("verifyCode.finalHash")}</dt>
              <dd style={{ overflowWrap: "anywhere" }}>
                <code>{str(vote.finalHash)}</code>
              </dd>
            </>
          ) : (
            <>
              <OptionalField term={t("verifyCode.position")} value={str(s.position)} lang={vi} />
              <OptionalField term={t("verifyCode.organization")} value={str(s.organization)} lang={vi} />
              <OptionalField term={t("verifyCode.achievement")} value={str(s.achievement)} lang={vi} />
            </>
          )}
          <dt>{t("verifyCode.issuer")}</dt>
          <dd lang={vi}>{c.issuer}</dd>
          {c.decisionNo ? (
            <>
              <dt>{t("verifyCode.decision")}</dt>
              <dd>{t("verifyCode.decisionText", { no: c.decisionNo, date: f.date(c.decisionDate) })}</dd>
            </>
          ) : (
            <>
              <dt>{t("verifyCode.basis")}</dt>
              <dd>{t("verifyCode.basisText")}</dd>
            </>
          )}
          <dt>{t("verifyCode.issuedAt")}</dt>
          <dd>{f.date(c.issuedAt)}</dd>
          <dt>{t("verifyCode.validTo")}</dt>
          <dd>
            {c.validUntil ? f.date(c.validUntil) : t("verifyCode.noLimitShort")}
            {c.validityBasis ? (
              <span className="hint" lang={vi}>
                {" "}
                ({c.validityBasis})
              </span>
            ) : null}
          </dd>
        </dl>
      </section>
      <Form method="get" action={lp("/verify")} className="card actions" role="search">
        <label htmlFor="code" className="visually-hidden">
          {t("verifyCode.otherCode")}
        </label>
        <input
          id="code"
          name="code"
          className="code-input"
          autoComplete="off"
          maxLength={40}
          required
          placeholder={t("verifyCode.another")}
        />
        <button className="btn secondary" type="submit">
          {t("verify.submit")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
