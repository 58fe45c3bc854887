/**
 * Answers compressed in one piece (issue 18, item 5). A page is rendered to one string
 * (entry.server.tsx), so its whole body is known when Remix writes it. The `compression` middleware
 * streams it nonetheless: a zlib stream per answer, each write, flush (Remix flushes after every
 * chunk) and end a round trip through libuv's thread pool, then a chunked answer. On the juror's
 * sheet page (29 KB, 2 workers on 2 cores) that machinery cost more than the rendering: 228 req/s
 * with it, 318 without compressing at all, 309 compressing the same body in one synchronous call
 * (~0.2 ms for 29 KB at gzip 6) and sending it with its Content-Length.
 *
 * So an answer that a client may take compressed (br preferred, else gzip; quality 3 / level 3: half
 * the CPU of 4 / 6 for ~7% more bytes on a page made for one visitor) is held until it ends,
 * compressed once and sent with Content-Length. One
 * that grows past ONE_PIECE_BYTES is handed, as written so far, to the `compression` middleware
 * mounted before this one, which streams it (a large export or script never blocks the process for
 * long). Not held: HEAD, 204/304, an answer already encoded (the page cache's), a type not worth
 * compressing (photos, PDFs), `Cache-Control: no-transform`, an answer whose head was written
 * explicitly, and any answer to a client that takes neither encoding.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import zlib from "node:zlib";

/** Content types worth compressing (also what the page cache pre-compresses). */
export const COMPRESSIBLE = /^(text\/|application\/(json|xml|javascript)|image\/svg\+xml)/i;

/** Held at most this long; past it the answer is streamed by `compression`. */
export const ONE_PIECE_BYTES = 256 * 1024;
/** Below this an answer is sent as it is (compression's own threshold). */
const MIN_BYTES = 1024;
const BROTLI_QUALITY = 3;
const GZIP_LEVEL = 3;

type Encoding = "br" | "gzip";

/** Whether an Accept-Encoding header takes `name` (listed, and not with q=0). */
export function takesEncoding(accept: string, name: Encoding): boolean {
  const match = new RegExp(`(?:^|,)\\s*${name}\\s*(;[^,]*)?(?:,|$)`, "i").exec(accept);
  if (!match) return false;
  const q = /;\s*q=([\d.]+)/i.exec(match[1] ?? "");
  return !q || Number(q[1]) > 0;
}

/** The encoding a client takes, brotli first; null for neither. */
export function acceptedEncoding(accept: string | undefined): Encoding | null {
  if (!accept) return null;
  if (takesEncoding(accept, "br")) return "br";
  if (takesEncoding(accept, "gzip")) return "gzip";
  return null;
}

export function compressBody(body: Buffer, encoding: Encoding): Buffer {
  return encoding === "br"
    ? zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : zlib.gzipSync(body, { level: GZIP_LEVEL });
}

/** A Vary value that also names Accept-Encoding (unchanged if it already does, or is `*`). */
export function varyWithEncoding(vary: string): string {
  if (/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) return vary;
  return vary ? `${vary}, Accept-Encoding` : "Accept-Encoding";
}

type Callback = (error?: Error | null) => void;

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (typeof chunk === "string") return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
}

function holdable(res: ServerResponse): boolean {
  if (res.headersSent || res.statusCode === 204 || res.statusCode === 304 || res.getHeader("content-encoding")) return false;
  if (!COMPRESSIBLE.test(String(res.getHeader("content-type") ?? ""))) return false;
  return !/\bno-transform\b/i.test(String(res.getHeader("cache-control") ?? ""));
}

/** Express middleware; mount it right after `compression()` (which it falls back to). */
export function compressInOnePiece(req: IncomingMessage, res: ServerResponse, next: () => void) {
  const encoding = req.method === "HEAD" ? null : acceptedEncoding(req.headers["accept-encoding"]);
  if (!encoding) return next();
  const flushable = res as ServerResponse & { flush?: () => void };
  const write = res.write;
  const end = res.end;
  const flush = flushable.flush;
  let state: "undecided" | "holding" | "passing" = "undecided";
  const held: Buffer[] = [];
  const callbacks: Callback[] = [];
  let size = 0;
  const send = (...args: unknown[]) => (write as (...a: unknown[]) => boolean).apply(res, args);
  const finish = (...args: unknown[]) => (end as (...a: unknown[]) => ServerResponse).apply(res, args);

  const release = () => {
    state = "passing";
    res.write = write;
    res.end = end;
    if (flush) flushable.flush = flush;
    else delete flushable.flush;
  };
  const decide = () => {
    if (holdable(res)) state = "holding";
    else release();
    return state === "holding";
  };
  const hold = (chunk: unknown, encodingArg: unknown, callback: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function") {
      const buffer = toBuffer(chunk, encodingArg);
      held.push(buffer);
      size += buffer.length;
    }
    const cb = [chunk, encodingArg, callback].find((a) => typeof a === "function") as Callback | undefined;
    if (cb) callbacks.push(cb);
  };
  const done = (error?: Error | null) => {
    for (const cb of callbacks.splice(0)) cb(error);
  };

  res.write = function (chunk: unknown, encodingArg?: unknown, callback?: unknown) {
    if (state === "undecided" && !decide()) return send(...[chunk, encodingArg, callback].filter((a) => a !== undefined));
    hold(chunk, encodingArg, callback);
    if (size > ONE_PIECE_BYTES) {
      // Too long to hold: what was written goes on to the streaming compressor, and the rest after it.
      const pending = held.splice(0);
      release();
      for (const buffer of pending.slice(0, -1)) send(buffer);
      return send(pending[pending.length - 1], (error?: Error | null) => done(error));
    }
    return true;
  } as typeof res.write;

  res.end = function (chunk?: unknown, encodingArg?: unknown, callback?: unknown) {
    if (state === "undecided" && !decide()) return finish(...[chunk, encodingArg, callback].filter((a) => a !== undefined));
    hold(chunk, encodingArg, callback);
    release();
    const body = held.length === 1 ? held[0] : Buffer.concat(held);
    held.length = 0;
    if (body.length < MIN_BYTES || size > ONE_PIECE_BYTES) return finish(body, () => done());
    const packed = compressBody(body, encoding);
    res.setHeader("Content-Encoding", encoding);
    res.setHeader("Content-Length", packed.length);
    res.setHeader("Vary", varyWithEncoding(String(res.getHeader("vary") ?? "")));
    return finish(packed, () => done());
  } as typeof res.end;

  // Remix flushes after every chunk: nothing to flush while the answer is held.
  flushable.flush = () => {
    if (state === "passing") flush?.call(res);
  };
  next();
}
