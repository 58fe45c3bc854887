import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Ban tổ chức — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer");
  return json({ fullName: user.fullName });
}

export default function RoleHome() {
  const { fullName } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Ban tổ chức</h1>
      <div className="card">
        <p>Xin chào, {fullName}.</p>
        <p>Quản lý đợt bình chọn, thẩm định hồ sơ, hội đồng, kết quả và công bố.</p>
      </div>
    </>
  );
}
