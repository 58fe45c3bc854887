import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import type { i18n as I18n } from "i18next";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";

import { i18nForRequest } from "./i18n/i18next.server";
import { inlineScriptHashes, SCRIPT_HASHES_HEADER } from "./utils/csp.server";
import { databaseSuspect, noteDatabaseError } from "./utils/health.server";
import { NonceProvider } from "./utils/nonce";
import { textResponse } from "./utils/remix-express.server";
import { TOAST_COOKIE } from "./utils/toast.server";

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The language of the page is its URL's (`/en/…`): one i18next instance per request.
  const i18n = await i18nForRequest(request);
  // A request the database dropped mid-way is an outage (503, retry later), not a bug (500).
  if (responseStatusCode === 500 && databaseSuspect()) {
    responseStatusCode = 503;
    responseHeaders.set("Retry-After", "10");
  }
  // A page that shows (and clears) a one-time message is for this visitor, this once: never cached.
  if ((responseHeaders.get("Set-Cookie") ?? "").includes(`${TOAST_COOKIE}=`)) {
    responseHeaders.set("Cache-Control", "private, no-store");
    responseHeaders.delete("ETag");
  }
  // A page that can be answered 304 later (it carries an ETag) must not depend on a per-request
  // nonce: the browser would pair the next response's nonce with this body. Such pages are rendered
  // without one and their inline scripts allowed by hash (server.ts puts the hashes in the CSP).
  const cacheable = responseHeaders.has("ETag");
  const nonce = cacheable ? "" : String((loadContext as { nonce?: string }).nonce ?? "");
  const html = renderPage(request, remixContext, i18n, nonce);
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  if (cacheable) responseHeaders.set(SCRIPT_HASHES_HEADER, inlineScriptHashes(html).join(" "));
  // Written from this string by server.ts (remix-express.server.ts), not read back from a stream.
  return textResponse(html, { headers: responseHeaders, status: responseStatusCode });
}

/**
 * The whole page as one string. No route defers data (no Suspense boundary), so a streamed render
 * would send nothing earlier: it only cut the page into 2 KB views, each its own trip through the
 * compressor and the socket (and, in React 18, padded with NUL bytes where a multi-byte character
 * met a view's end). One string is one compression and one write (issue 18). A render error throws,
 * and Remix renders the error boundary instead, as it did for a streamed shell's error.
 */
function renderPage(request: Request, remixContext: EntryContext, i18n: I18n, nonce: string): string {
  const page = <RemixServer context={remixContext} url={request.url} />;
  return `<!DOCTYPE html>${renderToString(
    <I18nextProvider i18n={i18n}>{nonce ? <NonceProvider value={nonce}>{page}</NonceProvider> : page}</I18nextProvider>,
  )}`;
}

/** The same for fetcher and form data requests (`?_data=`). */
export function handleDataRequest(response: Response) {
  if (response.status !== 500 || !databaseSuspect()) return response;
  const headers = new Headers(response.headers);
  headers.set("Retry-After", "10");
  return new Response(response.body, { status: 503, headers });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (error instanceof Response) return;
  noteDatabaseError(error);
  console.error(error);
}
