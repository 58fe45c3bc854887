import { json } from "@remix-run/node";

import { type Confirmation, CONFIRM_FIELD, type ConfirmationStep } from "./confirm";
import { pgErrorCode } from "./db.server";
import { appErrorIn, isAppError } from "./errors";
import { MultipartRefused, parseMultipart } from "./multipart.server";

export interface FormFailure {
  ok: false;
  formError: string;
  fields: Record<string, string>;
  /** What was typed, so the page rendered again without JavaScript keeps it. */
  values?: Record<string, string>;
}

export function formFailure(status: number, formError: string, fields: Record<string, string> = {}, values?: Record<string, string>) {
  return json<FormFailure>({ ok: false, formError, fields, ...(values ? { values } : {}) }, { status });
}

/** The answer to a form that `parseForm` refused: 400 with its message and the message per field. */
export function invalid(parsed: { formError: string; fields: Record<string, string> }) {
  return formFailure(400, parsed.formError, parsed.fields);
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
  let form: FormData;
  try {
    // Multipart is streamed within per-part budgets; urlencoded bodies are capped (1 MB) by
    // server.ts's byte budget before they reach us, so buffering them is safe.
    form = type.startsWith("multipart/form-data") ? await parseMultipart(request) : await request.formData();
  } catch (error) {
    if (error instanceof MultipartRefused && error.status === 413) throw new Response(error.message, { status: 413, headers: TEXT });
    throw new Response("Dữ liệu biểu mẫu bị hỏng hoặc gửi không trọn vẹn (mất kết nối?) nên chưa lưu gì. Vui lòng tải lại trang và gửi lại.", {
      status: 400,
      headers: TEXT,
    });
  }
  if (hasNulCharacter(form)) throw new Response(NUL_MESSAGE, { status: 400, headers: TEXT });
  return form;
}

export const NUL_MESSAGE = "Dữ liệu gửi lên chứa ký tự rỗng (NUL) không lưu được. Vui lòng gõ lại nội dung thay vì dán từ tệp khác.";

/** PostgreSQL text cannot hold U+0000: a form carrying one is refused before anything is stored. */
export function hasNulCharacter(form: FormData): boolean {
  for (const [key, value] of form) if (key.includes("\u0000") || (typeof value === "string" ? value : value.name).includes("\u0000")) return true;
  return false;
}

/**
 * Data exceptions PostgreSQL raises for a value no schema bounded (a number beyond the column's
 * range, a date that does not exist, text the column cannot hold). The statement failed, so
 * nothing was written: the user gets a 400, never a 500.
 */
const INPUT_DATA_EXCEPTIONS = new Set(["22001", "22003", "22007", "22008", "22021", "22P02", "22P05"]);

/**
 * Runs an action body; a rule violation (AppError) becomes a form error with its status — in English
 * on `/en` pages (`lang`) when the error carries an English message.
 */
export async function withFormErrors<T>(fn: () => Promise<T>, lang: "vi" | "en" = "vi") {
  try {
    return await fn();
  } catch (error) {
    if (isAppError(error)) {
      const shown = appErrorIn(error, lang);
      return formFailure(error.status, shown.message, shown.fields);
    }
    if (INPUT_DATA_EXCEPTIONS.has(pgErrorCode(error) ?? "")) {
      return formFailure(400, "Có giá trị không hợp lệ (số quá lớn, ngày không tồn tại hoặc ký tự không lưu được). Vui lòng kiểm tra lại các ô đã nhập.");
    }
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

/**
 * The server's half of a confirmed irreversible action: a form that arrives without `confirm=1`
 * (no JavaScript, or a hand-made request) writes nothing and gets a confirmation step naming the
 * consequence, carrying the same fields. Returns null when the form is confirmed.
 */
export function confirmationStep(form: FormData, confirmation: Confirmation) {
  if (form.get(CONFIRM_FIELD) === "1") return null;
  const carry: [string, string][] = [];
  for (const [key, value] of form) if (key !== CONFIRM_FIELD && typeof value === "string") carry.push([key, value]);
  return json<ConfirmationStep>({ confirmation: { ...confirmation, carry } });
}
