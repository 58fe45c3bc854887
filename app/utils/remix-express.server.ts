/**
 * Express → Remix, as `@remix-run/express`'s createRequestHandler does, with one difference (issue
 * 18, item 5): an answer whose body is a string we made — a rendered page (entry.server.tsx) or a
 * `json()` of a loader or action (the router keeps its text, patches/) — is written from that
 * string in one `end()`, instead of reading undici's body stream back chunk by chunk and encoding
 * it again. Any other body (a file, a stream) is streamed as before.
 */
import { createReadableStreamFromReadable, createRequestHandler as createRemixHandler, writeReadableStreamToWritable } from "@remix-run/node";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import type express from "express";

/** Where a response's own text is kept (the same symbol as in the router's patch). */
export const BODY_TEXT = Symbol.for("cnnt.body-text");

/**
 * A rendered page as a Response whose text is written as it is. Given the string, undici's Response
 * makes its body stream at once (checking each of a page's ~36,000 characters for lone surrogates,
 * then a ReadableStream) for a stream nobody reads here: ~2 % of a signed-in page's CPU in its
 * profile. This one makes that body only when something asks for it (reads `body`, `text()`…);
 * sendResponse writes the text itself.
 */
class TextResponse extends Response {
  readonly #text: string;
  #full: Response | null = null;

  constructor(text: string, init: ResponseInit) {
    super(null, init);
    this.#text = text;
    Object.defineProperty(this, BODY_TEXT, { value: text });
  }

  #init(): ResponseInit {
    return { status: this.status, statusText: this.statusText, headers: this.headers };
  }

  #withBody(): Response {
    return (this.#full ??= new Response(this.#text, this.#init()));
  }

  override get body() {
    return this.#withBody().body;
  }
  override get bodyUsed() {
    return this.#full?.bodyUsed ?? false;
  }
  override text() {
    return this.#withBody().text();
  }
  override json() {
    return this.#withBody().json();
  }
  override arrayBuffer() {
    return this.#withBody().arrayBuffer();
  }
  override blob() {
    return this.#withBody().blob();
  }
  override formData() {
    return this.#withBody().formData();
  }
  override bytes() {
    return this.#withBody().bytes();
  }
  override clone(): Response {
    return new TextResponse(this.#text, this.#init());
  }
}

/** A Response whose text is written as it is (pages rendered to one string, `json()` answers). */
export function textResponse(text: string, init: ResponseInit): Response {
  return new TextResponse(text, init);
}

// The router's `json()` and the server runtime's copy of a response with a new header make theirs
// with this (patches/): a loader's data is parsed from its text, and no body stream is made for
// it (two per page: the root's and the route's).
(globalThis as Record<symbol, unknown>)[Symbol.for("cnnt.text-response")] = textResponse;

function requestHeaders(raw: express.Request["headers"]): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const one of value) headers.append(key, one);
    else headers.set(key, value);
  }
  return headers;
}

function remixRequest(req: express.Request, res: express.Response): Request {
  // req.hostname respects "trust proxy"; the port comes from X-Forwarded-Host or Host.
  const portOf = (value: string | undefined) => Number.parseInt(value?.split(":")[1] ?? "", 10);
  const port = [portOf(req.get("X-Forwarded-Host")), portOf(req.get("host"))].find((p) => Number.isSafeInteger(p));
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: requestHeaders(req.headers), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  // Loaders and actions are aborted when the answer can no longer be written (close before finish).
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url, init);
}

async function sendResponse(res: express.Response, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // Appended as upstream does: beside the security headers already set, each Set-Cookie its own.
  for (const [key, value] of response.headers) res.append(key, value);
  const text = (response as Response & { [BODY_TEXT]?: unknown })[BODY_TEXT];
  if (typeof text === "string" && !response.bodyUsed) res.end(text);
  else if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

export function createRequestHandler(options: {
  build: ServerBuild;
  mode?: string;
  getLoadContext?: (req: express.Request, res: express.Response) => AppLoadContext;
}): express.RequestHandler {
  const handle = createRemixHandler(options.build, options.mode);
  return async (req, res, next) => {
    try {
      const response = await handle(remixRequest(req, res), options.getLoadContext?.(req, res));
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}
