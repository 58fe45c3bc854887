/**
 * Factories insert real rows through the models (defaults with overrides), and requestAs builds a
 * request with a real session cookie so loaders and actions are tested as routes.
 */
import crypto from "node:crypto";

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { issueToken, verifyEmail } from "../../app/models/account/account.server";
import { createUser, grantRole } from "../../app/models/account/user.server";
import { createSessionCookie } from "../../app/utils/auth.server";
import type { Role } from "../../app/utils/permissions";
import type { ShownToast } from "../../app/utils/toast";
import { getToast, TOAST_COOKIE } from "../../app/utils/toast.server";

export const TEST_PASSWORD = "mat-khau-thu-nghiem-2016";
export const BASE = "http://localhost:3000";

export interface TestUser {
  id: string;
  email: string;
  password: string;
  cookie: string;
}

export async function createTestUser(
  options: {
    roles?: Role[];
    email?: string;
    fullName?: string;
    organizerScope?: { scopeLevel?: string; scopeRegion?: string; scopeProvince?: string };
    /** false: the account as sign-up leaves it, before the verification link is followed. */
    verified?: boolean;
  } = {},
): Promise<TestUser> {
  const email = options.email ?? `u-${crypto.randomBytes(5).toString("hex")}@example.vn`;
  const roles = options.roles ?? ["facility"];
  const plain = roles.filter((r) => !(r === "organizer" && options.organizerScope));
  const { id } = await createUser({ email, password: TEST_PASSWORD, fullName: options.fullName ?? "Người Dùng Thử", roles: plain });
  // Verified the way a person does it: a link token issued and followed.
  if (options.verified !== false) await verifyEmail({ token: (await issueToken({ userId: id, purpose: "verify_email" })).token });
  if (options.organizerScope) await grantRole({ actorId: id, userId: id, role: "organizer", ...options.organizerScope });
  const cookie = (await createSessionCookie(id)).split(";")[0];
  return { id, email, password: TEST_PASSWORD, cookie };
}

type FormValue = string | number | File | Blob | (string | number)[];

/** A request as the user (null = anonymous), with a same-origin Origin header on non-GET. */
export function requestAs(
  user: Pick<TestUser, "cookie"> | null,
  path: string,
  init: { method?: string; form?: Record<string, FormValue | undefined>; body?: BodyInit; headers?: Record<string, string> } = {},
): Request {
  const method = init.method ?? (init.form || init.body ? "POST" : "GET");
  const headers = new Headers(init.headers);
  if (user) headers.set("Cookie", user.cookie);
  if (method !== "GET") headers.set("Origin", BASE);
  let body: BodyInit | undefined = init.body;
  if (init.form) {
    const form = new FormData();
    for (const [k, v] of Object.entries(init.form)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) form.append(k, String(item));
      else if (v instanceof Blob) form.append(k, v, (v as File).name ?? "file");
      else form.append(k, String(v));
    }
    body = form;
  }
  return new Request(new URL(path, BASE), { method, headers, body });
}

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;

/** Calls a loader or action like Remix does; a thrown Response is returned, not thrown. */
export async function call(handler: Handler | undefined, request: Request, params: Record<string, string> = {}): Promise<Response> {
  if (!handler) throw new Error("route has no such handler");
  try {
    const result = await handler({ request, params, context: { clientIp: "127.0.0.1" } });
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result ?? null), { status: 200, headers: { "Content-Type": "application/json" } });
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

export async function jsonOf<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/**
 * The one-time message a successful action redirected with: asserts the redirect and the signed
 * toast cookie, reads the message back as the root loader would, and gives the redirect target.
 */
export async function toastOf(response: Response): Promise<ShownToast & { location: string; cookie: string }> {
  if (response.status !== 302) throw new Error(`expected a redirect with a message, got ${response.status}: ${(await response.text()).slice(0, 400)}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${TOAST_COOKIE}=`));
  if (!cookie) throw new Error("the redirect carries no message cookie");
  const pair = cookie.split(";")[0];
  const { toast } = await getToast(new Request(BASE, { headers: { Cookie: pair } }));
  if (!toast) throw new Error("the message cookie does not verify");
  return { ...toast, location: response.headers.get("Location") ?? "", cookie: pair };
}

/** A form for an irreversible action, as sent after the person confirmed it. */
export function confirmed<T extends Record<string, unknown>>(form: T): T & { confirm: "1" } {
  return { ...form, confirm: "1" };
}
