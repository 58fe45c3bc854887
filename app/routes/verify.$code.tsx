import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { formatCode, RouteErrorBoundary } from "~/components/PublicParts";
import { verifyCertificateCode } from "~/models/certificate/verification.server";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { formatDate } from "~/utils/format";
import { clientIp, orErrorPage } from "~/utils/http.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

const LEVEL_TEXT: Record<string, string> = { commune: "cấp xã", district: "cấp huyện", province: "cấp tỉnh", region: "cấp khu vực", national: "cấp quốc gia" };

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

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.certificate ? `Giấy chứng nhận ${data.certificate.serial} — Tra cứu — CNNT Tiêu biểu` : "Không tìm thấy giấy chứng nhận — CNNT Tiêu biểu" },
  { name: "robots", content: "noindex" },
];

function str(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value : typeof value === "number" ? String(value) : null;
}

export default function VerifyPage() {
  const { certificate: c, code } = useLoaderData<typeof loader>();
  if (!c) {
    return (
      <>
        <h1>Tra cứu giấy chứng nhận</h1>
        <div className="verdict unknown" role="status">
          <p className="state">Không tìm thấy giấy chứng nhận</p>
          <p>
            Không tìm thấy giấy chứng nhận nào có mã <strong>{code}</strong>. Hãy kiểm tra lại mã in trên giấy (14 ký tự, không có chữ O, I, L,
            U và số 0, 1).
          </p>
        </div>
        <p>
          <Link to="/verify">Tra cứu mã khác</Link>
        </p>
      </>
    );
  }
  const s = c.subject;
  const isProduct = c.kind === "product";
  const noun = isProduct ? "Giấy chứng nhận" : "Bằng khen";
  return (
    <>
      <h1>{isProduct ? "Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu" : "Bằng khen của Bộ trưởng Bộ Công Thương"}</h1>
      <div className={`verdict ${c.status}`} role="status">
        {c.status === "valid" ? (
          <>
            <p className="state">✓ {noun} còn hiệu lực</p>
            <p>{c.validUntil ? `Có hiệu lực đến hết ngày ${formatDate(c.validUntil)}.` : "Không có thời hạn."}</p>
          </>
        ) : c.status === "expired" ? (
          <>
            <p className="state">{noun} đã hết hiệu lực</p>
            <p>Hết hiệu lực từ sau ngày {formatDate(c.validUntil)}. {noun} được cấp hợp lệ nhưng thời hạn đã qua.</p>
          </>
        ) : (
          <>
            <p className="state">✗ {noun} đã bị thu hồi</p>
            <p>
              Thu hồi ngày {formatDate(c.revokedAt)}
              {c.revokedReason ? `. Lý do: ${c.revokedReason}` : ""}.
            </p>
          </>
        )}
      </div>
      <section className="card" aria-labelledby="h-what">
        <h2 id="h-what">Nội dung chứng nhận</h2>
        <dl className="facts">
          <dt>Số</dt>
          <dd>{c.serial}</dd>
          <dt>Mã xác minh</dt>
          <dd>{formatCode(c.code)}</dd>
          <dt>{isProduct ? "Sản phẩm" : "Tập thể / cá nhân"}</dt>
          <dd>{c.productId ? <Link to={`/products/${c.productId}`}>{c.subject.name}</Link> : c.subject.name}</dd>
          {isProduct ? (
            <>
              {str(s.facilityName) ? (
                <>
                  <dt>Cơ sở sản xuất</dt>
                  <dd>{str(s.facilityName)}</dd>
                </>
              ) : null}
              {str(s.provinceName) ? (
                <>
                  <dt>Tỉnh</dt>
                  <dd>
                    {str(s.provinceName)}
                    {str(s.provinceCurrentName) && s.provinceCurrentName !== s.provinceName ? ` (từ 01/7/2025: ${str(s.provinceCurrentName)})` : ""}
                  </dd>
                </>
              ) : null}
              {str(s.groupName) ? (
                <>
                  <dt>Nhóm sản phẩm</dt>
                  <dd>{str(s.groupName)}</dd>
                </>
              ) : null}
              {str(s.level) ? (
                <>
                  <dt>Cấp công nhận</dt>
                  <dd>
                    Sản phẩm công nghiệp nông thôn tiêu biểu {LEVEL_TEXT[String(s.level)] ?? ""} {str(s.year) ? `năm ${str(s.year)}` : ""}
                  </dd>
                </>
              ) : null}
            </>
          ) : (
            <>
              {str(s.position) ? (
                <>
                  <dt>Chức vụ</dt>
                  <dd>{str(s.position)}</dd>
                </>
              ) : null}
              {str(s.organization) ? (
                <>
                  <dt>Đơn vị</dt>
                  <dd>{str(s.organization)}</dd>
                </>
              ) : null}
              {str(s.achievement) ? (
                <>
                  <dt>Thành tích</dt>
                  <dd>{str(s.achievement)}</dd>
                </>
              ) : null}
            </>
          )}
          <dt>Cơ quan cấp</dt>
          <dd>{c.issuer}</dd>
          <dt>Quyết định</dt>
          <dd>
            Số {c.decisionNo} ngày {formatDate(c.decisionDate)}
          </dd>
          <dt>Ngày cấp</dt>
          <dd>{formatDate(c.issuedAt)}</dd>
          <dt>Hiệu lực đến</dt>
          <dd>{c.validUntil ? formatDate(c.validUntil) : "Không thời hạn"}</dd>
        </dl>
      </section>
      <Form method="get" action="/verify" className="card actions" role="search">
        <label htmlFor="code" className="visually-hidden">
          Mã xác minh khác
        </label>
        <input id="code" name="code" className="code-input" autoComplete="off" maxLength={40} required placeholder="Tra cứu mã khác" />
        <button className="btn secondary" type="submit">
          Tra cứu
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
