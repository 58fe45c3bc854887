import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";

import { Field, FormError } from "~/components/FormField";
import { requestPasswordReset } from "~/models/account/account.server";
import { ForgotPasswordSchema } from "~/schemas/auth";
import { requireAnonymous } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { clientIp, invalid, readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Quên mật khẩu — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request, "/account");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request, "/account");
  const parsed = parseForm(ForgotPasswordSchema, await readForm(request), "Vui lòng nhập đúng địa chỉ email.");
  if (!parsed.ok) return invalid(parsed);
  return withFormErrors(async () => {
    await requestPasswordReset({ email: parsed.data.email, client: clientIp(context) });
    // The same answer whether or not the address has an account.
    return redirect("/forgot-password?gui=1");
  });
}

export default function ForgotPassword() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const fields = data && "fields" in data ? data.fields : {};
  return (
    <div className="card" style={{ maxWidth: "34rem" }}>
      <h1>Quên mật khẩu</h1>
      {params.get("gui") && !data ? (
        <div className="alert ok" role="status">
          Kiểm tra hộp thư của bạn: nếu địa chỉ này có tài khoản, chúng tôi đã gửi liên kết đặt lại mật khẩu (dùng được một lần, trong 1
          giờ).
        </div>
      ) : null}
      <FormError message={data && "formError" in data ? data.formError : null} />
      <Form method="post" className="stack" noValidate>
        <Field name="email" label="Email của tài khoản" type="email" autoComplete="email" required error={fields.email} />
        <div className="actions">
          <button type="submit" className="btn">
            Gửi liên kết đặt lại
          </button>
          <Link to="/login">Quay lại đăng nhập</Link>
        </div>
      </Form>
    </div>
  );
}
