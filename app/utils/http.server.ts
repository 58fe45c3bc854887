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

const TEXT = { "Content-Type": "text/plain; charset=utf-8" };

/**
 * The request's form. A body that is not a form (JSON, plain text, XML) or a form that breaks off
 * or cannot be parsed is refused with a Vietnamese message instead of failing with a 500; nothing
 * has been read into the database at that point. A POST without any body is an empty form.
 * @throws Response 415 for another content type, 400 for a broken form.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (!type && request.body === null) return new FormData();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    throw new Response("Yêu cầu không hợp lệ: dữ liệu phải được gửi từ biểu mẫu trên trang (không nhận JSON, văn bản hay định dạng khác).", {
      status: 415,
      headers: TEXT,
    });
  }
  try {
    return await request.formData();
  } catch {
    throw new Response("Dữ liệu biểu mẫu bị hỏng hoặc gửi không trọn vẹn (mất kết nối?) nên chưa lưu gì. Vui lòng tải lại trang và gửi lại.", {
      status: 400,
      headers: TEXT,
    });
  }
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
