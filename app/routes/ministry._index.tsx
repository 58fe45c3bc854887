import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { DECISION_DEFAULTS, DecisionForm } from "~/components/CommendationParts";
import { FormError } from "~/components/FormField";
import { createDecision, listDecisions } from "~/models/commendation/commendation.server";
import { DecisionSchema } from "~/schemas/commendation";
import { requirePermission } from "~/utils/auth.server";
import { isAppError } from "~/utils/errors";
import { formatDate, formatYears } from "~/utils/format";
import { fieldErrors, formObject } from "~/utils/forms";
import { formFailure, readForm } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Khen thưởng của Bộ Công Thương — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "commendation:manage");
  return json({ fullName: user.fullName, decisions: await listDecisions() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "commendation:manage");
  const form = formObject(await readForm(request));
  if (form.intent !== "create") return formFailure(400, "Thao tác không hợp lệ.");
  // Without JavaScript the page is rendered again after a refusal: the typed values go back with it.
  const refuse = (status: number, formError: string, fields: Record<string, string>) => json({ ok: false as const, formError, fields, values: form }, { status });
  const parsed = DecisionSchema.safeParse(form);
  if (!parsed.success) return refuse(400, "Vui lòng kiểm tra các trường được đánh dấu.", fieldErrors(parsed.error));
  try {
    const decision = await createDecision({ data: parsed.data, actorId: user.id });
    return redirect(`/ministry/decisions/${decision.id}`);
  } catch (error) {
    if (isAppError(error)) return refuse(error.status, error.message, error.fields);
    throw error;
  }
}

export default function MinistryHome() {
  const { fullName, decisions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && "fields" in result ? result.fields : undefined;
  const typed = result && "values" in result ? (result.values as Record<string, string>) : {};
  return (
    <>
      <h1>Khen thưởng của Bộ Công Thương</h1>
      <p className="muted">Xin chào, {fullName}. Quyết định tặng Bằng khen, danh sách tập thể, cá nhân và phát hành Bằng khen.</p>
      <h2>Các quyết định</h2>
      {decisions.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Số quyết định</th>
                <th scope="col">Ngày ký</th>
                <th scope="col">Giai đoạn</th>
                <th scope="col">Người nhận</th>
                <th scope="col">Trạng thái</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/ministry/decisions/${d.id}`}>{d.number}</Link>
                  </td>
                  <td>{formatDate(d.signedOn)}</td>
                  <td>
                    {formatYears(d.periodFrom, d.periodTo)}
                  </td>
                  <td>{d.recipients}</td>
                  <td>{d.status === "issued" ? <span className="badge ok">Đã ban hành</span> : <span className="badge warn">Bản nháp</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card">Chưa có quyết định nào.</p>
      )}
      <h2 id="tao-moi">Tạo quyết định mới</h2>
      <div className="card">
        <FormError message={result && "formError" in result ? result.formError : null} />
        <DecisionForm values={{ ...DECISION_DEFAULTS, ...typed }} errors={errors} intent="create" submitLabel="Tạo quyết định (bản nháp)" />
      </div>
    </>
  );
}
