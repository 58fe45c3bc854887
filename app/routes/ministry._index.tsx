import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Khen thưởng của Bộ Công Thương — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "ministry");
  return json({ fullName: user.fullName });
}

export default function RoleHome() {
  const { fullName } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Khen thưởng của Bộ Công Thương</h1>
      <div className="card">
        <p>Xin chào, {fullName}.</p>
        <p>Quản lý quyết định khen thưởng, danh sách tập thể, cá nhân và Bằng khen.</p>
      </div>
    </>
  );
}
