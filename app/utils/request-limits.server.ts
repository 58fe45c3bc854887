/**
 * Express guards that run before Remix on every request:
 *
 * - **A byte budget on the body, counted while reading.** Urlencoded, JSON and any other body:
 *   `BODY_LIMIT_MB` (1 MB); multipart: 100 MB per request (the per-file budgets, photo 15 MB and
 *   document 20 MB, are enforced part by part in `multipart.server.ts`). `Content-Length` alone is
 *   not trusted — a chunked body has none — so the bytes are counted as the HTTP parser hands them
 *   to the request stream. Past the budget the request is answered 413 in Vietnamese, no further
 *   byte reaches a reader and the connection is closed (lingering: the client's next few seconds
 *   of body are dropped, so it can read the 413 before the socket goes). Any 413 (a file over its
 *   own limit, found by the multipart reader) closes the connection the same way instead of
 *   letting Node read and discard the rest of a body that may be a gigabyte long.
 * - **Query strings screened like bodies**: a NUL character or invalid UTF-8 in any query parameter
 *   answers 400 with a message before a loader could hand it to the database.
 */
import type { IncomingMessage } from "node:http";

import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";

import { env } from "./env.server";
import { formatBytes } from "./format";
import { MAX_MULTIPART_REQUEST_BYTES } from "./multipart.server";

const TOO_LARGE = Symbol.for("cnnt.bodyTooLarge");
type Flagged = Response & { [TOO_LARGE]?: boolean };

function budgetOf(req: Request): number {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) return MAX_MULTIPART_REQUEST_BYTES;
  return env().BODY_LIMIT_MB * 1024 * 1024;
}

function tooLargeMessage(req: Request, budget: number): string {
  const multipart = budget === MAX_MULTIPART_REQUEST_BYTES;
  return multipart
    ? `Dữ liệu gửi lên quá lớn: mỗi lần gửi tối đa ${formatBytes(budget)} (mỗi ảnh dưới 15 MB, mỗi tài liệu dưới 20 MB). Phần còn lại không được nhận; hãy gửi ít tệp hơn mỗi lần.`
    : `Dữ liệu gửi lên quá lớn: biểu mẫu này nhận tối đa ${formatBytes(budget)}. Phần còn lại không được nhận; hãy rút gọn nội dung rồi gửi lại.`;
}

/** How long, and how many more bytes, a refused body is read and dropped before the socket is destroyed. */
export const LINGER_MS = 5_000;
export const LINGER_BYTES = 16 * 1024 * 1024;
/** Connections closing after a 413, with what their refused body still does to them. */
const lingering = new WeakMap<object, { dropped(bytes: number): void; ended(): void }>();

/**
 * A request that arrives on a connection closing after a 413 (pipelined behind the refused body):
 * its socket is destroyed and true is returned; it must not be served. Checked before the page
 * cache (server.ts) and again first thing in express (`bodyBudget`).
 */
export function refusedOnLingeringConnection(req: IncomingMessage): boolean {
  if (!lingering.has(req.socket)) return false;
  req.socket.destroy();
  return true;
}

/**
 * Closes the connection after a 413 the way nginx does ("lingering close"): the answer goes out,
 * our side of the connection is shut (FIN after the answer), and what the client still sends is
 * read and dropped — at most `LINGER_MS` after the answer or `LINGER_BYTES` — then the socket is
 * destroyed. Destroying it at once while the client still writes makes the kernel answer its next
 * bytes with a reset, and a client that had not read the 413 yet loses it (its next write fails
 * with EPIPE first). The request is destroyed with an error at the end, never ended: a reader still
 * waiting for the body fails, it never sees a short body as complete.
 */
function closeAfterResponse(req: Request, res: Response) {
  const socket = req.socket;
  if (lingering.has(socket)) return;
  let dropped = 0;
  const destroy = () => {
    if (!req.destroyed) req.destroy(new Error("body budget exceeded"));
  };
  const afterAnswer = (then: () => void) => (res.writableFinished ? then() : res.once("finish", then));
  lingering.set(socket, {
    dropped(bytes) {
      dropped += bytes;
      if (dropped > LINGER_BYTES) destroy();
    },
    // The refused body is all in: nothing more belongs to this connection (no request pipelined
    // behind it is parsed), so it goes as soon as the answer is out.
    ended: () => afterAnswer(destroy),
  });
  // Node ends a "Connection: close" answer with `socket.destroySoon()` (shut, then destroy once
  // flushed); for this socket it shuts our side and goes on reading (and dropping) instead.
  socket.destroySoon = function lingeringClose(this: typeof socket) {
    if (this.writable) this.end();
    this.resume();
  };
  afterAnswer(() => setTimeout(destroy, LINGER_MS).unref());
  // And whatever happens to the answer (a client that stops reading a large error page never lets
  // it finish), the connection is gone after twice that.
  setTimeout(destroy, 2 * LINGER_MS).unref();
}

function refuse(req: Request, res: Flagged, budget: number) {
  res[TOO_LARGE] = true;
  if (!res.headersSent) {
    res.status(413).setHeader("Connection", "close");
    res.setHeader("Cache-Control", "no-store");
    const message = tooLargeMessage(req, budget);
    if (req.path.startsWith("/api/")) res.json({ error: message });
    else res.type("text/plain; charset=utf-8").send(message);
  }
  closeAfterResponse(req, res);
}

/** The byte budget (see the module comment). */
export function bodyBudget(): RequestHandler {
  return (req, res: Flagged, next) => {
    // The 413 said "Connection: close"; what the client pipelined behind it is not served.
    if (refusedOnLingeringConnection(req)) return;
    const chunked = req.headers["transfer-encoding"] !== undefined;
    const declared = Number(req.headers["content-length"] ?? 0);
    if (!chunked && !declared) return next();
    const budget = budgetOf(req);

    // The request is destroyed with an error past the budget; nobody may be listening for it.
    req.on("error", () => {});
    let seen = 0;
    const push = req.push.bind(req);
    // The HTTP parser hands every body chunk to `push`: counting here sees the bytes as they
    // arrive, whoever reads the stream (Remix, or our resume below of a body nobody read). Once refused,
    // the rest is dropped while the connection lingers, and the body never ends.
    req.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (res[TOO_LARGE]) {
        const closing = lingering.get(req.socket);
        if (!chunk) {
          closing?.ended();
          return false;
        }
        closing?.dropped((chunk as Buffer).length);
        return true; // dropped; true keeps the socket reading while the connection lingers
      }
      if (chunk === null || chunk === undefined) return push(chunk as null);
      seen += (chunk as Buffer).length;
      if (seen > budget) {
        refuse(req, res, budget);
        return false;
      }
      return push(chunk as Buffer, encoding);
    };
    // After an answer given without reading the body (a 403, a 429, this 413), Node reads and
    // discards the rest itself (`_dump`) — below `push`, so uncounted: a gigabyte after a 429 was
    // read to its end. Resuming the body first keeps Node from dumping it, and every byte counted.
    res.once("prefinish", () => {
      if (!req.complete) req.resume();
    });
    if (declared > budget) return refuse(req, res, budget);
    // A 413 from further in (a file over its limit) must not leave Node reading the rest.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      if (status === 413 && !req.complete) {
        res.setHeader("Connection", "close");
        res[TOO_LARGE] = true;
        closeAfterResponse(req, res);
      }
      return writeHead(status, ...rest);
    }) as Response["writeHead"];
    next();
  };
}

/** After a 413 went out, the reader's late answer (it saw the body end early) has nowhere to go. */
export const bodyBudgetErrors: ErrorRequestHandler = (error, _req, res: Flagged, next) => {
  if (res[TOO_LARGE] && res.headersSent) return;
  next(error);
};

export const BAD_QUERY_MESSAGE =
  "Địa chỉ trang có tham số không hợp lệ (ký tự rỗng NUL hoặc mã UTF-8 sai). Hãy xoá phần sau dấu “?” trong địa chỉ rồi thử lại.";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Whether a raw query string decodes to valid UTF-8 without NUL (stray `%` are left as typed). */
export function queryIsClean(raw: string): boolean {
  const bytes = Buffer.concat(
    raw.split(/(%[0-9a-fA-F]{2})/).map((piece) =>
      /^%[0-9a-fA-F]{2}$/.test(piece) ? Buffer.from([parseInt(piece.slice(1), 16)]) : Buffer.from(piece.replace(/\+/g, " "), "utf8"),
    ),
  );
  try {
    return !strictUtf8.decode(bytes).includes("\u0000");
  } catch {
    return false;
  }
}

/** The query screen (see the module comment). */
export function queryScreen(): RequestHandler {
  return (req, res, next) => {
    const at = req.originalUrl.indexOf("?");
    if (at < 0 || queryIsClean(req.originalUrl.slice(at + 1))) return next();
    res.status(400).setHeader("Cache-Control", "no-store");
    if (req.path.startsWith("/api/")) res.json({ error: BAD_QUERY_MESSAGE });
    else res.type("text/plain; charset=utf-8").send(BAD_QUERY_MESSAGE);
  };
}
