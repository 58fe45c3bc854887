import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { requirePermission } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { formatDateTime } from "~/utils/format";
import { foreignHosts, noteRequestHost } from "~/utils/public-url.server";

export const meta: MetaFunction = () => [{ title: "Quản trị — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "user:manage");
  // This request's own host counts too (the admin may be the first to arrive on another address).
  noteRequestHost(request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? undefined);
  return json({ fullName: user.fullName, publicUrl: env().PUBLIC_URL, foreignHosts: foreignHosts() });
}

export default function AdminHome() {
  const { fullName, publicUrl, foreignHosts: hosts } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Quản trị hệ thống</h1>
      {hosts.length > 0 && (
        <div className="alert error" role="alert" data-testid="public-url-warning">
          <p>
            Có người truy cập hệ thống qua địa chỉ khác với <code>PUBLIC_URL</code> ({publicUrl}). Mã QR và dòng “Kiểm tra tại …” trên giấy
            chứng nhận luôn dùng <code>PUBLIC_URL</code>, nên sẽ trỏ sai nếu đây là địa chỉ người dùng thật sự dùng. Hãy đặt biến môi trường{" "}
            <code>PUBLIC_URL</code> cho đúng rồi khởi động lại máy chủ.
          </p>
          <ul>
            {hosts.map((h) => (
              <li key={h.host}>
                {h.host} — lần đầu {formatDateTime(h.first)}, {h.count} yêu cầu
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="card">
        <p>Xin chào, {fullName}.</p>
        <ul>
          <li>
            <Link to="/admin/users">Tài khoản và vai trò</Link>
          </li>
          <li>
            <Link to="/admin/audit">Nhật ký thao tác</Link>
          </li>
          <li>
            <Link to="/admin/integrity">Kiểm tra toàn vẹn</Link>
          </li>
          <li>
            <Link to="/admin/outbox">Thư đi, tài khoản bị khóa, mời cán bộ</Link>
          </li>
          <li>
            <Link to="/admin/indicators">Danh mục chỉ tiêu khuyến công</Link>
          </li>
          <li>
            <Link to="/admin/provinces">Tỉnh, thành phố từ 01/7/2025: khu vực, thành phố trực thuộc trung ương</Link>
          </li>
        </ul>
      </div>
    </>
  );
}
