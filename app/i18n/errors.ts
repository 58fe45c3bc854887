/**
 * Refusals in both languages (issue 19): a model throws `translatedError(status, key, …)` and the
 * AppError carries the Vietnamese message (`message`, as every other AppError) and its English twin
 * (`english`), both from the translation resources. Routes of `/en` pages show the English one
 * (`withFormErrors(fn, lang)`, `appErrorIn(error, lang)`); everything else — logs, organiser pages,
 * tests — keeps reading the Vietnamese message. Models need not know the request's language.
 *
 * Pure and browser-importable (no `.server`): rules modules may use it too.
 */
import { AppError } from "../utils/errors";
import type { Lang } from "./config";
import { fixedT } from "./t";

type Params = Record<string, unknown>;

/** A key of the resources under `vote.refused`, or any full key. */
export function translated(key: string, lang: Lang, params: Params = {}): string {
  return fixedT(lang)(key, params) as string;
}

/**
 * An AppError whose message (and per-field messages) come from the resources in both languages.
 * `params` may depend on the language (dates and numbers are formatted for each).
 */
export function translatedError(
  status: number,
  key: string,
  params: Params | ((lang: Lang) => Params) = {},
  fieldKeys: Record<string, string> = {},
): AppError {
  const inLang = (lang: Lang) => {
    const p = typeof params === "function" ? params(lang) : params;
    return {
      message: translated(key, lang, p),
      fields: Object.fromEntries(Object.entries(fieldKeys).map(([field, k]) => [field, translated(k, lang, p)])),
    };
  };
  const vi = inLang("vi");
  const error = new AppError(status, vi.message, vi.fields);
  error.english = inLang("en");
  return error;
}
