import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

import { blankSessionCookie, invalidateSession, sessionIdFrom } from "~/utils/auth.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const sessionId = sessionIdFrom(request);
  if (sessionId) await invalidateSession(sessionId);
  return redirect("/", { headers: { "Set-Cookie": blankSessionCookie() } });
}
