import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { DECISION_DEFAULTS, DecisionForm } from "~/components/CommendationParts";
import { Field, FormError } from "~/components/FormField";
import { createDecision, listDecisions } from "~/models/commendation/commendation.server";
import { listEmblems, storeEmblem } from "~/models/commendation/emblem.server";
import { DecisionSchema } from "~/schemas/commendation";
import { requirePermission } from "~/utils/auth.server";
import { isAppError } from "~/utils/errors";
import { formatDate, formatYears } from "~/utils/format";
import { formObject, parseForm } from "~/utils/forms";
import { formFailure, readForm } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Khen thưởng của Bộ Công Thương — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "commendation:manage");
  return json({ fullName: user.fullName, decisions: await listDecisions(), emblems: await listEmblems() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "commendation:manage");
  const formData = await readForm(request);
  const form = formObject(formData);
  if (form.intent === "emblem") {
    // The emblem printed at the top of the issuer's Bằng khen: a checked image (uploads pipeline).
    const file = formData.get("emblem");
    if (!file || typeof file === "string" || file.size === 0) return json({ ok: false as const, formError: "Chọn ảnh biểu trưng (PNG, JPEG hoặc WebP).", fields: { emblem: "Chọn ảnh biểu trưng." } as Record<string, string>, values: {} }, { status: 400 });
    try {
      await storeEmblem({ authority: String(form.authority ?? ""), bytes: Buffer.from(await file.arrayBuffer()), fileName: file.name, actorId: user.id });
    } catch (error) {
      if (isAppError(error)) return json({ ok: false as const, formError: error.message, fields: error.fields, values: {} }, { status: error.status });
      throw error;
    }
    return redirectWithToast(samePage(request), { message: "Đã lưu biểu trưng: các Bằng khen phát hành từ nay in biểu trưng này." });
  }
  if (form.intent !== "create") return formFailure(400, "Thao tác không hợp lệ.");
  // Without JavaScript the page is rendered again after a refusal: the typed values go back with it.
  const refuse = (status: number, formError: string, fields: Record<string, string>) => json({ ok: false as const, formError, fields, values: form }, { status });
  const parsed = parseForm(DecisionSchema, form, "Vui lòng kiểm tra các trường được đánh dấu.");
  if (!parsed.ok) return refuse(400, parsed.formError, parsed.fields);
  try {
    const decision = await createDecision({ data: parsed.data, actorId: user.id });
    return redirect(`/ministry/decisions/${decision.id}`);
  } catch (error) {
    if (isAppError(error)) return refuse(error.status, error.message, error.fields);
    throw error;
  }
}

export default function MinistryHome() {
  const { fullName, decisions, emblems } = useLoaderData<typeof loader>();
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
      <h2 id="bieu-trung">Biểu trưng in trên Bằng khen</h2>
      <div className="card">
        {emblems.length ? (
          <ul>
            {emblems.map((e) => (
              <li key={e.authority}>
                {e.authority}: “{e.originalName}” ({e.width}×{e.height}), tải lên {formatDate(e.uploadedAt)}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Chưa có biểu trưng: Bằng khen in không có biểu trưng ở đầu trang.</p>
        )}
        <Form method="post" encType="multipart/form-data" className="stack">
          <input type="hidden" name="intent" value="emblem" />
          <Field name="authority" label="Cơ quan ban hành" required defaultValue="Bộ Công Thương" maxLength={200} error={errors?.authority} />
          <Field name="emblem" label="Ảnh biểu trưng" hint="PNG, JPEG hoặc WebP, ít nhất 64×64 điểm ảnh; nền trong suốt in đẹp nhất." error={errors?.emblem}>
            <input id="f-emblem" name="emblem" type="file" accept="image/png,image/jpeg,image/webp" required aria-describedby="f-emblem-hint" />
          </Field>
          <div>
            <button className="btn secondary" type="submit">
              Lưu biểu trưng
            </button>
          </div>
        </Form>
      </div>
    </>
  );
}
