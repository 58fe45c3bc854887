/**
 * A rule violation the user can act on: an HTTP status and a Vietnamese message, optionally per
 * field. Models throw it; routes turn it into a form error or an error page.
 */
export class AppError extends Error {
  constructor(
    public status: number,
    message: string,
    public fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  /** The same message in English, for refusals shown on `/en` pages (set by app/i18n/errors.ts). */
  english?: { message: string; fields: Record<string, string> };
}

/** An AppError's message and fields in a language: English when the error carries it, else Vietnamese. */
export function appErrorIn(error: AppError, lang: "vi" | "en"): { message: string; fields: Record<string, string> } {
  return lang === "en" && error.english ? error.english : { message: error.message, fields: error.fields };
}

export const notFound = (what = "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.") => new AppError(404, what);
export const forbidden = (what = "Bạn không có quyền thực hiện thao tác này.") => new AppError(403, what);

/** Throws a Response with a Vietnamese message when the condition is false (Epic Stack's invariantResponse). */
export function invariantResponse(condition: unknown, message: string, status = 400): asserts condition {
  if (!condition) {
    throw new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (error as { name?: string } | null)?.name === "AppError";
}
