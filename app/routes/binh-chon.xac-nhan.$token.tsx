import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { FormFeedback } from "~/components/Confirm";
import { langFromPath, pathIn } from "~/i18n/config";
import { requestLang, requestT } from "~/i18n/i18next.server";
import { useT } from "~/i18n/react";
import { fixedT } from "~/i18n/t";
import { getRoundById } from "~/models/round/round.server";
import { peekVoterLink, redeemVoterLink, voterCookieHeader } from "~/models/vote/ballot.server";
import { appErrorIn, isAppError } from "~/utils/errors";
import { clientIp, withFormErrors } from "~/utils/http.server";
import { redirectWithToast } from "~/utils/toast.server";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const meta: MetaFunction = ({ location }) => {
  const t = fixedT(langFromPath(location.pathname));
  return [{ title: `${t("vote.confirm.title")} — ${t("common.titleSuffix")}` }, { name: "robots", content: "noindex" }];
};

/** The link's page: showing it never uses the link (mail scanners open links); the button does. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const link = await peekVoterLink(params.token ?? "");
    return json({ link, error: null }, { headers: { "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer" } });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return json(
      { link: null, error: appErrorIn(error, await requestLang(request)).message },
      { status: error.status, headers: { "Cache-Control": "private, no-store" } },
    );
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = await requestLang(request);
  const t = await requestT(request);
  return withFormErrors(async () => {
    const r = await redeemVoterLink({
      token: params.token ?? "",
      client: { ip: clientIp(context) ?? "0.0.0.0", userAgent: request.headers.get("User-Agent") },
    });
    const round = await getRoundById(r.roundId);
    return redirectWithToast(
      pathIn(lang, `/rounds/${round.slug}/binh-chon`),
      { message: r.cast ? t("vote.confirm.cast", { n: r.cast }) : t("vote.confirm.proven") },
      { headers: { "Set-Cookie": await voterCookieHeader({ voterId: r.voterId, email: r.email }) } },
    );
  }, lang);
}

export default function VoterLinkPage() {
  const { link, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <h1>{t("vote.confirm.title")}</h1>
      <FormFeedback result={result ?? (error ? { ok: false, formError: error } : null)} />
      {link && !result ? (
        <Form method="post" className="stack">
          <p>{link.purpose === "ballot" ? t("vote.confirm.ballot", { n: link.entries }) : t("vote.confirm.signIn")}</p>
          <button type="submit" className="btn">
            {t("vote.confirm.button")}
          </button>
        </Form>
      ) : null}
    </>
  );
}
