import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { showsScreeningNote } from "~/models/entry/rules";
import { facilityDashboard } from "~/models/entry/views.server";
import { ENTRY_STATUS_NAMES } from "~/schemas/dossier";
import { requireRole } from "~/utils/auth.server";
import { formatDateTime, formatNumber } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Cơ sở của tôi — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "facility");
  const dashboard = await facilityDashboard({ userId: user.id });
  return json({
    fullName: user.fullName,
    facilities: dashboard.facilities,
    openRounds: dashboard.openRounds.map((r) => ({ slug: r.slug, title: r.title, closesAt: r.registrationClosesAt })),
    products: dashboard.products,
  });
}

const BADGE: Record<string, string> = { eligible: "ok", selected: "ok", returned: "warn", ineligible: "bad", not_selected: "bad" };

export default function FacilityHome() {
  const { fullName, facilities, openRounds, products } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Cơ sở của tôi</h1>
      <p>Xin chào, {fullName}.</p>
      {facilities.length === 0 ? (
        <div className="card">
          <p>Bạn chưa đăng ký cơ sở nào. Hãy đăng ký cơ sở, thêm sản phẩm rồi nộp hồ sơ vào đợt bình chọn đang mở.</p>
          <Link className="btn" to="/facility/register">
            Đăng ký cơ sở
          </Link>
        </div>
      ) : (
        <section className="card">
          <h2>Cơ sở</h2>
          <ul>
            {facilities.map((f) => (
              <li key={f.id}>
                <Link to={`/facility/${f.id}`}>{f.name}</Link> — {f.provinceName}
                {f.legacyProvinceName && f.legacyProvinceName !== f.provinceName ? ` (trước 2025: ${f.legacyProvinceName})` : ""}
                {f.memberRole === "staff" ? <span className="muted"> · nhân viên</span> : null}
              </li>
            ))}
          </ul>
          <Link to="/facility/register">Đăng ký thêm cơ sở</Link>
        </section>
      )}

      {facilities.length ? (
        <p>
          <Link to="/facility/nominations">Sản phẩm được đề nghị lên cấp trên</Link> (xác nhận hồ sơ khi tỉnh gửi công văn đề nghị)
        </p>
      ) : null}

      {openRounds.length ? (
        <section className="card">
          <h2>Đợt bình chọn đang nhận hồ sơ</h2>
          <ul>
            {openRounds.map((r) => (
              <li key={r.slug}>
                {r.title} — hạn nộp <strong>{formatDateTime(r.closesAt)}</strong>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {facilities.length ? (
        <section>
          <h2>Sản phẩm và hồ sơ</h2>
          {products.length === 0 ? <p className="muted">Chưa có sản phẩm. Mở trang cơ sở để thêm sản phẩm.</p> : null}
          {products.map((p) => (
            <article key={p.id} className="card" data-testid={`product-${p.id}`}>
              <h3 style={{ marginTop: 0 }}>
                <Link to={`/facility/products/${p.id}`}>{p.name}</Link>
              </h3>
              <p className="muted">
                Nhóm {p.groupNo}. {p.groupName} · {p.photoCount} ảnh · {p.documentCount} tài liệu
              </p>
              {p.entries.length ? (
                <ul>
                  {p.entries.map((e) => (
                    <li key={e.id}>
                      <Link to={`/facility/entry/${p.id}/${e.round.slug}`}>{e.round.title}</Link>:{" "}
                      <span className={`badge ${BADGE[e.status] ?? ""}`}>{ENTRY_STATUS_NAMES[e.status]}</span>
                      {e.code ? ` · ${e.code}` : ""}
                      {e.published && e.rank ? ` · hạng ${e.rank}` : ""}
                      {e.published && e.meanScore ? ` · điểm bình quân ${formatNumber(Number(e.meanScore), 2)}` : ""}
                      {showsScreeningNote(e) ? (
                        <div className={`alert ${e.status === "returned" ? "info" : "error"}`} style={{ margin: ".25rem 0" }}>
                          {e.status === "returned" ? "Cần bổ sung: " : "Lý do: "}
                          {e.screeningNote}
                        </div>
                      ) : null}
                      {e.missing.length ? (
                        <details>
                          <summary>Còn thiếu {e.missing.length} mục</summary>
                          <ul>
                            {e.missing.map((m) => (
                              <li key={m}>{m}</li>
                            ))}
                          </ul>
                        </details>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : null}
              {openRounds
                .filter((r) => !p.entries.some((e) => e.round.slug === r.slug))
                .map((r) => (
                  <p key={r.slug}>
                    <Link to={`/facility/entry/${p.id}/${r.slug}`}>Tham gia {r.title}</Link>
                  </p>
                ))}
            </article>
          ))}
        </section>
      ) : null}
    </>
  );
}
