import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { checkToken, unlockAccount } from "~/models/account/account.server";
import { formObject } from "~/utils/forms";
import { readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Mở khóa tài khoản — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = token ? await checkToken({ token, purpose: "unlock" }) : { ok: false as const, message: "Thiếu mã trong liên kết." };
  return json({ token, problem: check.ok ? null : check.message });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    await unlockAccount({ token: String(form.token ?? "") });
    return redirect("/login?tb=mo-khoa");
  });
}

export default function Unlock() {
  const { token, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card" style={{ maxWidth: "34rem" }}>
      <h1>Mở khóa tài khoản</h1>
      <FormError message={(result && "formError" in result ? result.formError : null) ?? problem} />
      {problem ? null : (
        <Form method="post">
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="btn">
            Mở khóa và đăng nhập lại
          </button>
        </Form>
      )}
    </div>
  );
}
