import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { RoundNav } from "~/components/RoundNav";
import { listScreening } from "~/models/entry/views.server";
import { isScreeningOpen, STATUS_NAMES } from "~/models/round/rules";
import { listProductGroups } from "~/models/shared/reference.server";
import { ENTRY_STATUS_NAMES, SCREENING_STATUSES } from "~/schemas/dossier";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";
import { orErrorPage } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Thẩm định hồ sơ — ${data?.round.title ?? ""}` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "entry:screen");
  const url = new URL(request.url);
  const groupNo = Number(url.searchParams.get("group")) || null;
  const filters = {
    groupNo,
    provinceCode: url.searchParams.get("province") || null,
    status: url.searchParams.get("status") || null,
    q: (url.searchParams.get("q") ?? "").slice(0, 100) || null,
  };
  return orErrorPage(async () => {
    const list = await listScreening({ userId: user.id, slug: String(params.slug), ...filters });
    return json({
      round: { slug: list.round.slug, title: list.round.title, status: list.round.status, statusName: STATUS_NAMES[list.round.status] },
      canScreen: isScreeningOpen(list.round),
      entries: list.entries,
      counts: list.counts,
      provinces: list.provinceOptions,
      groups: await listProductGroups(),
      filters,
    });
  });
}

const BADGE: Record<string, string> = { eligible: "ok", returned: "warn", ineligible: "bad" };

export default function Screening() {
  const { round, canScreen, entries, counts, provinces, groups, filters } = useLoaderData<typeof loader>();
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <h2 style={{ marginTop: 0 }}>Thẩm định hồ sơ</h2>
      <p className="muted">
        {SCREENING_STATUSES.map((s) => `${ENTRY_STATUS_NAMES[s]}: ${counts[s] ?? 0}`).join(" · ")}
      </p>
      {!canScreen ? (
        <div className="alert info">Đợt bình chọn đã qua giai đoạn thẩm định; danh sách chỉ để xem.</div>
      ) : null}
      <Form method="get" className="card grid cols-3" role="search">
        <div>
          <label htmlFor="q">Tìm (không cần dấu)</label>
          <input id="q" type="search" name="q" defaultValue={filters.q ?? ""} placeholder="Tên sản phẩm, cơ sở, mã số" />
        </div>
        <div>
          <label htmlFor="group">Nhóm</label>
          <select id="group" name="group" defaultValue={filters.groupNo ?? ""}>
            <option value="">Tất cả nhóm</option>
            {groups.map((g) => (
              <option key={g.no} value={g.no}>
                {g.no}. {g.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="province">Tỉnh/thành phố</label>
          <select id="province" name="province" defaultValue={filters.provinceCode ?? ""}>
            <option value="">Tất cả</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status">Trạng thái</label>
          <select id="status" name="status" defaultValue={filters.status ?? ""}>
            <option value="">Tất cả</option>
            {SCREENING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {ENTRY_STATUS_NAMES[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="actions" style={{ alignSelf: "end" }}>
          <button type="submit" className="btn secondary">
            Lọc
          </button>
          <Link to=".">Bỏ lọc</Link>
        </div>
      </Form>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Danh sách hồ sơ đã nộp</caption>
          <thead>
            <tr>
              <th>Mã số</th>
              <th>Sản phẩm</th>
              <th>Cơ sở</th>
              <th>Tỉnh/thành phố</th>
              <th>Nhóm</th>
              <th>Trạng thái</th>
              <th>Nộp lúc</th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  Không có hồ sơ nào khớp.
                </td>
              </tr>
            ) : null}
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{e.code ?? "—"}</td>
                <td>
                  <Link to={`/organizer/rounds/${round.slug}/screening/${e.id}`}>{e.productName}</Link>
                  {e.duplicateOf ? (
                    <div>
                      <span className="badge warn" title="Cùng cơ sở, tên sản phẩm gần giống">
                        Có thể trùng với {e.duplicateOf}
                      </span>
                    </div>
                  ) : null}
                </td>
                <td>{e.facilityName}</td>
                <td>
                  {e.provinceName}
                  {e.legacyProvinceName && e.legacyProvinceName !== e.provinceName ? <span className="muted"> ({e.legacyProvinceName} cũ)</span> : null}
                </td>
                <td>{e.groupNo}</td>
                <td>
                  <span className={`badge ${BADGE[e.status] ?? ""}`}>{ENTRY_STATUS_NAMES[e.status]}</span>
                </td>
                <td>{formatDateTime(e.submittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
