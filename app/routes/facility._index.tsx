import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Cơ sở của tôi — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "facility");
  return json({ fullName: user.fullName });
}

export default function RoleHome() {
  const { fullName } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Cơ sở của tôi</h1>
      <div className="card">
        <p>Xin chào, {fullName}.</p>
        <p>Tại đây bạn đăng ký thông tin cơ sở, quản lý sản phẩm và nộp hồ sơ tham gia các đợt bình chọn đang mở.</p>
      </div>
    </>
  );
}
