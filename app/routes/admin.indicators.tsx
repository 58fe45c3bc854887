import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { createIndicator, listIndicators, updateIndicator } from "~/models/programme/indicators.server";
import { IndicatorSchema } from "~/schemas/programme";
import { requirePermission } from "~/utils/auth.server";
import { formObject, parseForm } from "~/utils/forms";
import { formFailure, invalid, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Danh mục chỉ tiêu khuyến công — Quản trị — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "indicator:manage");
  return json({ indicators: await listIndicators() });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "indicator:manage");
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    if (form.intent !== "create" && form.intent !== "update") return formFailure(400, "Thao tác không hợp lệ.");
    const parsed = parseForm(IndicatorSchema, form, "Vui lòng kiểm tra chỉ tiêu.");
    if (!parsed.ok) return invalid(parsed);
    if (form.intent === "create") await createIndicator({ actorId: admin.id, data: parsed.data });
    else await updateIndicator({ actorId: admin.id, data: parsed.data });
    return redirectWithToast(samePage(request), { message: form.intent === "create" ? "Đã thêm chỉ tiêu." : `Đã lưu chỉ tiêu ${parsed.data.code}.` });
  });
}

const AGGREGATION = { sum: "Cộng các tỉnh", avg: "Trung bình các tỉnh" } as const;

function IndicatorFields(props: { value?: { code: string; name: string; unit: string; aggregation: string; position: number; active: boolean }; next?: number }) {
  const v = props.value;
  const key = v?.code ?? "new";
  return (
    <>
      {v ? (
        <input type="hidden" name="code" value={v.code} />
      ) : (
        <div>
          <label htmlFor={`code-${key}`}>Mã chỉ tiêu</label>
          <input id={`code-${key}`} name="code" type="text" required maxLength={40} placeholder="VD: DAO_TAO_NGHE" />
        </div>
      )}
      <div>
        <label htmlFor={`name-${key}`}>Tên chỉ tiêu</label>
        <input id={`name-${key}`} name="name" type="text" required maxLength={200} defaultValue={v?.name} />
      </div>
      <div>
        <label htmlFor={`unit-${key}`}>Đơn vị tính</label>
        <input id={`unit-${key}`} name="unit" type="text" required maxLength={40} defaultValue={v?.unit} />
      </div>
      <div>
        <label htmlFor={`agg-${key}`}>Tổng hợp theo khu vực</label>
        <select id={`agg-${key}`} name="aggregation" defaultValue={v?.aggregation ?? "sum"}>
          {Object.entries(AGGREGATION).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`pos-${key}`}>Thứ tự</label>
        <input id={`pos-${key}`} name="position" type="number" min={1} max={999} required defaultValue={v?.position ?? props.next} />
      </div>
      <div>
        <label>
          <input type="checkbox" name="active" defaultChecked={v ? v.active : true} /> Đang dùng
        </label>
      </div>
    </>
  );
}

export default function AdminIndicators() {
  const { indicators } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = result && "fields" in result ? result.fields : {};
  return (
    <>
      <h1>Danh mục chỉ tiêu khuyến công</h1>
      <p>Các chỉ tiêu tỉnh báo cáo kế hoạch và thực hiện. Mã chỉ tiêu dùng trong tệp Excel và không đổi được; chỉ tiêu không dùng nữa thì bỏ chọn “Đang dùng”.</p>
      <FormError message={result && "formError" in result ? result.formError : null} />
      {Object.keys(fields).length ? (
        <ul className="alert error" style={{ paddingLeft: "2rem" }}>
          {Object.entries(fields).map(([k, m]) => (
            <li key={k}>{m}</li>
          ))}
        </ul>
      ) : null}
      {indicators.map((i) => (
        <details key={i.code} className="card">
          <summary>
            <strong>{i.name}</strong> <span className="muted">({i.unit})</span> — <code>{i.code}</code>{" "}
            {i.active ? null : <span className="badge">không dùng</span>} <span className="badge">{AGGREGATION[i.aggregation]}</span>
          </summary>
          <Form method="post" className="stack" style={{ marginTop: ".75rem" }}>
            <input type="hidden" name="intent" value="update" />
            <IndicatorFields value={i} />
            <div>
              <button className="btn small" type="submit">
                Lưu chỉ tiêu
              </button>
            </div>
          </Form>
        </details>
      ))}
      <h2>Thêm chỉ tiêu</h2>
      <Form method="post" className="card stack">
        <input type="hidden" name="intent" value="create" />
        <IndicatorFields next={indicators.length + 1} />
        <div>
          <button className="btn" type="submit">
            Thêm chỉ tiêu
          </button>
        </div>
      </Form>
    </>
  );
}
