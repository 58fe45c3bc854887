import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { pageAfterAccepting } from "~/models/account/invitation-rules";
import { acceptInvitation, declineInvitation, listMyInvitations } from "~/models/account/invitation.server";
import { requireUser } from "~/utils/auth.server";
import { formatDate } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Lời mời — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const invitations = await listMyInvitations({ userId: user.id });
  return json({ invitations: invitations.map((i) => ({ ...i, expires: formatDate(i.expiresAt) })), verified: user.emailVerified });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    const invitationId = Number(form.invitationId);
    if (form.intent === "decline") {
      await declineInvitation({ userId: user.id, invitationId });
      return redirect("/invitations?tu-choi=ok");
    }
    const accepted = await acceptInvitation({ userId: user.id, invitationId });
    return redirect(pageAfterAccepting(accepted));
  });
}

export default function Invitations() {
  const { invitations, verified } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Lời mời của tôi</h1>
      {params.get("tu-choi") ? (
        <div className="alert ok" role="status">
          Đã từ chối lời mời.
        </div>
      ) : null}
      <FormError message={result && "formError" in result ? result.formError : null} />
      {!verified ? <div className="alert info">Bạn cần xác nhận địa chỉ email trước khi nhận lời mời.</div> : null}
      {invitations.length === 0 ? (
        <p className="muted">Không có lời mời nào đang chờ.</p>
      ) : (
        <ul className="stack">
          {invitations.map((i) => (
            <li key={i.id} className="card">
              <p>
                Mời bạn {i.what} (hết hạn {i.expires}).
              </p>
              <div className="actions">
                <Form method="post" className="inline-form">
                  <input type="hidden" name="invitationId" value={i.id} />
                  <button type="submit" className="btn" name="intent" value="accept">
                    Nhận lời
                  </button>
                </Form>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="invitationId" value={i.id} />
                  <button type="submit" className="btn secondary" name="intent" value="decline">
                    Từ chối
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
