import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Chấm điểm — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "juror");
  return json({ fullName: user.fullName });
}

export default function RoleHome() {
  const { fullName } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Chấm điểm</h1>
      <div className="card">
        <p>Xin chào, {fullName}.</p>
        <p>Danh sách sản phẩm được phân công cho bạn chấm điểm sẽ hiển thị tại đây.</p>
      </div>
    </>
  );
}
