import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

import { resendVerification } from "~/models/account/account.server";
import { requireUser } from "~/utils/auth.server";
import { orErrorPage, readForm } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw redirect("/account");
}

/** The banner's "Gửi lại thư xác nhận" (3 an hour). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // The body is screened like every form's (content type, size), though the button sends no field.
  await readForm(request);
  return orErrorPage(async () => {
    await resendVerification({ userId: user.id });
    return redirect("/account?gui-lai=ok");
  });
}
