import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Field, FormError } from "~/components/FormField";
import { checkToken, resetPassword } from "~/models/account/account.server";
import { PASSWORD_MIN, ResetPasswordSchema } from "~/schemas/auth";
import { blankSessionCookie } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { invalid, readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Đặt mật khẩu mới — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = token ? await checkToken({ token, purpose: "reset_password" }) : { ok: false as const, message: "Thiếu mã trong liên kết." };
  return json({ token, problem: check.ok ? null : check.message });
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseForm(ResetPasswordSchema, await readForm(request), "Vui lòng sửa các lỗi bên dưới.");
  if (!parsed.ok) return invalid(parsed);
  return withFormErrors(async () => {
    await resetPassword({ token: parsed.data.token, password: parsed.data.password });
    // Every session of the account ended; this browser's cookie goes too.
    return redirect("/login?tb=dat-lai", { headers: { "Set-Cookie": blankSessionCookie() } });
  });
}

export default function ResetPassword() {
  const { token, problem } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const fields = data && "fields" in data ? data.fields : {};
  return (
    <div className="card" style={{ maxWidth: "34rem" }}>
      <h1>Đặt mật khẩu mới</h1>
      <FormError message={(data && "formError" in data ? data.formError : null) ?? problem} />
      {problem ? (
        <p>
          <Link to="/forgot-password">Yêu cầu liên kết mới</Link>
        </p>
      ) : (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="token" value={token} />
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
            <button type="submit" className="btn">
              Đặt mật khẩu mới
            </button>
          </div>
        </Form>
      )}
    </div>
  );
}
