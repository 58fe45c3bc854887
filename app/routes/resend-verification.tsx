import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

import { resendVerification } from "~/models/account.server";
import { requireUser } from "~/utils/auth.server";
import { orErrorPage } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw redirect("/account");
}

/** The banner's "Gửi lại thư xác nhận" (3 an hour). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  return orErrorPage(async () => {
    await resendVerification({ userId: user.id });
    return redirect("/account?gui-lai=ok");
  });
}
