import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { Field, FormError } from "~/components/FormField";
import { adminUnlock, listLockedAccounts } from "~/models/account/account.server";
import { inviteByEmail, listSentInvitations, revokeInvitation } from "~/models/account/invitation.server";
import { listOutbox, outboxCounts, resendMessage } from "~/models/messaging/outbox.server";
import { GrantRoleSchema } from "~/schemas/auth";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";
import { formObject, parseForm } from "~/utils/forms";
import { formFailure, invalid, readForm, withFormErrors } from "~/utils/http.server";
import { ROLE_LABELS, type Role } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Thư đi — Quản trị — CNNT Tiêu biểu" }];

const STATUS = { queued: "Chờ gửi", sending: "Đang gửi", sent: "Đã gửi", failed: "Gửi lỗi" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "user:manage");
  const [messages, counts, locked, invites] = await Promise.all([listOutbox(), outboxCounts(), listLockedAccounts(), listSentInvitations({ kind: "role" })]);
  return json({
    counts,
    messages: messages.map((m) => ({
      id: m.id,
      to: m.recipient,
      subject: m.subject,
      status: m.status,
      attempts: m.attempts,
      error: m.lastError,
      at: formatDateTime(m.createdAt),
      sentAt: m.sentAt ? formatDateTime(m.sentAt) : null,
    })),
    locked: locked.map((l) => ({ userId: l.userId, email: l.email, fullName: l.fullName, until: formatDateTime(l.lockedUntil) })),
    invites: invites.map((i) => ({ id: i.id, email: i.email, role: i.role, expires: formatDateTime(i.expiresAt) })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "user:manage");
  const form = formObject(await readForm(request));
  if (form.intent === "invite") {
    const parsed = parseForm(GrantRoleSchema.omit({ userId: true }), form, "Vui lòng sửa các lỗi bên dưới.");
    if (!parsed.ok) return invalid(parsed);
    return withFormErrors(async () => {
      await inviteByEmail({ actorId: admin.id, email: String(form.email ?? ""), target: { kind: "role", ...parsed.data } });
      return redirect("/admin/outbox?moi=ok");
    });
  }
  return withFormErrors(async () => {
    if (form.intent === "resend") await resendMessage({ actorId: admin.id, id: Number(form.id) });
    else if (form.intent === "unlock") await adminUnlock({ actorId: admin.id, userId: String(form.userId ?? "") });
    else if (form.intent === "revoke") await revokeInvitation({ actorId: admin.id, invitationId: Number(form.id), kind: "role" });
    else return formFailure(400, "Thao tác không hợp lệ.");
    return redirect("/admin/outbox?ok=1");
  });
}

export default function AdminOutbox() {
  const { counts, messages, locked, invites } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const fields = result && "fields" in result ? result.fields : {};
  return (
    <>
      <h1>Thư đi và tài khoản</h1>
      {params.get("moi") ? (
        <div className="alert ok" role="status">
          Đã gửi lời mời. Vai trò chỉ được cấp khi chủ địa chỉ email đăng nhập và nhận lời.
        </div>
      ) : params.get("ok") ? (
        <div className="alert ok" role="status">
          Đã thực hiện.
        </div>
      ) : null}
      <FormError message={result && "formError" in result ? result.formError : null} />

      <section className="card">
        <h2>Mời cán bộ bằng email</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="invite" />
          <Field name="email" label="Email người được mời" type="email" required error={fields.email} />
          <Field name="role" label="Vai trò" required error={fields.role}>
            <select id="f-role" name="role" defaultValue="organizer">
              {(["organizer", "juror", "ministry", "admin"] as Role[]).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <Field name="scopeProvince" label="Phạm vi tỉnh (chỉ cho Ban tổ chức, để trống nếu không)" error={fields.scopeProvince} maxLength={60} />
          <div>
            <button type="submit" className="btn">
              Gửi lời mời
            </button>
          </div>
        </Form>
        {invites.length ? (
          <ul>
            {invites.map((i) => (
              <li key={i.id}>
                {i.email} — {ROLE_LABELS[i.role as Role]} (hết hạn {i.expires}){" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="id" value={i.id} />
                  <button type="submit" className="btn secondary small">
                    Thu hồi
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section className="card">
        <h2>Tài khoản đang bị khóa đăng nhập</h2>
        {locked.length === 0 ? (
          <p className="muted">Không có tài khoản nào bị khóa.</p>
        ) : (
          <ul>
            {locked.map((l) => (
              <li key={l.userId}>
                {l.fullName} ({l.email}) — khóa đến {l.until}{" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="unlock" />
                  <input type="hidden" name="userId" value={l.userId} />
                  <button type="submit" className="btn secondary small">
                    Mở khóa
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card">
        <h2>Thư đi</h2>
        <p>
          Chờ gửi: {counts.queued ?? 0} · Đang gửi: {counts.sending ?? 0} · Đã gửi: {counts.sent ?? 0} · Gửi lỗi: {counts.failed ?? 0}
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tạo lúc</th>
                <th scope="col">Người nhận</th>
                <th scope="col">Tiêu đề</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>{m.at}</td>
                  <td>{m.to}</td>
                  <td>{m.subject}</td>
                  <td>
                    {STATUS[m.status]}
                    {m.sentAt ? ` (${m.sentAt})` : ""}
                    {m.attempts > 1 ? ` — ${m.attempts} lần thử` : ""}
                    {m.error ? <div className="field-error">Lỗi: {m.error}</div> : null}
                  </td>
                  <td>
                    {m.status === "failed" || m.status === "sent" ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="resend" />
                        <input type="hidden" name="id" value={m.id} />
                        <button type="submit" className="btn secondary small">
                          Gửi lại
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
