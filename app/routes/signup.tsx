import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";

import { Field, FormError } from "~/components/FormField";
import { acceptInvites } from "~/models/facility-invite.server";
import { createUser } from "~/models/user.server";
import { PASSWORD_MIN, SignUpSchema } from "~/schemas/auth";
import { createSessionCookie, requireAnonymous } from "~/utils/auth.server";
import { fieldErrors, formObject } from "~/utils/forms";
import { formFailure, readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Đăng ký tài khoản cơ sở — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request, "/facility");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request, "/facility");
  const parsed = SignUpSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return formFailure(400, "Vui lòng sửa các lỗi bên dưới.", fieldErrors(parsed.error));
  return withFormErrors(async () => {
    const { id } = await createUser({ email: parsed.data.email, password: parsed.data.password, fullName: parsed.data.fullName });
    await acceptInvites({ userId: id });
    return redirect("/facility", { headers: { "Set-Cookie": await createSessionCookie(id) } });
  });
}

export default function SignUp() {
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const fields = data && "fields" in data ? data.fields : {};
  return (
    <div className="card" style={{ maxWidth: "34rem" }}>
      <h1>Đăng ký tài khoản cơ sở</h1>
      <p className="muted">
        Dành cho chủ cơ sở công nghiệp nông thôn (doanh nghiệp nhỏ và vừa, hợp tác xã, tổ hợp tác, hộ kinh doanh) muốn đăng ký
        sản phẩm tham gia bình chọn.
      </p>
      <FormError message={data && "formError" in data ? data.formError : null} />
      <Form method="post" className="stack" noValidate>
        <Field name="fullName" label="Họ và tên" autoComplete="name" required error={fields.fullName} maxLength={120} />
        <Field name="email" label="Email" type="email" autoComplete="email" required error={fields.email} />
        <Field
          name="password"
          label="Mật khẩu"
          type="password"
          autoComplete="new-password"
          required
          hint={`Ít nhất ${PASSWORD_MIN} ký tự.`}
          error={fields.password}
        />
        <Field name="confirm" label="Nhập lại mật khẩu" type="password" autoComplete="new-password" required error={fields.confirm} />
        <div className="actions">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "Đang tạo tài khoản…" : "Tạo tài khoản"}
          </button>
          <Link to="/login">Đã có tài khoản? Đăng nhập</Link>
        </div>
      </Form>
    </div>
  );
}
