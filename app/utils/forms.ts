import { z } from "zod";

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

/** A FormData as a plain object; repeated fields become arrays only when asked for. */
export function formObject(form: FormData, arrays: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key).map((v) => (typeof v === "string" ? v : v));
    out[key] = arrays.includes(key) ? values : values[0];
  }
  return out;
}
