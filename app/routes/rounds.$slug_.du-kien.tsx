import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FormFeedback } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { langFromPath } from "~/i18n/config";
import { requestT } from "~/i18n/i18next.server";
import { useFormat, useLang, useLocalePath, useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import {
  COMPLAINT_MAX,
  COMPLAINT_STATUS_NAMES,
  FOLLOW_UP_NAMES,
  RESCREEN_OUTCOME_NAMES,
  STAGE_NAMES,
} from "~/models/council/session-rules";
import { fileComplaint, provisionalList, requestComplaintByEmail } from "~/models/results/complaint.server";
import { publicComplaints, publicRoundInfo } from "~/models/round/public.server";
import { getUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";
import { clientIp, withFormErrors } from "~/utils/http.server";
import { redirectWithToast } from "~/utils/toast.server";
import { filesOf, readUploadForm } from "~/utils/uploads.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [{ title: t("provisional.metaTitle", { title: data?.round.title ?? t("common.titleSuffix") }) }];
};

/** The provisional list (công khai kết quả dự kiến), the complaints and, while the window is open, the complaint form. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const info = await publicRoundInfo(params.slug ?? "");
  if (!info || !info.provisional) throw new Response((await requestT(request))("provisional.notFound"), { status: 404 });
  const [list, complaints, user] = await Promise.all([provisionalList(info.id), publicComplaints(info.id), getUser(request)]);
  const { id: _id, ...round } = info;
  return json({ round, entries: list?.entries ?? [], complaints, signedIn: !!user, verified: !!user?.emailVerified });
}

/**
 * A complaint: a signed-in account with a verified e-mail files it at once; anyone else gives an
 * e-mail address and the complaint is recorded only when the link mailed there is followed.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const info = await publicRoundInfo(params.slug ?? "");
  if (!info?.provisional) throw new Response("Đợt bình chọn này chưa công khai kết quả dự kiến.", { status: 404 });
  const user = await getUser(request);
  return withFormErrors(async () => {
    const form = await readUploadForm(request);
    const [pdf] = await filesOf(form, "pdf");
    const about = String(form.get("about") ?? "entry");
    const complaint = {
      roundId: info.id,
      entryCode: about === "process" ? null : String(form.get("entryCode") ?? "").trim() || null,
      body: String(form.get("body") ?? ""),
      pdf: pdf ?? null,
      client: clientIp(context) ?? null,
    };
    if (user?.emailVerified) {
      const c = await fileComplaint({ ...complaint, userId: user.id });
      return redirectWithToast(`/khieu-nai/${c.code}`, { message: `Đã nhận khiếu nại ${c.code}.` });
    }
    const email = String(form.get("email") ?? "");
    const r = await requestComplaintByEmail({ ...complaint, email });
    return redirectWithToast(new URL(request.url).pathname, {
      message: `Đã gửi thư tới ${email.trim().toLowerCase()}. Mở liên kết trong thư trước ${formatDateTime(r.expiresAt)} và bấm xác nhận: khiếu nại chỉ được ghi nhận khi đó.`,
    });
  });
}

export default function ProvisionalPage() {
  const { round, entries, complaints, signedIn, verified } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = (result && "fields" in result ? result.fields : {}) as Record<string, string>;
  const t = useT();
  const lp = useLocalePath();
  const f = useFormat();
  const vi = useLang() === "vi" ? undefined : "vi";
  return (
    <>
      <h1>{round.title}</h1>
      <p>
        {t("provisional.stage")} <strong>{vi ? t(`provisional.stages.${round.stage}`) : STAGE_NAMES[round.stage]}</strong>
        {round.council
          ? t("provisional.council", { date: f.date(round.council.sessionDate), present: round.council.membersPresent, total: round.council.membersTotal })
          : ""}
        .
      </p>
      {round.stage === "published" ? (
        <p>
          {t("provisional.published")} <Link to={lp(`/rounds/${round.slug}`)}>{t("provisional.publishedLink")}</Link>.
        </p>
      ) : null}
      {round.windowOpen ? (
        <section className="card" aria-labelledby="provisional">
          <h2 id="provisional">{t("provisional.title", { n: entries.length })}</h2>
          <p>
            {t("provisional.publishedOn", { date: f.dateTime(round.provisional!.publishedAt) })} <strong>{f.dateTime(round.provisional!.complaintsCloseAt)}</strong>{" "}
            {t("provisional.days", { n: round.provisional!.complaintDays })}
          </p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>{t("provisional.rank")}</th>
                  <th>{t("provisional.code")}</th>
                  <th>{t("provisional.product")}</th>
                  <th>{t("provisional.facility")}</th>
                  <th>{t("provisional.mean")}</th>
                  <th>{t("provisional.votes")}</th>
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
                    <td>{e.meanScore == null ? "—" : f.number(e.meanScore, 2)}</td>
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
        <p>{t("provisional.closed")}</p>
      ) : null}
      {round.windowOpen ? (
        <section className="card" aria-labelledby="complain" lang={vi}>
          <h2 id="complain">{t("provisional.complain")}</h2>
          {vi ? (
            <p className="hint" lang="en">
              {t("provisional.complainVietnamese")}
            </p>
          ) : null}
          <FormFeedback result={result} />
          {!signedIn ? (
            <p>
              <Link to={`/login?redirectTo=/rounds/${round.slug}/du-kien`}>Đăng nhập</Link> để gửi bằng tài khoản, hoặc gửi bằng
              địa chỉ email: khiếu nại được ghi nhận khi bạn mở liên kết xác nhận gửi tới email đó.
            </p>
          ) : !verified ? (
            <p>
              Tài khoản chưa xác minh email: nhập địa chỉ email bên dưới, khiếu nại được ghi nhận khi bạn mở liên kết xác nhận gửi
              tới đó.
            </p>
          ) : null}
          <Form method="post" encType="multipart/form-data" className="stack">
            {verified ? null : (
              <Field
                name="email"
                label="Email của bạn"
                type="email"
                autoComplete="email"
                error={fields.email}
                hint="Liên kết xác nhận (dùng một lần, trong 24 giờ) gửi tới địa chỉ này."
              />
            )}
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
        </section>
      ) : null}
      <section className="card" aria-labelledby="complaints">
        <h2 id="complaints">{t("provisional.complaints", { n: complaints.length })}</h2>
        {complaints.length ? (
          <ul>
            {complaints.map((c) => (
              <li key={c.code} lang={vi}>
                {c.code} – về {c.subject} – {COMPLAINT_STATUS_NAMES[c.status]}
                {c.resolution ? `: ${c.resolution.text} (${c.resolution.followUp ? FOLLOW_UP_NAMES[c.resolution.followUp] : ""})` : ""}
                {c.resolution?.rescreen
                  ? `. Thẩm định lại: ${RESCREEN_OUTCOME_NAMES[c.resolution.rescreen.outcome]} – ${c.resolution.rescreen.note}`
                  : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("provisional.noComplaints")}</p>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <ProvisionalNotFound />;
}

function ProvisionalNotFound() {
  return <p>{useT()("provisional.notFoundList")}</p>;
}

