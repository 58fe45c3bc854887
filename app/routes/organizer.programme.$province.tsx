import { json } from "@remix-run/node";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { LinksFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { PeriodPicker } from "~/components/PeriodPicker";
import { getProvinceFigures, listIndicators, provinceForActor, saveFigures } from "~/models/programme/programme.server";
import { approveFigures, returnFigures, submitFigures } from "~/models/programme/review.server";
import { formatFigure, formatPercentShort, percentOfPlan, periodLabel, planWarning } from "~/models/programme/rules";
import { parseFigureForm, PeriodSchema } from "~/schemas/programme";
import programmeStyles from "~/styles/programme.css";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/errors";
import { formObject, parseForm } from "~/utils/forms";
import { formFailure, invalid, orErrorPage, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast } from "~/utils/toast.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: programmeStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Số liệu khuyến công ${data?.province.name ?? ""} — CNNT Tiêu biểu` },
];

function periodFrom(url: URL) {
  return PeriodSchema.safeParse({ year: url.searchParams.get("year") || new Date().getFullYear(), periodMonths: url.searchParams.get("period") || 12 });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "programme:enter");
  const period = periodFrom(new URL(request.url));
  invariantResponse(period.success, "Năm hoặc kỳ báo cáo không hợp lệ.", 400);
  const data = await orErrorPage(() => getProvinceFigures({ actor: user, provinceCode: params.province ?? "", ...period.data }));
  return json({ ...data, ...period.data });
}

const STATUS: Record<string, { label: string; tone: string }> = {
  draft: { label: "Nháp", tone: "" },
  submitted: { label: "Chờ duyệt", tone: "warn" },
  approved: { label: "Đã duyệt", tone: "ok" },
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "programme:enter");
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    const province = await provinceForActor({ actor: user, provinceCode: params.province ?? "" });
    const period = parseForm(PeriodSchema, form, "Năm hoặc kỳ báo cáo không hợp lệ.");
    if (!period.ok) return invalid(period);
    const target = { actor: user, provinceCode: province.code, ...period.data };
    // Back to the period that was posted (the form carries it; the address may not).
    const done = (message: string) =>
      redirectWithToast(`${new URL(request.url).pathname}?year=${period.data.year}&period=${period.data.periodMonths}`, { message });
    if (form.intent === "save" || form.intent === "save-submit") {
      const indicators = await listIndicators({ activeOnly: true });
      const parsed = parseFigureForm(form, indicators, province.code);
      if (!parsed.ok) return formFailure(400, "Có số liệu chưa hợp lệ, xem các ô được đánh dấu.", parsed.fields);
      const r = await saveFigures({ actor: user, ...period.data, rows: parsed.rows, submit: form.intent === "save-submit" });
      const note = r.corrected ? ` ${r.corrected} số đã duyệt được đính chính và chờ duyệt lại.` : "";
      return done(`Đã lưu${form.intent === "save-submit" ? " và gửi duyệt" : ""}.${note}`);
    }
    if (form.intent === "submit") {
      const r = await submitFigures(target);
      return done(`Đã gửi duyệt ${r.submitted} số liệu.`);
    }
    if (form.intent === "approve") {
      await requirePermission(request, "programme:approve");
      const r = await approveFigures(target);
      return done(`Đã duyệt ${r.approved} số liệu.`);
    }
    if (form.intent === "return") {
      await requirePermission(request, "programme:approve");
      const r = await returnFigures({ ...target, comment: String(form.comment ?? "") });
      return done(`Đã trả lại ${r.returned} số liệu để tỉnh sửa.`);
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

const input = (v: number | null) => (v === null ? "" : formatFigure(v));

interface ReviewRow {
  code: string;
  name: string;
  unit: string;
  plan: number | null;
  actual: number | null;
  approved: { plan: number | null; actual: number | null } | null;
}

/** What the approver checks before approving: the value last approved, the new one, % of plan, and a warning far beyond plan. */
function PendingReview({
  rows,
  year,
  periodMonths,
  error,
}: {
  rows: ReviewRow[];
  year: number;
  periodMonths: number;
  error?: string;
}) {
  const warned = rows.filter((r) => planWarning(r.plan, r.actual)).length;
  return (
    <section className="card" aria-labelledby="h-review">
      <h2 id="h-review">Số liệu chờ duyệt ({rows.length})</h2>
      {warned ? (
        <p className="alert error" role="alert">
          {warned} số liệu vượt quá 200% kế hoạch. Kiểm tra lại với cán bộ khuyến công tỉnh trước khi duyệt.
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Chỉ tiêu</th>
              <th scope="col">Đã duyệt trước đây (KH / TH)</th>
              <th scope="col">Mới gửi duyệt (KH / TH)</th>
              <th scope="col">Tỷ lệ so với kế hoạch</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const warning = planWarning(r.plan, r.actual);
              return (
                <tr key={r.code}>
                  <th scope="row">
                    {r.name} <span className="muted">({r.unit})</span>
                  </th>
                  <td>{r.approved ? `${formatFigure(r.approved.plan)} / ${formatFigure(r.approved.actual)}` : <span className="muted">chưa có (số mới)</span>}</td>
                  <td>
                    <strong>
                      {formatFigure(r.plan)} / {formatFigure(r.actual)}
                    </strong>
                  </td>
                  <td>
                    {formatPercentShort(percentOfPlan(r.plan, r.actual))}
                    {warning ? (
                      <p className="field-error" style={{ margin: ".25rem 0 0" }}>
                        {warning}
                      </p>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Form method="post" className="stack" style={{ marginTop: "1rem" }}>
        <input type="hidden" name="year" value={year} />
        <input type="hidden" name="periodMonths" value={periodMonths} />
        <div>
          <label htmlFor="f-comment">Trả lại để sửa: điều cán bộ tỉnh cần sửa</label>
          <textarea
            id="f-comment"
            name="comment"
            rows={3}
            maxLength={2000}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "e-comment" : undefined}
          />
          {error ? (
            <p id="e-comment" className="field-error">
              {error}
            </p>
          ) : null}
        </div>
        <div>
          <button className="btn secondary" type="submit" name="intent" value="return">
            Trả lại để sửa
          </button>
        </div>
      </Form>
    </section>
  );
}

export default function ProvinceFigures() {
  const { province, rows, year, periodMonths, canApprove } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = result && "fields" in result ? result.fields : {};
  const hasDraft = rows.some((r) => r.status === "draft");
  const hasSubmitted = rows.some((r) => r.status === "submitted");
  return (
    <>
      <p>
        <Link to={`/organizer/programme?year=${year}&period=${periodMonths}`}>← Tất cả các tỉnh</Link>
      </p>
      <h1>Số liệu khuyến công — {province.name}</h1>
      <PeriodPicker year={year} periodMonths={periodMonths} />
      <FormError message={result && "formError" in result ? result.formError : null} />
      {canApprove && hasSubmitted ? (
        <PendingReview
          rows={rows.filter((r) => r.status === "submitted")}
          year={year}
          periodMonths={periodMonths}
          error={fields.comment}
        />
      ) : null}
      <Form method="post" className="card">
        <input type="hidden" name="year" value={year} />
        <input type="hidden" name="periodMonths" value={periodMonths} />
        <p className="hint">
          {periodLabel(periodMonths)} {year}. Số viết 4.875 hay 4875, 7.456,43 hay 7456.43 đều được; để trống nếu chưa có. Kế hoạch bằng 0 thì tỷ lệ
          hiện “—”.
        </p>
        {rows.map((r) => {
          const planErr = fields[`plan.${r.code}`];
          const actualErr = fields[`actual.${r.code}`];
          return (
            <fieldset key={r.code} className="figure-row">
              <legend>
                {r.name} <span className="muted">({r.unit})</span>{" "}
                {r.status ? <span className={`badge ${STATUS[r.status].tone}`}>{STATUS[r.status].label}</span> : null}
              </legend>
              <div className="figure-inputs">
                <div>
                  <label htmlFor={`plan-${r.code}`} className="hint">
                    Kế hoạch
                  </label>
                  <input
                    id={`plan-${r.code}`}
                    type="text"
                    inputMode="decimal"
                    name={`plan.${r.code}`}
                    aria-label={`Kế hoạch: ${r.name}`}
                    defaultValue={input(r.plan)}
                    aria-invalid={planErr ? true : undefined}
                    aria-describedby={planErr ? `e-plan-${r.code}` : undefined}
                  />
                  {planErr ? (
                    <p className="field-error" id={`e-plan-${r.code}`}>
                      {planErr}
                    </p>
                  ) : null}
                </div>
                <div>
                  <label htmlFor={`actual-${r.code}`} className="hint">
                    Thực hiện
                  </label>
                  <input
                    id={`actual-${r.code}`}
                    type="text"
                    inputMode="decimal"
                    name={`actual.${r.code}`}
                    aria-label={`Thực hiện: ${r.name}`}
                    defaultValue={input(r.actual)}
                    aria-invalid={actualErr ? true : undefined}
                    aria-describedby={actualErr ? `e-actual-${r.code}` : undefined}
                  />
                  {actualErr ? (
                    <p className="field-error" id={`e-actual-${r.code}`}>
                      {actualErr}
                    </p>
                  ) : null}
                </div>
              </div>
            </fieldset>
          );
        })}
        <div className="actions" style={{ marginTop: "1rem" }}>
          <button className="btn" type="submit" name="intent" value="save-submit">
            Lưu và gửi duyệt
          </button>
          <button className="btn secondary" type="submit" name="intent" value="save">
            Lưu nháp
          </button>
          {hasDraft ? (
            <button className="btn secondary" type="submit" name="intent" value="submit">
              Gửi duyệt số nháp
            </button>
          ) : null}
          {canApprove && hasSubmitted ? (
            <button className="btn secondary" type="submit" name="intent" value="approve">
              Duyệt số liệu của tỉnh
            </button>
          ) : null}
        </div>
      </Form>
    </>
  );
}
