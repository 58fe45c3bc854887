import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { grantRole, listUsers, revokeRole, userWithRoles } from "~/models/account/user.server";
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

/** Accounts per page: a screenful an admin can scan, and a page that stays light on a phone. */
const PAGE = 30;

const FilterSchema = z.object({
  q: z.string().trim().max(100).catch(""),
  role: z.enum(Object.keys(ROLE_LABELS) as [Role, ...Role[]]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  edit: z.string().max(100).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "user:manage");
  const filter = FilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [list, names, editing] = await Promise.all([
    listUsers({ query: filter.q, role: filter.role, limit: PAGE, offset: (filter.page - 1) * PAGE }),
    scopeNames(),
    filter.edit ? userWithRoles(filter.edit) : null,
  ]);
  // The province, region and level lists are only needed by the one grant form on the page.
  const scopes = editing ? await listScopeOptions() : null;
  return json({ q: filter.q, role: filter.role ?? "", page: filter.page, pages: Math.max(1, Math.ceil(list.total / PAGE)), total: list.total, users: list.users, editing, scopes, names });
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
  const { q, role, page, pages, total, users, editing, scopes, names } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const query = (extra: Record<string, string | number>) =>
    `?${new URLSearchParams(Object.entries({ q, role, page, ...extra }).filter(([k, v]) => v !== "" && !(k === "page" && v === 1)).map(([k, v]) => [k, String(v)]))}`;
  return (
    <>
      <h1>Tài khoản và vai trò</h1>
      <FormFeedback result={result} />
      {editing && scopes ? (
        <section className="card" id="grant" aria-labelledby="grant-title">
          <h2 id="grant-title">
            Cấp vai trò cho {editing.fullName} <span className="muted">({editing.email})</span>
          </h2>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="grant" />
            <input type="hidden" name="userId" value={editing.id} />
            <label>
              Vai trò
              <select name="role" defaultValue="juror">
                {Object.entries(ROLE_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <p className="hint">Phạm vi chỉ dành cho vai trò Ban tổ chức; để trống là mọi cấp, mọi khu vực, mọi tỉnh.</p>
            <label>
              Cấp
              <select name="scopeLevel" defaultValue="">
                <option value="">— mọi cấp —</option>
                {scopes.levels.map((l) => (
                  <option key={l.code} value={l.code}>
                    {l.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Khu vực
              <select name="scopeRegion" defaultValue="">
                <option value="">— mọi khu vực —</option>
                {scopes.regions.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Tỉnh/thành phố
              <select name="scopeProvince" defaultValue="">
                <option value="">— mọi tỉnh —</option>
                {scopes.provinces.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <p className="actions">
              <button className="btn" type="submit">
                Cấp vai trò
              </button>
              <Link to={query({ edit: "" })}>Đóng</Link>
            </p>
          </Form>
        </section>
      ) : null}
      <Form method="get" className="card actions" role="search">
        <label htmlFor="q" className="visually-hidden">
          Tìm tài khoản
        </label>
        <input id="q" name="q" type="search" defaultValue={q} placeholder="Tìm theo email hoặc họ tên" style={{ flex: 1, minWidth: "12rem" }} />
        <label htmlFor="role-filter" className="visually-hidden">
          Vai trò
        </label>
        <select id="role-filter" name="role" defaultValue={role}>
          <option value="">Mọi vai trò</option>
          {Object.entries(ROLE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <button className="btn secondary" type="submit">
          Tìm
        </button>
      </Form>
      <p className="muted" role="status">
        {total === 0 ? "Không có tài khoản nào khớp." : `${total} tài khoản — trang ${page}/${pages}.`}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Tài khoản</th>
              <th scope="col">Vai trò</th>
              <th scope="col">
                <span className="visually-hidden">Thao tác</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  <strong>{u.fullName}</strong>
                  <br />
                  <span className="muted" style={{ overflowWrap: "anywhere" }}>
                    {u.email}
                  </span>
                </td>
                <td>
                  <ul style={{ margin: 0, paddingLeft: "1rem" }}>
                    {u.roles.map((r) => (
                      <li key={r.id}>
                        {roleWithScope(ROLE_LABELS[r.role as Role], r, names)}{" "}
                        <ConfirmForm method="post" className="inline-form" confirm={CONFIRM.revokeRole}>
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="roleId" value={r.id} />
                          {/* The name is the visible words plus whose role, so a voice command "thu hồi" finds it. */}
                          <button type="submit" className="linklike">
                            thu hồi<span className="visually-hidden"> vai trò {ROLE_LABELS[r.role as Role]} của {u.email}</span>
                          </button>
                        </ConfirmForm>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <Link to={`${query({ edit: u.id })}#grant`}>
                    Cấp vai trò<span className="visually-hidden"> cho {u.email}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav className="actions" aria-label="Trang">
          {page > 1 ? <Link to={query({ page: page - 1, edit: "" })}>← Trang trước</Link> : null}
          {page < pages ? <Link to={query({ page: page + 1, edit: "" })}>Trang sau →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
