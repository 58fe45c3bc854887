import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { listRoundsInScope, roundProgress } from "~/models/round/round.server";
import { LEVEL_NAMES, STATUS_NAMES } from "~/models/round/rules";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Ban tổ chức — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "round:manage");
  const list = await listRoundsInScope({ roles: user.roles });
  const rounds = await Promise.all(
    list.map(async (r) => {
      const p = await roundProgress(r.id);
      const entryCount = Object.entries(p.counts)
        .filter(([s]) => s !== "draft")
        .reduce((s, [, n]) => s + n, 0);
      return {
        slug: r.slug,
        title: r.title,
        level: LEVEL_NAMES[r.level],
        year: r.year,
        status: STATUS_NAMES[r.status],
        registrationClosesAt: r.registrationClosesAt,
        entryCount,
        selected: p.counts.selected ?? 0,
      };
    }),
  );
  return json({ fullName: user.fullName, rounds });
}

export default function OrganizerHome() {
  const { fullName, rounds } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Ban tổ chức</h1>
      <p>Xin chào, {fullName}. Các đợt bình chọn trong phạm vi được giao:</p>
      <p>
        <Link className="btn" to="/organizer/rounds/new">
          Tạo đợt bình chọn
        </Link>
      </p>
      {rounds.length === 0 ? (
        <div className="card">Chưa có đợt bình chọn nào trong phạm vi của bạn.</div>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Đợt bình chọn</th>
                <th scope="col">Cấp</th>
                <th scope="col" className="num">
                  Năm
                </th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Hạn nộp hồ sơ</th>
                <th scope="col" className="num">
                  Hồ sơ
                </th>
                <th scope="col" className="num">
                  Được công nhận
                </th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((r) => (
                <tr key={r.slug}>
                  <td>
                    <Link to={`/organizer/rounds/${r.slug}`}>{r.title}</Link>
                  </td>
                  <td>{r.level}</td>
                  <td className="num">{r.year}</td>
                  <td>
                    <span className="badge">{r.status}</span>
                  </td>
                  <td>{formatDateTime(r.registrationClosesAt)}</td>
                  <td className="num">{r.entryCount}</td>
                  <td className="num">{r.selected}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
