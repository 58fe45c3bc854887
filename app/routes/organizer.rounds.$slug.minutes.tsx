import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { RoundNav } from "~/components/RoundNav";
import { COUNCIL_ROLES } from "~/models/council/rules";
import { minutesData } from "~/models/results/results.server";
import { STATUS_NAMES } from "~/models/round/rules";
import { formatDate, formatDateTime, formatNumber } from "~/utils/format";
import { requireOrganizerRound } from "~/utils/round-guard.server";

export const meta: MetaFunction = () => [{ title: "Biên bản họp hội đồng — CNNT Tiêu biểu" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "results:view");
  const data = await minutesData(round.id);
  return json({ ...data, round: { ...data.round, statusName: STATUS_NAMES[data.round.status] } });
}

/** Printable minutes (biên bản): date, members present, entries scored, results, ties and their resolution. */
export default function Minutes() {
  const { round, entries, council, resolutions, resolvers, tie, certificateCount } = useLoaderData<typeof loader>();
  const scored = entries.filter((e) => e.n > 0);
  const selected = entries.filter((e) => e.selected);
  const passed = entries.filter((e) => e.passed);
  const byId = new Map(entries.map((e) => [e.entryId, e]));
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <p className="no-print">
        <button className="btn secondary small" type="button" onClick={() => window.print()}>
          In biên bản
        </button>{" "}
        <span className="hint">(hoặc dùng lệnh In của trình duyệt)</span>
      </p>
      <article className="card minutes">
        <p style={{ textAlign: "center", fontWeight: 700, margin: 0 }}>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
        <p style={{ textAlign: "center", margin: 0 }}>Độc lập – Tự do – Hạnh phúc</p>
        <h2 style={{ textAlign: "center" }}>BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN</h2>
        <p style={{ textAlign: "center" }}>{round.title}</p>
        <p>
          Cơ quan tổ chức: {round.authority}. Thời điểm lập:{" "}
          {round.finalisedAt ? formatDateTime(round.finalisedAt) : `${formatDateTime(new Date())} (kết quả chưa chốt)`}.
        </p>
        <h3>1. Thành phần hội đồng ({council.length} thành viên)</h3>
        <ol>
          {council.map((m) => (
            <li key={m.full_name}>
              {m.full_name}
              {m.title ? `, ${m.title}` : ""} – {COUNCIL_ROLES[m.role as keyof typeof COUNCIL_ROLES]}; số phiếu đã nộp: {m.sheets}
            </li>
          ))}
        </ol>
        <h3>2. Hồ sơ được chấm</h3>
        <p>
          Số hồ sơ đủ điều kiện được chấm: {entries.length}; có phiếu chấm: {scored.length}; đạt từ{" "}
          {formatNumber(Number(round.passMark), 0)} điểm trở lên: {passed.length}; được đề nghị công nhận:{" "}
          <strong>{selected.length}</strong>
          {round.quota ? ` (chỉ tiêu ${round.quota})` : ""}.
        </p>
        <h3>3. Kết quả</h3>
        {/* On a phone the results table scrolls inside the card instead of widening the page. */}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" className="num">
                  TT
                </th>
                <th scope="col">Mã số</th>
                <th scope="col">Sản phẩm</th>
                <th scope="col">Cơ sở, tỉnh</th>
                <th scope="col" className="num">
                  Số phiếu
                </th>
                <th scope="col" className="num">
                  Điểm TB
                </th>
                <th scope="col">Kết quả</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.entryId}>
                  <td className="num">{e.rank ?? "—"}</td>
                  <td>{e.code}</td>
                  <td>{e.productName}</td>
                  <td>
                    {e.facilityName}, {e.provinceName}
                  </td>
                  <td className="num">{e.n}</td>
                  <td className="num">{e.mean == null ? "—" : formatNumber(e.mean, 2)}</td>
                  <td>
                    {e.selected ? "Công nhận" : e.passed ? "Đạt, ngoài chỉ tiêu" : "Không đạt"}
                    {e.excludedNote ? <div className="hint">{e.excludedNote}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {entries.some((e) => e.excludedNote) ? (
          <>
            <h4>Phiếu không được tính</h4>
            <ul>
              {entries
                .filter((e) => e.excludedNote)
                .map((e) => (
                  <li key={e.entryId}>
                    {e.code} {e.productName}: {e.excludedNote}
                  </li>
                ))}
            </ul>
          </>
        ) : null}
        <h3>4. Trường hợp đồng điểm và quyết định của hội đồng</h3>
        {resolutions.length === 0 && !tie ? <p>Không có trường hợp đồng điểm tại ranh giới chỉ tiêu.</p> : null}
        {tie && !tie.resolution ? <p>Còn {tie.entryIds.length} sản phẩm đồng điểm chưa được hội đồng quyết định.</p> : null}
        <ul>
          {resolutions.map((r) => (
            <li key={r.id}>
              Đồng điểm giữa {r.tiedEntryIds.map((id) => byId.get(id)?.code ?? `#${id}`).join(", ")}; công nhận{" "}
              {r.selectedEntryIds.map((id) => byId.get(id)?.code ?? `#${id}`).join(", ")}. Lý do: {r.reason} (ghi nhận bởi{" "}
              {resolvers[r.recordedBy ?? ""] ?? "—"}, {formatDateTime(r.recordedAt)}).
            </li>
          ))}
        </ul>
        {round.decisionNo ? (
          <p>
            Kết quả được công nhận tại Quyết định số {round.decisionNo} ngày {formatDate(round.decisionDate)} (
            {round.decisionSigner}); đã cấp {certificateCount} giấy chứng nhận.
          </p>
        ) : null}
        {round.finalHash ? (
          <p className="hint" style={{ wordBreak: "break-all" }}>
            Mã băm SHA-256 của bảng điểm cuối: {round.finalHash}
          </p>
        ) : null}
        <div className="grid" style={{ gridTemplateColumns: "1fr 1fr", marginTop: "2rem", textAlign: "center" }}>
          <div>
            <strong>THƯ KÝ HỘI ĐỒNG</strong>
            <p className="hint">(Ký, ghi rõ họ tên)</p>
          </div>
          <div>
            <strong>CHỦ TỊCH HỘI ĐỒNG</strong>
            <p className="hint">(Ký, ghi rõ họ tên)</p>
          </div>
        </div>
      </article>
    </>
  );
}
