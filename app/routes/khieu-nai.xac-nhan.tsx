import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { checkComplaintRequest, confirmComplaintRequest } from "~/models/results/complaint.server";
import { formObject } from "~/utils/forms";
import { readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Xác nhận gửi khiếu nại — CNNT Tiêu biểu" }];

// Opening the link only shows what will be recorded and a button: mail scanners that fetch links
// must not record a complaint. No account is needed: the link proves the address.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = token
    ? await checkComplaintRequest({ token })
    : { ok: false as const, message: "Thiếu mã xác nhận trong liên kết." };
  return json(
    check.ok
      ? {
          token,
          problem: null,
          request: {
            roundTitle: check.roundTitle,
            subject: check.subject,
            body: check.body,
            pdfName: check.pdfName,
            email: check.email,
          },
        }
      : { token, problem: check.message, request: null },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    const r = await confirmComplaintRequest({ token: String(form.token ?? "") });
    return redirect(`/khieu-nai/${r.code}?key=${encodeURIComponent(r.key)}`);
  });
}

export default function ConfirmComplaint() {
  const { token, problem, request: req } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card" style={{ maxWidth: "40rem" }}>
      <h1>Xác nhận gửi khiếu nại</h1>
      <FormError message={(result && "formError" in result ? result.formError : null) ?? problem} />
      {req ? (
        <Form method="post" className="stack">
          <input type="hidden" name="token" value={token} />
          <dl>
            <dt>Đợt bình chọn</dt>
            <dd>{req.roundTitle}</dd>
            <dt>Về</dt>
            <dd>{req.subject}</dd>
            <dt>Email</dt>
            <dd>{req.email}</dd>
            <dt>Nội dung</dt>
            <dd style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{req.body}</dd>
            {req.pdfName ? (
              <>
                <dt>Tài liệu kèm theo</dt>
                <dd>{req.pdfName}</dd>
              </>
            ) : null}
          </dl>
          <p>Bấm nút bên dưới để gửi khiếu nại này. Sau khi xác nhận, bạn nhận mã khiếu nại và giấy biên nhận.</p>
          <div>
            <button type="submit" className="btn">
              Xác nhận gửi khiếu nại
            </button>
          </div>
        </Form>
      ) : null}
    </div>
  );
}
