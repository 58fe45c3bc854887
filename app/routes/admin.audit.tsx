import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { DATE_HINT } from "~/components/FormField";
import { type AuditFilter, listAuditEvents } from "~/models/audit.server";
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

export default function AuditLog() {
  const { filter, events, more, invalid } = useLoaderData<typeof loader>();
  const query = new URLSearchParams(Object.entries(filter).filter(([k, v]) => v && k !== "page") as [string, string][]);
  return (
    <>
      <h1>Nhật ký thao tác</h1>
      {invalid ? <div className="alert info">{invalid}</div> : null}
      <Form method="get" className="card grid cols-3">
        <div>
          <label htmlFor="action">Thao tác (bắt đầu bằng)</label>
          <input id="action" name="action" type="text" defaultValue={filter.action ?? ""} placeholder="ví dụ: score." />
        </div>
        <div>
          <label htmlFor="entity">Đối tượng</label>
          <input id="entity" name="entity" type="text" defaultValue={filter.entity ?? ""} placeholder="round, entry, certificate…" />
        </div>
        <div>
          <label htmlFor="entityId">Mã đối tượng</label>
          <input id="entityId" name="entityId" type="text" defaultValue={filter.entityId ?? ""} />
        </div>
        <div>
          <label htmlFor="actor">Người thực hiện (email)</label>
          <input id="actor" name="actor" type="text" defaultValue={filter.actor ?? ""} />
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
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.entity} #{e.entity_id}
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
