import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FormFeedback } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { COMPLAINT_MAX, COMPLAINT_STATUS_NAMES, FOLLOW_UP_NAMES, STAGE_NAMES } from "~/models/council/session-rules";
import { fileComplaint, provisionalList } from "~/models/results/complaint.server";
import { publicComplaints, publicRoundInfo } from "~/models/round/public.server";
import { getUser, requireUser } from "~/utils/auth.server";
import { formatDate, formatDateTime, formatNumber } from "~/utils/format";
import { clientIp, withFormErrors } from "~/utils/http.server";
import { redirectWithToast } from "~/utils/toast.server";
import { filesOf, readUploadForm } from "~/utils/uploads.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Kết quả dự kiến — ${data?.round.title ?? "CNNT Tiêu biểu"}` }];

/** The provisional list (công khai kết quả dự kiến), the complaints and, while the window is open, the complaint form. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const info = await publicRoundInfo(params.slug ?? "");
  if (!info || !info.provisional) throw new Response("Đợt bình chọn này chưa công khai kết quả dự kiến.", { status: 404 });
  const [list, complaints, user] = await Promise.all([provisionalList(info.id), publicComplaints(info.id), getUser(request)]);
  const { id: _id, ...round } = info;
  return json({ round, entries: list?.entries ?? [], complaints, signedIn: !!user, verified: !!user?.emailVerified });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const info = await publicRoundInfo(params.slug ?? "");
  if (!info?.provisional) throw new Response("Đợt bình chọn này chưa công khai kết quả dự kiến.", { status: 404 });
  return withFormErrors(async () => {
    const form = await readUploadForm(request);
    const [pdf] = await filesOf(form, "pdf");
    const about = String(form.get("about") ?? "entry");
    const c = await fileComplaint({
      roundId: info.id,
      userId: user.id,
      entryCode: about === "process" ? null : String(form.get("entryCode") ?? "").trim() || null,
      body: String(form.get("body") ?? ""),
      pdf: pdf ?? null,
      client: clientIp(context) ?? null,
    });
    return redirectWithToast(`/khieu-nai/${c.code}`, { message: `Đã nhận khiếu nại ${c.code}.` });
  });
}

export default function ProvisionalPage() {
  const { round, entries, complaints, signedIn, verified } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = (result && "fields" in result ? result.fields : {}) as Record<string, string>;
  return (
    <>
      <h1>{round.title}</h1>
      <p>
        Giai đoạn: <strong>{STAGE_NAMES[round.stage]}</strong>
        {round.council ? `. Hội đồng bình chọn họp ngày ${formatDate(round.council.sessionDate)}, có mặt ${round.council.membersPresent}/${round.council.membersTotal} thành viên` : ""}.
      </p>
      {round.stage === "published" ? (
        <p>
          Kết quả đã được công bố: <Link to={`/rounds/${round.slug}`}>danh sách sản phẩm được công nhận</Link>.
        </p>
      ) : null}
      {round.windowOpen ? (
        <section className="card" aria-labelledby="provisional">
          <h2 id="provisional">Kết quả dự kiến ({entries.length} sản phẩm)</h2>
          <p>
            Công khai ngày {formatDateTime(round.provisional!.publishedAt)}. Nhận khiếu nại đến <strong>{formatDateTime(round.provisional!.complaintsCloseAt)}</strong>{" "}
            ({round.provisional!.complaintDays} ngày; thời hạn do đơn vị tổ chức đặt, quy định chính thức chưa được xác nhận).
          </p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>Hạng</th>
                  <th>Mã hồ sơ</th>
                  <th>Sản phẩm</th>
                  <th>Cơ sở</th>
                  <th>Điểm TB của BGK</th>
                  <th>Biểu quyết (đồng ý/không)</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.entryId}>
                    <td>{e.rank}</td>
                    <td>{e.entryCode}</td>
                    <td>{e.productName}</td>
                    <td>
                      {e.facilityName}
                      {e.provinceName ? `, ${e.provinceName}` : ""}
                    </td>
                    <td>{e.meanScore == null ? "—" : formatNumber(e.meanScore, 2)}</td>
                    <td>
                      {e.votes.agree}/{e.votes.disagree}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : round.stage === "provisional" ? (
        <p>Đã hết thời hạn khiếu nại; đang chờ quyết định công nhận.</p>
      ) : null}
      {round.windowOpen ? (
        <section className="card" aria-labelledby="complain">
          <h2 id="complain">Gửi khiếu nại, kiến nghị</h2>
          <FormFeedback result={result} />
          {!signedIn ? (
            <p>
              <Link to={`/login?redirectTo=/rounds/${round.slug}/du-kien`}>Đăng nhập</Link> bằng tài khoản đã xác minh email để gửi khiếu nại.
            </p>
          ) : !verified ? (
            <p>Xác minh địa chỉ email của tài khoản trước khi gửi khiếu nại.</p>
          ) : (
            <Form method="post" encType="multipart/form-data" className="stack">
              <fieldset>
                <legend>Khiếu nại về</legend>
                <label>
                  <input type="radio" name="about" value="entry" defaultChecked /> một hồ sơ
                </label>{" "}
                <label>
                  <input type="radio" name="about" value="process" /> quy trình bình chọn
                </label>
              </fieldset>
              <Field name="entryCode" label="Mã hồ sơ (nếu khiếu nại về một hồ sơ)" error={fields.entryCode} hint="Ví dụ BAC16-042" />
              <Field name="body" label="Nội dung" error={fields.body} hint={`Từ 20 đến ${COMPLAINT_MAX} ký tự.`}>
                <textarea id="f-body" name="body" rows={6} maxLength={COMPLAINT_MAX + 100} aria-invalid={fields.body ? true : undefined} />
              </Field>
              <Field name="pdf" label="Tài liệu kèm theo (PDF, không bắt buộc)" error={fields.pdf}>
                <input id="f-pdf" name="pdf" type="file" accept="application/pdf" />
              </Field>
              <p>
                <button className="btn" type="submit">
                  Gửi khiếu nại
                </button>
              </p>
            </Form>
          )}
        </section>
      ) : null}
      <section className="card" aria-labelledby="complaints">
        <h2 id="complaints">Khiếu nại đã nhận ({complaints.length})</h2>
        {complaints.length ? (
          <ul>
            {complaints.map((c) => (
              <li key={c.code}>
                {c.code} – về {c.subject} – {COMPLAINT_STATUS_NAMES[c.status]}
                {c.resolution ? `: ${c.resolution.text} (${c.resolution.followUp ? FOLLOW_UP_NAMES[c.resolution.followUp] : ""})` : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Chưa có khiếu nại.</p>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <p>Không tìm thấy kết quả dự kiến của đợt bình chọn này.</p>;
}

