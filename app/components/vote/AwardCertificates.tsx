/**
 * The organiser's card of the people's-choice award once the counts are frozen: each most-voted product
 * (ties: each of them) with a button that issues its certificate, or the certificate issued. Optional:
 * nothing is issued unless the button is pressed.
 */
import { Form, Link } from "@remix-run/react";

import { formatNumber } from "~/utils/format";

export interface AwardWinner {
  entryId: number;
  entryCode: string;
  productName: string;
  votes: number;
  certificate: { serial: string; code: string; status: "valid" | "expired" | "revoked" } | null;
}

export function AwardCertificates({ awardName, winners }: { awardName: string; winners: AwardWinner[] }) {
  return (
    <section className="card" aria-labelledby="vote-award">
      <h3 id="vote-award">Danh hiệu “{awardName}”</h3>
      <p>
        Có thể cấp giấy chứng nhận “{awardName}” cho sản phẩm có nhiều phiếu được tính nhất (các sản phẩm bằng phiếu nhau đều được
        cấp). Giấy chứng nhận ghi rõ thời gian bình chọn, số phiếu và mã SHA-256 của kết quả đã chốt; chỉ mang tính tham khảo,
        không phải giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu.
      </p>
      {winners.length ? (
        <ul className="stack">
          {winners.map((w) => (
            <li key={w.entryId}>
              <p>
                <strong>{w.productName}</strong> ({w.entryCode}) — {formatNumber(w.votes)} phiếu được tính.
              </p>
              {w.certificate ? (
                <p className="actions">
                  <span>
                    Đã cấp giấy chứng nhận số <strong>{w.certificate.serial}</strong>
                    {w.certificate.status === "revoked" ? " (đã thu hồi)" : ""}.
                  </span>
                  <a href={`/certificates/${w.certificate.serial}.pdf`}>Tải PDF</a>
                  <Link to={`/verify/${w.certificate.code}`}>Trang tra cứu</Link>
                </p>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="favourite" />
                  <input type="hidden" name="entryId" value={w.entryId} />
                  <button type="submit" className="btn">
                    Cấp giấy chứng nhận cho “{w.productName}”
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Không có phiếu nào được tính: không có sản phẩm nhận danh hiệu.</p>
      )}
    </section>
  );
}
