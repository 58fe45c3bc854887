import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { listProvinceUnits, updateProvinceUnit } from "~/models/shared/province-units.server";
import { ProvinceUnitSchema } from "~/schemas/reference";
import { requirePermission } from "~/utils/auth.server";
import { formObject, parseForm } from "~/utils/forms";
import { formFailure, invalid, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Tỉnh, thành phố từ 01/7/2025 — Quản trị — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "reference:manage");
  return json(await listProvinceUnits());
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "reference:manage");
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    if (form.intent !== "update") return formFailure(400, "Thao tác không hợp lệ.");
    const parsed = parseForm(ProvinceUnitSchema, form, "Vui lòng kiểm tra khu vực của tỉnh, thành phố.");
    if (!parsed.ok) return invalid(parsed);
    const after = await updateProvinceUnit({ actorId: admin.id, data: parsed.data });
    return redirectWithToast(samePage(request), { message: `Đã lưu ${after.name}.` });
  });
}

export default function AdminProvinces() {
  const { units, regions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = result && "fields" in result ? result.fields : {};
  const regionName = new Map(regions.map((r) => [r.code, r.name]));
  return (
    <>
      <h1>Tỉnh, thành phố từ 01/7/2025: khu vực và thành phố trực thuộc trung ương</h1>
      <p>
        Khu vực của mỗi đơn vị sau sắp xếp chưa có văn bản xác nhận; giá trị ban đầu là khu vực của đa số tỉnh cũ hợp thành. Khu vực quyết
        định cơ sở thuộc đợt bình chọn khu vực nào (đợt mở từ 01/7/2025) và số liệu khuyến công được tổng hợp vào khu vực nào. Mỗi thay đổi
        được ghi vào nhật ký.
      </p>
      <FormError message={result && "formError" in result ? result.formError : null} />
      {Object.keys(fields).length ? (
        <ul className="alert error" style={{ paddingLeft: "2rem" }}>
          {Object.entries(fields).map(([k, m]) => (
            <li key={k}>{m}</li>
          ))}
        </ul>
      ) : null}
      {units.map((u) => (
        <details key={u.code} className="card">
          <summary>
            <strong>{u.name}</strong> — {regionName.get(u.regionCode) ?? u.regionCode}
            {u.isCity ? <span className="badge"> thành phố trực thuộc trung ương</span> : null}
            {u.mergedFrom.length > 1 ? <span className="muted"> (hợp nhất từ {u.mergedFrom.join(", ")})</span> : null}
          </summary>
          <Form method="post" className="stack" style={{ marginTop: ".75rem" }}>
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="code" value={u.code} />
            <div>
              <label htmlFor={`region-${u.code}`}>Khu vực</label>
              <select id={`region-${u.code}`} name="regionCode" defaultValue={u.regionCode}>
                {regions.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label>
                <input type="checkbox" name="isCity" defaultChecked={u.isCity} /> Thành phố trực thuộc trung ương
              </label>
            </div>
            <div>
              <button className="btn small" type="submit">
                Lưu {u.name}
              </button>
            </div>
          </Form>
        </details>
      ))}
    </>
  );
}
