import { Writable } from "node:stream";

import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import type { i18n as I18n } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";

import { i18nForRequest } from "./i18n/i18next.server";
import { inlineScriptHashes, SCRIPT_HASHES_HEADER } from "./utils/csp.server";
import { databaseSuspect, noteDatabaseError } from "./utils/health.server";
import { NonceProvider } from "./utils/nonce";
import { stripViewPadding, viewPaddingFilter } from "./utils/react-stream.server";
import { TOAST_COOKIE } from "./utils/toast.server";

const ABORT_DELAY = 5_000;

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
  // whole and their inline scripts allowed by hash (server.ts puts the hashes in the CSP).
  if (responseHeaders.has("ETag")) return renderWithScriptHashes(request, responseStatusCode, responseHeaders, remixContext, i18n);
  const nonce = String((loadContext as { nonce?: string }).nonce ?? "");
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <NonceProvider value={nonce}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
        </NonceProvider>
      </I18nextProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = viewPaddingFilter();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

function renderWithScriptHashes(request: Request, status: number, responseHeaders: Headers, remixContext: EntryContext, i18n: I18n) {
  return new Promise<Response>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(Buffer.from(stripViewPadding(chunk)));
        done();
      },
      final(done) {
        const html = Buffer.concat(chunks).toString("utf8");
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        responseHeaders.set(SCRIPT_HASHES_HEADER, inlineScriptHashes(html).join(" "));
        resolve(new Response(html, { headers: responseHeaders, status }));
        done();
      },
    });
    const app = (
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </I18nextProvider>
    );
    const { pipe, abort } = renderToPipeableStream(app, {
      onAllReady() {
        pipe(sink);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        status = 500;
        console.error(error);
      },
    });
    setTimeout(abort, ABORT_DELAY);
  });
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
