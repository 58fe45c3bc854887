import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { DecisionForm, JobProgress } from "~/components/CommendationParts";
import { ConfirmForm, ConfirmStep } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { nameWithHonorific } from "~/models/certificate/document-rules";
import { addRecipients, getDecision, issueDecision, removeRecipient, revokeRecipient, updateDecision } from "~/models/commendation/commendation.server";
import { importRecipients, MAX_IMPORT_BYTES, type ImportIssue } from "~/models/commendation/recipient-import.server";
import { jobPercent, latestJob, startCertificateBatch } from "~/models/shared/jobs.server";
import { PROVINCE_MERGER_DATE } from "~/models/shared/province-rules";
import { listProvincesOn } from "~/models/shared/reference.server";
import { DecisionSchema, KIND_LABELS, RecipientSchema, RevokeSchema } from "~/schemas/commendation";
import { requirePermission } from "~/utils/auth.server";
import { CONFIRM } from "~/utils/confirm";
import { isAppError } from "~/utils/errors";
import { formatDate, formatPeriod } from "~/utils/format";
import { formObject, parseForm } from "~/utils/forms";
import { confirmationStep, formFailure, type FormFailure, invalid, orErrorPage, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage, toastDetails } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Quyết định ${data?.decision.number ?? ""} — Khen thưởng — CNNT Tiêu biểu` }];

function decisionId(params: { id?: string }): number {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Không tìm thấy quyết định khen thưởng.", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "commendation:manage");
  const id = decisionId(params);
  return orErrorPage(async () => {
    const data = await getDecision(id);
    // The province list of the decision's era (63 before 1 July 2025, 34 from then on).
    const [provinces, job] = await Promise.all([listProvincesOn(data.decision.signedOn), latestJob({ type: "decision", id })]);
    return json({
      ...data,
      provinces: provinces.map((p) => ({ code: p.code, name: p.name })),
      job: job ? { id: job.id, status: job.status, done: job.done, total: job.total, error: job.error, percent: jobPercent(job) } : null,
    });
  });
}

interface ImportFailure extends FormFailure {
  importErrors?: ImportIssue[];
  errorCount?: number;
}
const fail = (status: number, formError: string, extra: Pick<ImportFailure, "importErrors" | "errorCount"> = {}) =>
  json<ImportFailure>({ ok: false, formError, fields: {}, ...extra }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "commendation:manage");
  const id = decisionId(params);
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > MAX_IMPORT_BYTES + 64 * 1024) return fail(413, `Tệp vượt giới hạn ${MAX_IMPORT_BYTES / 1048576} MB.`);
  const formData = await readForm(request);
  const form = formObject(formData);
  const done = (message: string, details?: string[]) => redirectWithToast(samePage(request), { message, details });
  return withFormErrors(async () => {
    switch (form.intent) {
      case "update": {
        const parsed = parseForm(DecisionSchema, form, "Vui lòng kiểm tra các trường được đánh dấu.");
        if (!parsed.ok) return invalid(parsed);
        await updateDecision({ id, data: parsed.data, actorId: user.id });
        return done("Đã lưu quyết định.");
      }
      case "add": {
        const parsed = parseForm(RecipientSchema, form, "Vui lòng kiểm tra thông tin người nhận.");
        if (!parsed.ok) return invalid(parsed);
        await addRecipients({ decisionId: id, recipients: [parsed.data], actorId: user.id });
        return done(`Đã thêm “${parsed.data.name}”.`);
      }
      case "remove": {
        const recipientId = Number(form.recipientId);
        if (!Number.isInteger(recipientId) || recipientId <= 0) return formFailure(400, "Người nhận không hợp lệ.");
        await removeRecipient({ decisionId: id, recipientId, actorId: user.id });
        return done("Đã xóa người nhận khỏi danh sách.");
      }
      case "import": {
        const file = formData.get("file");
        if (!file || typeof file === "string" || file.size === 0) {
          const name = file && typeof file !== "string" ? file.name : "";
          return fail(400, name ? `Tệp “${name}” trống (0 byte).` : "Chọn tệp CSV hoặc XLSX để nhập.");
        }
        const result = await importRecipients({ decisionId: id, file: { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, actorId: user.id });
        if (!result.ok) {
          return fail(400, `Không nhập được tệp “${file.name}”: ${result.errors.length} lỗi, chưa có dòng nào được nhập.`, { importErrors: result.errors.slice(0, 200), errorCount: result.errors.length });
        }
        // Rows that repeat a recipient are imported and flagged; the message lists them.
        return done(
          `Đã nhập ${result.count} người nhận từ “${file.name}”.`,
          toastDetails(result.duplicates.map((d) => `Dòng ${d.row}: ${d.message}`)),
        );
      }
      case "issue": {
        const step = confirmationStep(formData, CONFIRM.issueDecision);
        if (step) return step;
        try {
          await issueDecision({ id, actorId: user.id });
        } catch (error) {
          // A second officer (or a second click) finds it issued: join the batch instead.
          if (!(isAppError(error) && error.status === 409)) throw error;
        }
        const { job } = await startCertificateBatch({ target: { type: "decision", id }, actorId: user.id });
        return redirect(`/ministry/jobs/${job.id}`);
      }
      case "batch": {
        const { job } = await startCertificateBatch({ target: { type: "decision", id }, actorId: user.id });
        return redirect(`/ministry/jobs/${job.id}`);
      }
      case "revoke": {
        const parsed = parseForm(RevokeSchema, form, "Nhập lý do thu hồi.");
        if (!parsed.ok) return invalid(parsed);
        const step = confirmationStep(formData, CONFIRM.revokeMerit);
        if (step) return step;
        await revokeRecipient({ decisionId: id, recipientId: parsed.data.recipientId, reason: parsed.data.reason, actorId: user.id });
        return done("Đã thu hồi Bằng khen.");
      }
      default:
        return formFailure(400, "Thao tác không hợp lệ.");
    }
  });
}

export default function DecisionPage() {
  const { decision, recipients, duplicates, provinces, job } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const step = answer && "confirmation" in answer ? answer.confirmation : null;
  const result: ImportFailure | null = answer && "formError" in answer ? answer : null;
  const draft = decision.status === "draft";
  const errors = result ? result.fields : {};
  return (
    <>
      <p>
        <Link to="/ministry">← Các quyết định</Link>
      </p>
      <h1>
        Quyết định số {decision.number}{" "}
        {draft ? <span className="badge warn">Bản nháp</span> : <span className="badge ok">Đã ban hành</span>}
      </h1>
      <p className="muted">
        Ngày ký {formatDate(decision.signedOn)} · {decision.signerTitle} {decision.signerName} · thành tích {formatPeriod(decision.periodFrom, decision.periodTo)}
      </p>
      {step ? <ConfirmStep step={step} /> : null}
      {result ? (
        <div className="alert error" role="alert">
          <p style={{ margin: 0 }}>{result.formError}</p>
          {result.importErrors?.length ? (
            <ul data-testid="import-errors">
              {result.importErrors.map((e, i) => (
                <li key={i}>
                  {e.row ? `Dòng ${e.row}` : "Tệp"}
                  {e.column ? `, cột ${e.column}` : ""}: {e.message}
                </li>
              ))}
              {(result.errorCount ?? 0) > result.importErrors.length ? <li>… và {(result.errorCount ?? 0) - result.importErrors.length} lỗi khác.</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}

      {job ? (
        <section>
          <h2>Phát hành Bằng khen</h2>
          <JobProgress job={job} pollUrl={`/ministry/jobs/${job.id}`} />
        </section>
      ) : null}

      <h2>
        Danh sách tập thể, cá nhân ({recipients.length})
        {duplicates ? (
          <>
            {" "}
            <span className="badge bad">{duplicates} dòng trùng</span>
          </>
        ) : null}
      </h2>
      {recipients.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">TT</th>
                <th scope="col">Người nhận</th>
                <th scope="col">Bằng khen</th>
              </tr>
            </thead>
            <tbody>
              {recipients.map((r, i) => (
                <tr key={r.id}>
                  <td>{i + 1}</td>
                  <td style={{ overflowWrap: "anywhere" }}>
                    <strong>{nameWithHonorific(r)}</strong> {r.duplicate ? <span className="badge bad">Trùng</span> : null}
                    <br />
                    <small>
                      {KIND_LABELS[r.kind]}
                      {[r.position, r.organization, r.provinceName].filter(Boolean).map((x) => ` · ${x}`)}
                    </small>
                    <br />
                    <small className="muted">{r.achievement}</small>
                  </td>
                  <td>
                    {r.serial ? (
                      <>
                        <a href={`/certificates/${r.serial}.pdf`} style={{ whiteSpace: "nowrap" }}>
                          {r.serial}
                        </a>
                        <br />
                        <a href={`/certificates/${r.serial}.png`}>Xem trước</a>
                      </>
                    ) : null}
                    {r.revokedAt ? (
                      <>
                        <br />
                        <span className="badge bad">Đã thu hồi</span> <small>{r.revokedReason}</small>
                      </>
                    ) : null}
                    {draft ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="recipientId" value={r.id} />
                        <button className="btn small secondary" type="submit" aria-label={`Xóa ${r.name}`}>
                          Xóa
                        </button>
                      </Form>
                    ) : !r.revokedAt ? (
                      <details>
                        <summary>Thu hồi</summary>
                        <ConfirmForm method="post" confirm={CONFIRM.revokeMerit}>
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="recipientId" value={r.id} />
                          <label htmlFor={`reason-${r.id}`}>Lý do thu hồi</label>
                          <input id={`reason-${r.id}`} name="reason" type="text" required maxLength={500} style={{ minWidth: "10rem" }} />
                          <button className="btn small" type="submit" style={{ marginTop: ".5rem" }}>
                            Thu hồi Bằng khen
                          </button>
                        </ConfirmForm>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card">Chưa có người nhận. Thêm từng người hoặc nhập danh sách từ tệp.</p>
      )}

      {!draft ? (
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Tải về</h2>
          <div className="actions">
            <a className="btn secondary" href={`/certificates/bulk/decision-${decision.id}.pdf`}>
              Tất cả Bằng khen (một tệp PDF)
            </a>
            <a className="btn secondary" href={`/certificates/bulk/decision-${decision.id}.zip`}>
              Tất cả Bằng khen (ZIP)
            </a>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="batch" />
              <button className="btn secondary" type="submit">
                Tạo lại các PDF còn thiếu
              </button>
            </Form>
          </div>
        </section>
      ) : (
        <>
          <section className="card">
            <h2 style={{ marginTop: 0 }}>Nhập danh sách từ tệp</h2>
            <p className="hint">
              Tệp CSV (UTF-8) hoặc Excel .xlsx theo mẫu: <a href="/ministry/template/mau-danh-sach-khen-thuong.xlsx">mẫu .xlsx</a> ·{" "}
              <a href="/ministry/template/mau-danh-sach-khen-thuong.csv">mẫu .csv</a>. Tệp được kiểm tra từng dòng; có lỗi thì không dòng nào được nhập.
            </p>
            <Form method="post" encType="multipart/form-data" className="stack">
              <input type="hidden" name="intent" value="import" />
              <label htmlFor="file">Tệp danh sách</label>
              <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
              <button className="btn" type="submit">
                Nhập danh sách
              </button>
            </Form>
          </section>
          <section className="card">
            <h2 style={{ marginTop: 0 }}>Thêm một người nhận</h2>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="add" />
              <Field name="kind" label="Loại" required error={errors.kind}>
                <select id="f-kind" name="kind" required defaultValue="collective">
                  <option value="collective">Tập thể</option>
                  <option value="individual">Cá nhân</option>
                </select>
              </Field>
              <Field name="honorific" label="Danh xưng (cá nhân)" hint="In trước họ tên trên Bằng khen: “Ông Nguyễn Văn A”, “Bà Nguyễn Thị B”." error={errors.honorific}>
                <select id="f-honorific" name="honorific" defaultValue="" aria-describedby="f-honorific-hint">
                  <option value="">— Tập thể: không ghi —</option>
                  <option value="Ông">Ông</option>
                  <option value="Bà">Bà</option>
                </select>
              </Field>
              <Field name="name" label="Tên tập thể / Họ và tên" required maxLength={200} error={errors.name} />
              <Field name="position" label="Chức vụ (cá nhân)" maxLength={200} error={errors.position} />
              <Field name="organization" label="Cơ quan, đơn vị" maxLength={200} error={errors.organization} />
              <Field
                name="provinceCode"
                label={decision.signedOn >= PROVINCE_MERGER_DATE ? "Tỉnh, thành phố (34 đơn vị từ 01/07/2025)" : "Tỉnh, thành phố (63 tỉnh, thành phố trước 01/07/2025)"}
                hint="Theo danh mục hành chính tại ngày ký quyết định."
                error={errors.provinceCode}
              >
                <select id="f-provinceCode" name="provinceCode" defaultValue="">
                  <option value="">— Không ghi —</option>
                  {provinces.map((p) => (
                    <option key={p.code} value={p.code}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="achievement" label="Thành tích" required error={errors.achievement}>
                <textarea id="f-achievement" name="achievement" rows={2} required maxLength={500} defaultValue={decision.reason.slice(0, 500)} />
              </Field>
              <button className="btn secondary" type="submit">
                Thêm
              </button>
            </Form>
          </section>
          <section className="card">
            <h2 style={{ marginTop: 0 }}>Sửa thông tin quyết định</h2>
            <DecisionForm values={decision} errors={errors} intent="update" submitLabel="Lưu quyết định" />
          </section>
          <section className="card">
            <h2 style={{ marginTop: 0 }}>Ban hành</h2>
            <p>Ban hành khóa quyết định và danh sách, cấp số Bằng khen cho từng người nhận và tạo các tệp PDF.</p>
            <ConfirmForm method="post" confirm={CONFIRM.issueDecision}>
              <input type="hidden" name="intent" value="issue" />
              <button className="btn" type="submit" disabled={!recipients.length}>
                Ban hành và phát hành Bằng khen
              </button>
            </ConfirmForm>
          </section>
        </>
      )}
    </>
  );
}
