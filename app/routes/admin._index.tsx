import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { requirePermission } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Quản trị — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "user:manage");
  return json({ fullName: user.fullName });
}

export default function AdminHome() {
  const { fullName } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Quản trị hệ thống</h1>
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
            <Link to="/admin/outbox">Thư đi, tài khoản bị khóa, mời cán bộ</Link>
          </li>
          <li>
            <Link to="/admin/indicators">Danh mục chỉ tiêu khuyến công</Link>
          </li>
        </ul>
      </div>
    </>
  );
}
