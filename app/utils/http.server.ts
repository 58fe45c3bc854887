import { json } from "@remix-run/node";

import { isAppError } from "./errors";

export interface FormFailure {
  ok: false;
  formError: string;
  fields: Record<string, string>;
}

export function formFailure(status: number, formError: string, fields: Record<string, string> = {}) {
  return json<FormFailure>({ ok: false, formError, fields }, { status });
}

/** Runs an action body; a rule violation (AppError) becomes a form error with its status. */
export async function withFormErrors<T>(fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (error) {
    if (isAppError(error)) return formFailure(error.status, error.message, error.fields);
    throw error;
  }
}

/** For loaders: a rule violation becomes an error page with its status and message. */
export async function orErrorPage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isAppError(error)) {
      throw new Response(error.message, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    throw error;
  }
}

export interface AppContext {
  nonce?: string;
  clientIp?: string;
}

export function clientIp(context: unknown): string | undefined {
  return (context as AppContext | undefined)?.clientIp;
}
