import { PassThrough } from "node:stream";

import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";

import { databaseSuspect, noteDatabaseError } from "./utils/health.server";
import { NonceProvider } from "./utils/nonce";
import { TOAST_COOKIE } from "./utils/toast.server";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
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
  const nonce = String((loadContext as { nonce?: string }).nonce ?? "");
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
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
