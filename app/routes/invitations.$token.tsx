import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { pageAfterAccepting } from "~/models/account/invitation-rules";
import { acceptInvitation, findInvitationByToken } from "~/models/account/invitation.server";
import { requireUser } from "~/utils/auth.server";
import { formatDate } from "~/utils/format";
import { orErrorPage, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Lời mời — CNNT Tiêu biểu" }];

const STATES = {
  accepted: "Lời mời này đã được nhận rồi.",
  revoked: "Lời mời này đã bị người mời thu hồi.",
  declined: "Lời mời này đã bị từ chối.",
  expired: "Lời mời đã hết hạn. Hãy đề nghị người mời gửi lại.",
  pending: null,
} as const;

// Signing in comes first (requireUser comes back here), so the page never shows the invitation to
// someone who has not proved an account; whether it is theirs is checked on acceptance.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  return orErrorPage(async () => {
    const invitation = await findInvitationByToken(params.token ?? "");
    return json({ what: invitation.what, expires: formatDate(invitation.expiresAt), problem: STATES[invitation.state] });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  return withFormErrors(async () => redirect(pageAfterAccepting(await acceptInvitation({ userId: user.id, token: params.token ?? "" }))));
}

export default function InvitationPage() {
  const { what, expires, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card" style={{ maxWidth: "40rem" }}>
      <h1>Lời mời</h1>
      <p>
        Mời bạn {what} (hết hạn {expires}).
      </p>
      <FormError message={(result && "formError" in result ? result.formError : null) ?? problem} />
      {problem ? null : (
        <Form method="post">
          <button type="submit" className="btn">
            Nhận lời
          </button>
        </Form>
      )}
      <p>
        <Link to="/invitations">Tất cả lời mời của tôi</Link>
      </p>
    </div>
  );
}
