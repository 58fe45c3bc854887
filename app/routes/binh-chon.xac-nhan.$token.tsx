import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { FormFeedback } from "~/components/Confirm";
import { getRoundById } from "~/models/round/round.server";
import { peekVoterLink, redeemVoterLink, voterCookieHeader } from "~/models/vote/ballot.server";
import { isAppError } from "~/utils/errors";
import { clientIp, withFormErrors } from "~/utils/http.server";
import { redirectWithToast } from "~/utils/toast.server";

/** Every sentence of the page, in one place (to be translated later). */
const T = {
  title: "Xác nhận bình chọn",
  signIn: "Bấm nút dưới đây để xác nhận địa chỉ email và bình chọn.",
  ballot: (n: number) => `Bấm nút dưới đây để xác nhận lá phiếu cho ${n} sản phẩm.`,
  confirm: "Xác nhận",
  proven: "Đã xác nhận địa chỉ email. Hãy chọn sản phẩm bạn yêu thích.",
  cast: (n: number) => `Đã xác nhận lá phiếu: ghi nhận ${n} phiếu bình chọn.`,
} as const;

export const meta: MetaFunction = () => [{ title: `${T.title} — CNNT Tiêu biểu` }, { name: "robots", content: "noindex" }];

/** The link's page: showing it never uses the link (mail scanners open links); the button does. */
export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const link = await peekVoterLink(params.token ?? "");
    return json({ link, error: null }, { headers: { "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer" } });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return json(
      { link: null, error: error.message },
      { status: error.status, headers: { "Cache-Control": "private, no-store" } },
    );
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return withFormErrors(async () => {
    const r = await redeemVoterLink({
      token: params.token ?? "",
      client: { ip: clientIp(context) ?? "0.0.0.0", userAgent: request.headers.get("User-Agent") },
    });
    const round = await getRoundById(r.roundId);
    return redirectWithToast(
      `/rounds/${round.slug}/binh-chon`,
      { message: r.cast ? T.cast(r.cast) : T.proven },
      { headers: { "Set-Cookie": await voterCookieHeader({ voterId: r.voterId, email: r.email }) } },
    );
  });
}

export default function VoterLinkPage() {
  const { link, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>{T.title}</h1>
      <FormFeedback result={result ?? (error ? { ok: false, formError: error } : null)} />
      {link && !result ? (
        <Form method="post" className="stack">
          <p>{link.purpose === "ballot" ? T.ballot(link.entries) : T.signIn}</p>
          <button type="submit" className="btn">
            {T.confirm}
          </button>
        </Form>
      ) : null}
    </>
  );
}
