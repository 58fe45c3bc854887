import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";

import { Field, FormError } from "~/components/FormField";
import { signUp } from "~/models/account/account.server";
import { PASSWORD_MIN, SignUpSchema } from "~/schemas/auth";
import { requireAnonymous } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { clientIp, invalid, readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Đăng ký tài khoản cơ sở — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request, "/facility");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request, "/facility");
  const parsed = parseForm(SignUpSchema, await readForm(request), "Vui lòng sửa các lỗi bên dưới.");
  if (!parsed.ok) return invalid(parsed);
  return withFormErrors(async () => {
    // The same answer whether or not the address already has an account (issue 16 §2).
    await signUp({ ...parsed.data, client: clientIp(context) });
    return redirect(`/signup?gui=${encodeURIComponent(parsed.data.email)}`);
  });
}

export default function SignUp() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const fields = data && "fields" in data ? data.fields : {};
  const sentTo = params.get("gui");
  if (sentTo && !data) {
    return (
      <div className="card" style={{ maxWidth: "34rem" }}>
        <h1>Kiểm tra hộp thư của bạn</h1>
        <p role="status">
          Chúng tôi đã gửi thư tới <strong>{sentTo}</strong>. Hãy mở thư và bấm liên kết xác nhận (dùng được trong 24 giờ) để có thể nộp
          hồ sơ. Trong lúc chờ, bạn đã có thể đăng nhập và soạn hồ sơ nháp.
        </p>
        <p className="muted">Không thấy thư? Hãy xem cả mục thư rác, hoặc đăng nhập rồi bấm “Gửi lại thư xác nhận”.</p>
        <p>
          <Link to="/login">Đăng nhập</Link>
        </p>
      </div>
    );
  }
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
