import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { Field, FormError } from "~/components/FormField";
import { verifyLogin } from "~/models/account/user.server";
import { SignInSchema, safeRedirect } from "~/schemas/auth";
import { createSessionCookie, getUser, invalidateSession, sessionIdFrom } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { clientIp, invalid, readForm, withFormErrors } from "~/utils/http.server";
import { homeFor } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Đăng nhập — CNNT Tiêu biểu" }];

const NOTICES: Record<string, string> = {
  "dat-lai": "Đã đặt mật khẩu mới. Mọi phiên đăng nhập cũ đã kết thúc; hãy đăng nhập bằng mật khẩu mới.",
  "xac-nhan": "Đã xác nhận địa chỉ email. Hãy đăng nhập để tiếp tục.",
  "mo-khoa": "Đã mở khóa tài khoản. Hãy đăng nhập.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homeFor(user.roles));
  const notice = new URL(request.url).searchParams.get("tb");
  return json({ notice: notice ? (NOTICES[notice] ?? null) : null });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(SignInSchema, await readForm(request), "Vui lòng kiểm tra lại thông tin đăng nhập.");
  if (!parsed.ok) return invalid(parsed);
  // Decided before any session exists: a bad value can neither redirect away nor fail after one is made.
  const wanted = safeRedirect(parsed.data.redirectTo, "");
  return withFormErrors(async () => {
    const { id } = await verifyLogin({ ...parsed.data, client: clientIp(context) });
    // Session rotation: a sign-in never keeps a session id that existed before it.
    const previous = sessionIdFrom(request);
    if (previous) await invalidateSession(previous);
    const cookie = await createSessionCookie(id, { remember: parsed.data.remember === "on" });
    const user = await getUser(new Request(request.url, { headers: { Cookie: cookie.split(";")[0] } }));
    return redirect(wanted || homeFor(user?.roles ?? []), { headers: { "Set-Cookie": cookie } });
  });
}

export default function Login() {
  const { notice } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const fields = data && "fields" in data ? data.fields : {};
  return (
    <div className="card" style={{ maxWidth: "34rem" }}>
      <h1>Đăng nhập</h1>
      {notice ? (
        <div className="alert ok" role="status">
          {notice}
        </div>
      ) : null}
      <FormError message={data && "formError" in data ? data.formError : null} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field name="email" label="Email" type="email" autoComplete="username" required error={fields.email} />
        <Field name="password" label="Mật khẩu" type="password" autoComplete="current-password" required error={fields.password} />
        <label className="check">
          <input type="checkbox" name="remember" /> Ghi nhớ đăng nhập trên máy này
        </label>
        <div className="actions">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "Đang đăng nhập…" : "Đăng nhập"}
          </button>
          <Link to="/forgot-password">Quên mật khẩu?</Link>
          <Link to="/signup">Chưa có tài khoản? Đăng ký cơ sở</Link>
        </div>
      </Form>
    </div>
  );
}
