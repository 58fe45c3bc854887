/**
 * Redirect after every successful POST, with a message shown once (Epic Stack's redirectWithToast):
 * a reload of the page that follows never posts the form again. The message lives in a signed
 * cookie session that the root loader reads and clears in the same response, so it works without
 * JavaScript and is never shown twice.
 */
import { createCookieSessionStorage, redirect } from "@remix-run/node";

import { env } from "./env.server";
import { type ShownToast, type Toast, ToastSchema } from "./toast";

export const TOAST_COOKIE = "cnnt_toast";
const TOAST_KEY = "toast" as const;

type ToastData = Record<string, never>;
type ToastFlash = { [TOAST_KEY]: ShownToast };
let storage: ReturnType<typeof createCookieSessionStorage<ToastData, ToastFlash>> | undefined;

function toastStorage() {
  storage ??= createCookieSessionStorage<ToastData, ToastFlash>({
    cookie: {
      name: TOAST_COOKIE,
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: env().NODE_ENV === "production",
      secrets: [env().sessionSecret],
    },
  });
  return storage;
}

/** A Set-Cookie value that carries the message to the next page. */
export async function toastCookie(toast: Toast): Promise<string> {
  const { getSession, commitSession } = toastStorage();
  const session = await getSession();
  const parsed = ToastSchema.parse({ ...toast, message: toast.message.slice(0, 600), details: toast.details?.slice(0, 12).map((d) => d.slice(0, 300)) });
  session.flash(TOAST_KEY, parsed);
  return commitSession(session);
}

/**
 * A redirect (302, like Remix's redirect) to `url` — usually `samePage(request)` — with a one-time message.
 * Extra headers (another Set-Cookie, for example) are kept.
 */
export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await toastCookie(toast));
  return redirect(url, { ...init, headers });
}

/** The address of the page the form was posted from (path and query, never another origin). */
export function samePage(request: Request): string {
  const url = new URL(request.url);
  // Remix adds its own query parameters to submissions made with JavaScript.
  url.searchParams.delete("index");
  url.searchParams.delete("_data");
  return `${url.pathname}${url.search}`;
}

/**
 * The message waiting for this request, if any, and the Set-Cookie that clears it. A cookie that
 * was tampered with or signed with another secret reads as no message.
 */
export async function getToast(request: Request): Promise<{ toast: ShownToast | null; headers: Headers | null }> {
  const cookie = request.headers.get("Cookie");
  if (!cookie?.includes(`${TOAST_COOKIE}=`)) return { toast: null, headers: null };
  const { getSession, destroySession } = toastStorage();
  const session = await getSession(cookie);
  const parsed = ToastSchema.safeParse(session.get(TOAST_KEY));
  return {
    toast: parsed.success ? parsed.data : null,
    headers: new Headers({ "Set-Cookie": await destroySession(session) }),
  };
}

/** At most `max` detail lines for a message (a cookie is small); the rest is counted. */
export function toastDetails(lines: string[], max = 10): string[] | undefined {
  if (!lines.length) return undefined;
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max - 1), `… và ${lines.length - (max - 1)} mục khác.`];
}
