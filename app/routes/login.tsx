import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";

import { Field, FormError } from "~/components/FormField";
import { acceptInvites } from "~/models/facility-invite.server";
import { verifyLogin } from "~/models/user.server";
import { SignInSchema, safeRedirect } from "~/schemas/auth";
import { createSessionCookie, getUser, invalidateSession, sessionIdFrom } from "~/utils/auth.server";
import { fieldErrors, formObject } from "~/utils/forms";
import { clientIp, formFailure, readForm, withFormErrors } from "~/utils/http.server";
import { homeFor } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Đăng nhập — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homeFor(user.roles));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = SignInSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return formFailure(400, "Vui lòng kiểm tra lại thông tin đăng nhập.", fieldErrors(parsed.error));
  return withFormErrors(async () => {
    const { id } = await verifyLogin({ ...parsed.data, client: clientIp(context) });
    await acceptInvites({ userId: id });
    // Session rotation: a sign-in never keeps a session id that existed before it.
    const previous = sessionIdFrom(request);
    if (previous) await invalidateSession(previous);
    const cookie = await createSessionCookie(id);
    const user = await getUser(new Request(request.url, { headers: { Cookie: cookie.split(";")[0] } }));
    const to = safeRedirect(parsed.data.redirectTo, homeFor(user?.roles ?? []));
    return redirect(to, { headers: { "Set-Cookie": cookie } });
  });
}

export default function Login() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const fields = data && "fields" in data ? data.fields : {};
  return (
    <div className="card" style={{ maxWidth: "34rem" }}>
      <h1>Đăng nhập</h1>
      <FormError message={data && "formError" in data ? data.formError : null} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field name="email" label="Email" type="email" autoComplete="username" required error={fields.email} />
        <Field name="password" label="Mật khẩu" type="password" autoComplete="current-password" required error={fields.password} />
        <div className="actions">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "Đang đăng nhập…" : "Đăng nhập"}
          </button>
          <Link to="/signup">Chưa có tài khoản? Đăng ký cơ sở</Link>
        </div>
      </Form>
    </div>
  );
}
