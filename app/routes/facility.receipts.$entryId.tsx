/**
 * The producer's receipt of a submitted dossier, printable from the browser; the same receipt as a
 * PDF is at ./bien-nhan.pdf. Only members of the entry's facility (404 for anyone else).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { getEntryReceipt } from "~/models/entry/receipt.server";
import { ENTRY_STATUS_NAMES } from "~/schemas/dossier";
import { requireUser } from "~/utils/auth.server";
import { formatBytes, formatDateTime } from "~/utils/format";
import { orErrorPage } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Giấy biên nhận hồ sơ ${data?.receipt.code ?? ""} — CNNT Tiêu biểu` }];

const IdSchema = z.coerce.number().int().positive();

export function receiptEntryId(params: Record<string, string | undefined>) {
  const parsed = IdSchema.safeParse(params.entryId);
  if (!parsed.success) throw new Response("Không tìm thấy hồ sơ.", { status: 404 });
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const entryId = receiptEntryId(params);
  const receipt = await orErrorPage(() => getEntryReceipt({ userId: user.id, entryId }));
  return json({ receipt }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function Receipt() {
  const { receipt: r } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print">
        <Link to="/facility">← Cơ sở của tôi</Link>
      </p>
      <article className="card receipt" aria-labelledby="receipt-title">
        <h1 id="receipt-title">Giấy biên nhận hồ sơ</h1>
        <p className="hint">Tham gia bình chọn sản phẩm công nghiệp nông thôn tiêu biểu</p>
        <dl>
          <dt>Đợt bình chọn</dt>
          <dd>{r.roundTitle}</dd>
          <dt>Mã số bình chọn</dt>
          <dd>
            <strong data-testid="receipt-code">{r.code}</strong>
          </dd>
          <dt>Thời điểm nộp</dt>
          <dd data-testid="receipt-time">
            {formatDateTime(r.submittedAt)} (giờ Việt Nam)
          </dd>
          <dt>Trạng thái hiện tại</dt>
          <dd>{ENTRY_STATUS_NAMES[r.status as keyof typeof ENTRY_STATUS_NAMES] ?? r.status}</dd>
          <dt>Sản phẩm</dt>
          <dd>
            {r.productName} (nhóm {r.group})
          </dd>
          <dt>Cơ sở</dt>
          <dd>
            {r.facilityName}
            {r.facilityRegistrationNo ? ` (số đăng ký ${r.facilityRegistrationNo})` : ""}, {r.province}
          </dd>
        </dl>
        <h2>Thông tin đã khai</h2>
        <dl>
          {r.fields.map((f) => (
            <div key={f.label}>
              <dt>{f.label}</dt>
              <dd style={{ whiteSpace: "pre-line" }}>{f.value || "(để trống)"}</dd>
            </div>
          ))}
        </dl>
        <h2>Ảnh sản phẩm ({r.photos.length})</h2>
        <ol>
          {r.photos.map((p, i) => (
            <li key={i}>{p.name}</li>
          ))}
        </ol>
        <h2>Tài liệu ({r.documents.length})</h2>
        <ol>
          {r.documents.map((d, i) => (
            <li key={i}>
              {d.name} — {d.type}
              {d.sizeBytes ? ` (${formatBytes(d.sizeBytes)})` : ""}
              {d.sha256 ? (
                <>
                  <br />
                  <small className="hint" style={{ overflowWrap: "anywhere" }}>
                    SHA-256 của tệp: {d.sha256}
                  </small>
                </>
              ) : null}
            </li>
          ))}
        </ol>
        {r.lowerCertificate ? (
          <>
            <h2>Giấy chứng nhận cấp dưới</h2>
            <p>{r.lowerCertificate}</p>
          </>
        ) : null}
        <h2>Mã băm SHA-256 của hồ sơ đã nộp</h2>
        <p>
          <code data-testid="receipt-sha256" style={{ overflowWrap: "anywhere" }}>
            {r.snapshotSha256}
          </code>
        </p>
        <p className="hint">
          Mã băm tính trên bản ghi hồ sơ lưu tại hệ thống lúc nộp (JSON chuẩn hóa). Hội đồng chấm đúng bản hồ sơ này; nếu hồ sơ được nộp lại, hệ thống
          cấp giấy biên nhận mới với mã băm mới.
        </p>
      </article>
      <div className="actions no-print">
        <a className="btn" href={`/facility/receipts/${r.entryId}/bien-nhan.pdf`} download={`bien-nhan-${r.code}.pdf`}>
          Tải giấy biên nhận (PDF)
        </a>
        <button className="btn secondary" type="button" onClick={() => window.print()}>
          In trang này
        </button>
      </div>
    </>
  );
}
