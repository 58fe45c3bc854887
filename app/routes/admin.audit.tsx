import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { DATE_HINT } from "~/components/FormField";
import { AUDIT_ACTION_GROUPS, AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, auditActionLabel, auditEntityLabel } from "~/models/shared/audit-labels";
import { type AuditFilter, listAuditEvents } from "~/models/shared/audit.server";
import { AuditFilterSchema } from "~/schemas/audit";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Nhật ký thao tác — CNNT Tiêu biểu" }];

const PAGE = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit:view");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = AuditFilterSchema.safeParse(params);
  const filter: AuditFilter & { page: number } = parsed.success ? parsed.data : { page: 1 };
  const events = await listAuditEvents(filter, { limit: PAGE + 1, offset: (filter.page - 1) * PAGE });
  return json({
    filter,
    invalid: parsed.success ? null : "Bộ lọc không hợp lệ nên đã được bỏ qua.",
    events: events.slice(0, PAGE).map((e) => ({ ...e, before: JSON.stringify(e.before), after: JSON.stringify(e.after) })),
    more: events.length > PAGE,
  });
}

const actionKnown = (action: string) => !!AUDIT_ACTION_LABELS[action] || AUDIT_ACTION_GROUPS.some((g) => g.prefix === action);

export default function AuditLog() {
  const { filter, events, more, invalid } = useLoaderData<typeof loader>();
  const query = new URLSearchParams(Object.entries(filter).filter(([k, v]) => v && k !== "page") as [string, string][]);
  return (
    <>
      <h1>Nhật ký thao tác</h1>
      {invalid ? <div className="alert info">{invalid}</div> : null}
      <Form method="get" className="card grid cols-3">
        <div>
          <label htmlFor="action">Thao tác</label>
          <select id="action" name="action" defaultValue={filter.action ?? ""}>
            <option value="">Tất cả thao tác</option>
            {AUDIT_ACTION_GROUPS.map((g) => (
              <optgroup key={g.prefix} label={g.label}>
                <option value={g.prefix}>{g.label}: mọi thao tác</option>
                {Object.entries(AUDIT_ACTION_LABELS)
                  .filter(([code]) => code.startsWith(g.prefix))
                  .map(([code, label]) => (
                    <option key={code} value={code}>
                      {label}
                    </option>
                  ))}
              </optgroup>
            ))}
            {filter.action && !actionKnown(filter.action) ? <option value={filter.action}>Bắt đầu bằng “{filter.action}”</option> : null}
          </select>
        </div>
        <div>
          <label htmlFor="entity">Đối tượng</label>
          <select id="entity" name="entity" defaultValue={filter.entity ?? ""}>
            <option value="">Tất cả đối tượng</option>
            {Object.entries(AUDIT_ENTITY_LABELS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
            {filter.entity && !AUDIT_ENTITY_LABELS[filter.entity] ? <option value={filter.entity}>{filter.entity}</option> : null}
          </select>
        </div>
        <div>
          <label htmlFor="entityId">Mã đối tượng</label>
          <input id="entityId" name="entityId" type="text" defaultValue={filter.entityId ?? ""} placeholder="ví dụ: số hiệu giấy chứng nhận, mã hồ sơ" />
        </div>
        <div>
          <label htmlFor="actor">Người thực hiện (email)</label>
          <input id="actor" name="actor" type="text" defaultValue={filter.actor ?? ""} placeholder="ví dụ: ministry@demo.cnnt.vn" />
        </div>
        <div>
          <label htmlFor="from">Từ ngày</label>
          <input id="from" name="from" type="date" defaultValue={filter.from ?? ""} aria-describedby="date-hint" />
        </div>
        <div>
          <label htmlFor="to">Đến ngày</label>
          <input id="to" name="to" type="date" defaultValue={filter.to ?? ""} aria-describedby="date-hint" />
        </div>
        <p className="hint" id="date-hint">
          {DATE_HINT}
        </p>
        <div className="actions">
          <button className="btn" type="submit">
            Lọc
          </button>
          <a className="btn secondary" href={`/admin/audit.csv?${query}`} download>
            Xuất CSV
          </a>
        </div>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Thời điểm</th>
              <th scope="col">Người thực hiện</th>
              <th scope="col">Thao tác</th>
              <th scope="col">Đối tượng</th>
              <th scope="col">Trước / sau</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.actor_email ?? e.actor_id ?? "hệ thống"}</td>
                <td>
                  {auditActionLabel(e.action)}
                  <br />
                  <code className="muted">{e.action}</code>
                </td>
                <td>
                  {auditEntityLabel(e.entity)} #{e.entity_id}
                </td>
                <td>
                  <details>
                    <summary>Chi tiết</summary>
                    <pre style={{ whiteSpace: "pre-wrap", maxWidth: "40rem" }}>
                      {e.before !== "null" ? `Trước: ${e.before}\n` : ""}
                      {e.after !== "null" ? `Sau: ${e.after}` : ""}
                    </pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="actions">
        {filter.page > 1 ? <Link to={`?${query}&page=${filter.page - 1}`}>← Trang trước</Link> : null}
        {more ? <Link to={`?${query}&page=${filter.page + 1}`}>Trang sau →</Link> : null}
      </p>
    </>
  );
}
