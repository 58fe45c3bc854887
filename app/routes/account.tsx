import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { Field, FormError } from "~/components/FormField";
import { accountPhone, setAccountPhone } from "~/models/account/account.server";
import { changePassword } from "~/models/account/user.server";
import { scopeNames } from "~/models/shared/reference.server";
import { ChangePasswordSchema, PASSWORD_MIN } from "~/schemas/auth";
import { createSessionCookie, requireUser } from "~/utils/auth.server";
import { formObject, parseForm } from "~/utils/forms";
import { invalid, readForm, withFormErrors } from "~/utils/http.server";
import { ROLE_LABELS } from "~/utils/permissions";
import { roleWithScope } from "~/utils/scope-text";

export const meta: MetaFunction = () => [{ title: "Tài khoản — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const names = await scopeNames();
  return json({
    fullName: user.fullName,
    email: user.email,
    roles: user.roles.map((r) => ({ ...r, label: roleWithScope(ROLE_LABELS[r.role], r, names) })),
    phone: await accountPhone(user.id),
    changed: url.searchParams.get("doi-mat-khau") === "ok",
    notice: url.searchParams.get("gui-lai")
      ? "Đã gửi lại thư xác nhận. Hãy mở hộp thư (cả mục thư rác)."
      : url.searchParams.get("nhan-loi")
        ? "Đã nhận lời mời: vai trò mới đã có hiệu lực."
        : url.searchParams.get("so-dien-thoai")
          ? "Đã lưu số điện thoại."
          : null,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = formObject(await readForm(request));
  if (form.intent === "phone") {
    return withFormErrors(async () => {
      await setAccountPhone({ userId: user.id, phone: String(form.phone ?? "") });
      return redirect("/account?so-dien-thoai=ok");
    });
  }
  const parsed = parseForm(ChangePasswordSchema, form, "Vui lòng sửa các lỗi bên dưới.");
  if (!parsed.ok) return invalid(parsed);
  return withFormErrors(async () => {
    await changePassword({ userId: user.id, current: parsed.data.current, password: parsed.data.password });
    // Every session was ended, this one too: continue in a fresh one.
    return redirect("/account?doi-mat-khau=ok", { headers: { "Set-Cookie": await createSessionCookie(user.id) } });
  });
}

export default function Account() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = result && "fields" in result ? result.fields : {};
  return (
    <>
      <h1>Tài khoản của tôi</h1>
      <div className="card">
        <p>
          <strong>{data.fullName}</strong> — {data.email}
        </p>
        <p>
          Vai trò:{" "}
          {data.roles.length
            ? data.roles
                .map((r) => r.label)
                .join("; ")
            : "chưa có"}
        </p>
      </div>
      {data.notice ? (
        <div className="alert ok" role="status">
          {data.notice}
        </div>
      ) : null}
      <div className="card">
        <h2>Số điện thoại</h2>
        <p className="muted">Để sau này nhận thông báo qua tin nhắn (SMS, Zalo). Hiện thông báo được gửi qua email.</p>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="phone" />
          <Field name="phone" label="Số điện thoại di động" type="tel" inputMode="tel" autoComplete="tel" defaultValue={data.phone ?? ""} maxLength={20} />
          <div>
            <button className="btn secondary" type="submit">
              Lưu số điện thoại
            </button>
          </div>
        </Form>
      </div>
      <div className="card">
        <h2>Đổi mật khẩu</h2>
        {data.changed ? (
          <div className="alert ok" role="status">
            Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.
          </div>
        ) : null}
        <FormError message={result && "formError" in result ? result.formError : null} />
        <Form method="post" className="stack" noValidate>
          <Field name="current" label="Mật khẩu hiện tại" type="password" autoComplete="current-password" required error={fields.current} />
          <Field
            name="password"
            label="Mật khẩu mới"
            type="password"
            autoComplete="new-password"
            required
            hint={`Ít nhất ${PASSWORD_MIN} ký tự.`}
            error={fields.password}
          />
          <Field name="confirm" label="Nhập lại mật khẩu mới" type="password" autoComplete="new-password" required error={fields.confirm} />
          <div>
            <button className="btn" type="submit">
              Đổi mật khẩu
            </button>
          </div>
        </Form>
      </div>
    </>
  );
}
