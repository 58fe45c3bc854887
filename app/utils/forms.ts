import { z } from "zod";

import { AppError } from "./errors";

// zod's own messages (a field a hand-made request leaves out, a value of the wrong type) come in
// Vietnamese too; the schemas' specific messages still win wherever they are given.
z.config(z.locales.vi());

/** First message per field, for showing beside each input. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/**
 * A FormData as a plain object: each field's first value, in the form's order; repeated fields become
 * arrays only when asked for. One pass over the entries (getAll per field walks them all each time: a
 * sheet's ~50 fields made it ~1.4 % of a submission's CPU).
 */
export function formObject(form: FormData, arrays: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [key, value] of form) {
    const first = !seen.has(key);
    if (first) seen.add(key);
    if (arrays.includes(key)) {
      if (first) out[key] = [];
      (out[key] as unknown[]).push(value);
    } else if (first) out[key] = value;
  }
  return out;
}

/** What `parseForm` gives: the schema's output, or the form's message and the first message per field. */
export type FormParse<T> = { ok: true; data: T } | { ok: false; formError: string; fields: Record<string, string> };

export const CHECK_FIELDS = "Vui lòng kiểm tra các ô được đánh dấu.";

/**
 * The one way a form is checked: a FormData (or the object made of one) against the model's zod
 * schema. Routes answer a failure with `invalid(parsed)` (http.server.ts); models use `parseOrThrow`.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  input: FormData | Record<string, unknown>,
  formError: string = CHECK_FIELDS,
  arrays: string[] = [],
): FormParse<z.output<S>> {
  const parsed = schema.safeParse(input instanceof FormData ? formObject(input, arrays) : input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, formError, fields: fieldErrors(parsed.error) };
}

/**
 * For models: the schema's output, or an AppError 400 with the message per field (a route's
 * `withFormErrors` shows it beside each input).
 * @throws AppError 400 when the input does not match.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, formError: string = "Vui lòng sửa các lỗi bên dưới."): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError(400, formError, fieldErrors(parsed.error));
  return parsed.data;
}
