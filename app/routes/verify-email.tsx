import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { checkToken, verifyEmail } from "~/models/account/account.server";
import { getUser } from "~/utils/auth.server";
import { formObject } from "~/utils/forms";
import { readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Xác nhận email — CNNT Tiêu biểu" }];

// Opening the link only shows a button: mail scanners that fetch links must not use the token.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = token ? await checkToken({ token, purpose: "verify_email" }) : { ok: false as const, message: "Thiếu mã xác nhận trong liên kết." };
  return json({ token, problem: check.ok ? null : check.message });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    await verifyEmail({ token: String(form.token ?? "") });
    const user = await getUser(request);
    return redirect(user ? "/facility?xac-nhan=ok" : "/login?tb=xac-nhan");
  });
}

export default function VerifyEmail() {
  const { token, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card" style={{ maxWidth: "34rem" }}>
      <h1>Xác nhận địa chỉ email</h1>
      <FormError message={(result && "formError" in result ? result.formError : null) ?? problem} />
      {problem ? null : (
        <Form method="post" className="stack">
          <input type="hidden" name="token" value={token} />
          <p>Bấm nút bên dưới để xác nhận đây là địa chỉ email của bạn.</p>
          <div>
            <button type="submit" className="btn">
              Xác nhận email
            </button>
          </div>
        </Form>
      )}
    </div>
  );
}
