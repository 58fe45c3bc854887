import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { COMPLAINT_STATUS_NAMES, FOLLOW_UP_NAMES } from "~/models/council/session-rules";
import { complaintReceipt } from "~/models/results/complaint.server";
import { getUser, requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";
import { orErrorPage } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Giấy biên nhận khiếu nại — CNNT Tiêu biểu" }];

/**
 * The receipt of a complaint: for the account that filed it, or with the receipt key mailed after a
 * complaint by e-mail was confirmed (404 for anyone else; without a key, sign in first).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const key = new URL(request.url).searchParams.get("key");
  const user = key ? await getUser(request) : await requireUser(request);
  const c = await orErrorPage(() => complaintReceipt({ code: params.code ?? "", userId: user?.id ?? null, key }));
  const headers = { "Cache-Control": "private, no-store" };
  return json(
    {
      code: c.code,
      subject: c.subject,
      roundTitle: c.roundTitle,
      roundSlug: c.roundSlug,
      filedAt: c.filedAt,
      body: c.body,
      pdfName: c.pdfName,
      pdfSha256: c.pdfSha256,
      status: c.status,
      resolution: c.resolution,
      followUp: c.followUp,
    },
    { headers },
  );
}

export default function ComplaintReceipt() {
  const c = useLoaderData<typeof loader>();
  return (
    <article className="card">
      <h1>Giấy biên nhận khiếu nại</h1>
      <dl>
        <dt>Mã khiếu nại</dt>
        <dd>
          <strong>{c.code}</strong>
        </dd>
        <dt>Đợt bình chọn</dt>
        <dd>
          <Link to={`/rounds/${c.roundSlug}/du-kien`}>{c.roundTitle}</Link>
        </dd>
        <dt>Về</dt>
        <dd>{c.subject}</dd>
        <dt>Thời điểm nhận</dt>
        <dd>{formatDateTime(c.filedAt)}</dd>
        <dt>Nội dung</dt>
        <dd style={{ whiteSpace: "pre-wrap" }}>{c.body}</dd>
        {c.pdfName ? (
          <>
            <dt>Tài liệu kèm theo</dt>
            <dd>
              {c.pdfName} (SHA-256 {c.pdfSha256})
            </dd>
          </>
        ) : null}
        <dt>Tình trạng</dt>
        <dd>
          {COMPLAINT_STATUS_NAMES[c.status]}
          {c.resolution ? `: ${c.resolution} (${c.followUp ? FOLLOW_UP_NAMES[c.followUp] : ""})` : ""}
        </dd>
      </dl>
    </article>
  );
}
