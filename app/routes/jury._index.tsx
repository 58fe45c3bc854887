import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { secretaryRounds } from "~/models/council/bodies.server";
import { isScoringStage, STATUS_NAMES } from "~/models/round/rules";
import { jurorQueue } from "~/models/scoring/scoring.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime, formatNumber } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Chấm điểm — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "score:entry");
  const [rounds, secretary] = await Promise.all([jurorQueue({ jurorId: user.id }), secretaryRounds(user.id)]);
  return json({
    fullName: user.fullName,
    secretary: secretary.filter((r) => r.status === "deliberation").map((r) => ({ slug: r.slug, title: r.title })),
    rounds: rounds.map((r) => ({ ...r, statusName: STATUS_NAMES[r.status as keyof typeof STATUS_NAMES], canScore: isScoringStage(r) })),
  });
}

export default function JuryQueue() {
  const { fullName, rounds, secretary } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Chấm điểm</h1>
      <p>Xin chào, {fullName}.</p>
      {secretary.length ? (
        <section className="card" aria-labelledby="secretary">
          <h2 id="secretary">Thư ký Hội đồng bình chọn</h2>
          <ul>
            {secretary.map((r) => (
              <li key={r.slug}>
                <Link to={`/council/${r.slug}`}>Phiên họp hội đồng: {r.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {rounds.length === 0 ? <div className="card">Hiện chưa có sản phẩm nào được phân công cho bạn chấm điểm.</div> : null}
      {rounds.map((r) => (
        <section key={r.id} className="card" aria-labelledby={`r-${r.id}`}>
          <h2 id={`r-${r.id}`}>{r.title}</h2>
          <p>
            {r.statusName} · hạn chấm {formatDateTime(r.scoringClosesAt)} · đã nộp <strong>{r.submitted}</strong>/
            {r.entries.length} phiếu
          </p>
          <progress max={r.entries.length} value={r.submitted} aria-label="Tiến độ chấm" style={{ width: "100%" }} />
          {r.canScore ? (
            <EntryTable entries={r.entries} />
          ) : (
            <details>
              <summary>Xem {r.entries.length} phiếu đã chấm</summary>
              <EntryTable entries={r.entries} />
            </details>
          )}
        </section>
      ))}
    </>
  );
}

type QueueEntry = {
  entryId: number;
  code: string | null;
  productName: string;
  groupNo: number;
  sheetStatus: string | null;
  total: string | null;
};

function EntryTable({ entries }: { entries: QueueEntry[] }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Mã số</th>
            <th scope="col">Sản phẩm</th>
            <th scope="col" className="num">
              Nhóm
            </th>
            <th scope="col">Phiếu chấm</th>
            <th scope="col" className="num">
              Tổng điểm
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.entryId}>
              <td>{e.code}</td>
              <td>
                <Link to={`/jury/entries/${e.entryId}`}>{e.productName}</Link>
              </td>
              <td className="num">{e.groupNo}</td>
              <td>
                {e.sheetStatus === "submitted" ? (
                  <span className="badge ok">Đã nộp</span>
                ) : e.sheetStatus === "draft" ? (
                  <span className="badge warn">Bản nháp</span>
                ) : (
                  <span className="badge">Chưa chấm</span>
                )}
              </td>
              <td className="num">{e.sheetStatus ? formatNumber(Number(e.total), 1) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
