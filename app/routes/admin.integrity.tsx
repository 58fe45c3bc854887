import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";

import { checkIntegrity } from "~/models/results/integrity.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Kiểm tra toàn vẹn — CNNT Tiêu biểu" }];

/** Every finalised round with its stored and recomputed result hash (issue 13). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "audit:view");
  const rows = await checkIntegrity({ actorId: user.id, source: "admin" });
  return json({ rows });
}

export default function Integrity() {
  const { rows } = useLoaderData<typeof loader>();
  const bad = rows.filter((r) => !r.ok);
  return (
    <>
      <h1>Kiểm tra toàn vẹn</h1>
      <p>
        Mã băm SHA-256 của bảng điểm cuối được lưu khi chốt kết quả. Trang này tính lại mã băm từ dữ liệu hiện có của từng đợt đã
        chốt; mọi sai lệch được ghi vào nhật ký thao tác. Hệ thống cũng kiểm tra mỗi ngày và khi công bố.
      </p>
      {bad.length ? (
        <div className="alert error" role="alert">
          {bad.length} đợt có mã băm không khớp: dữ liệu kết quả đã bị sửa ngoài ứng dụng. Đối chiếu với biên bản và báo ban tổ chức.
        </div>
      ) : (
        <div className="alert ok" role="status">
          {rows.length ? `Cả ${rows.length} đợt đã chốt đều khớp mã băm.` : "Chưa có đợt nào đã chốt kết quả."}
        </div>
      )}
      <Form method="get">
        <button className="btn secondary small" type="submit">
          Kiểm tra lại
        </button>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Đợt</th>
              <th scope="col">Chốt lúc</th>
              <th scope="col">Mã băm đã lưu</th>
              <th scope="col">Mã băm tính lại</th>
              <th scope="col">Kết quả</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.roundId}>
                <td>{r.title}</td>
                <td>{formatDateTime(r.finalisedAt)}</td>
                <td style={{ wordBreak: "break-all" }}>
                  <code>{r.stored || "—"}</code>
                </td>
                <td style={{ wordBreak: "break-all" }}>
                  <code>{r.recomputed}</code>
                </td>
                <td>{r.ok ? <span className="badge ok">Khớp</span> : <span className="badge bad">Không khớp</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
