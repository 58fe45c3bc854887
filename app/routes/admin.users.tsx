import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { grantRole, listUsers, revokeRole } from "~/models/account/user.server";
import { listScopeOptions, scopeNames } from "~/models/shared/reference.server";
import { GrantRoleSchema } from "~/schemas/auth";
import { requirePermission } from "~/utils/auth.server";
import { CONFIRM } from "~/utils/confirm";
import { formObject, parseForm } from "~/utils/forms";
import { confirmationStep, formFailure, invalid, readForm, withFormErrors } from "~/utils/http.server";
import { ROLE_LABELS, type Role } from "~/utils/permissions";
import { roleWithScope } from "~/utils/scope-text";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Tài khoản và vai trò — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "user:manage");
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 100) ?? "";
  const [users, scopes, names] = await Promise.all([listUsers({ query: q }), listScopeOptions(), scopeNames()]);
  return json({ q, users, scopes, names });
}

const RevokeSchema = z.object({ roleId: z.coerce.number().int().positive("Vai trò không hợp lệ.") });

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "user:manage");
  const formData = await readForm(request);
  const form = formObject(formData);
  return withFormErrors(async () => {
    if (form.intent === "revoke") {
      const parsed = parseForm(RevokeSchema, form, "Vai trò không hợp lệ.");
      if (!parsed.ok) return invalid(parsed);
      const step = confirmationStep(formData, CONFIRM.revokeRole);
      if (step) return step;
      await revokeRole({ actorId: admin.id, roleId: parsed.data.roleId });
      return redirectWithToast(samePage(request), { message: "Đã thu hồi vai trò." });
    }
    if (form.intent === "grant") {
      const parsed = parseForm(GrantRoleSchema, form, "Vui lòng kiểm tra vai trò và phạm vi.");
      if (!parsed.ok) return invalid(parsed);
      await grantRole({ actorId: admin.id, ...parsed.data });
      return redirectWithToast(samePage(request), { message: "Đã cấp vai trò." });
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

export default function AdminUsers() {
  const { q, users, scopes, names } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Tài khoản và vai trò</h1>
      <FormFeedback result={result} />
      <Form method="get" className="card actions" role="search">
        <label htmlFor="q" className="visually-hidden">
          Tìm tài khoản
        </label>
        <input id="q" name="q" type="search" defaultValue={q} placeholder="Tìm theo email hoặc họ tên" style={{ flex: 1 }} />
        <button className="btn secondary" type="submit">
          Tìm
        </button>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Tài khoản</th>
              <th scope="col">Vai trò</th>
              <th scope="col">Cấp vai trò</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  <strong>{u.fullName}</strong>
                  <br />
                  <span className="muted">{u.email}</span>
                </td>
                <td>
                  <ul style={{ margin: 0, paddingLeft: "1rem" }}>
                    {u.roles.map((r) => (
                      <li key={r.id}>
                        {roleWithScope(ROLE_LABELS[r.role as Role], r, names)}{" "}
                        <ConfirmForm method="post" className="inline-form" confirm={CONFIRM.revokeRole}>
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="roleId" value={r.id} />
                          <button type="submit" className="linklike" aria-label={`Thu hồi vai trò ${ROLE_LABELS[r.role as Role]} của ${u.email}`}>
                            thu hồi
                          </button>
                        </ConfirmForm>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <Form method="post" className="actions">
                    <input type="hidden" name="intent" value="grant" />
                    <input type="hidden" name="userId" value={u.id} />
                    <select name="role" aria-label={`Vai trò cấp cho ${u.email}`} defaultValue="juror">
                      {Object.entries(ROLE_LABELS).map(([value, label]) => (
                        <option key={value} value={value}>
                          {label}
                        </option>
                      ))}
                    </select>
                    <select name="scopeLevel" aria-label="Cấp (với Ban tổ chức)" defaultValue="">
                      <option value="">— mọi cấp —</option>
                      {scopes.levels.map((l) => (
                        <option key={l.code} value={l.code}>
                          {l.name}
                        </option>
                      ))}
                    </select>
                    <select name="scopeRegion" aria-label="Khu vực (với Ban tổ chức)" defaultValue="">
                      <option value="">— mọi khu vực —</option>
                      {scopes.regions.map((r) => (
                        <option key={r.code} value={r.code}>
                          {r.name}
                        </option>
                      ))}
                    </select>
                    <select name="scopeProvince" aria-label="Tỉnh (với Ban tổ chức)" defaultValue="">
                      <option value="">— mọi tỉnh —</option>
                      {scopes.provinces.map((p) => (
                        <option key={p.code} value={p.code}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                    <button className="btn small" type="submit">
                      Cấp
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
