/**
 * A stored file as an HTTP answer, streamed from storage (never read whole into memory), with
 * conditional requests (ETag / If-None-Match, Last-Modified / If-Modified-Since → 304) and one byte
 * range (`Range: bytes=…` → 206 with Content-Range; unsatisfiable → 416; `If-Range` honoured).
 * Several ranges in one request are answered with the whole file (allowed by RFC 9110). The caller
 * has already decided the viewer may read the file: this module only serves it.
 */
import { createReadableStreamFromReadable } from "@remix-run/node";

import { storage } from "./index.server";
import type { ByteRange } from "./types";

export type RangeAnswer = { kind: "full" } | { kind: "partial"; range: ByteRange } | { kind: "unsatisfiable" };

/** Reads a `Range` header against a size (RFC 9110 §14.1.2); anything not a single bytes range is "full". */
export function parseRange(header: string | null, size: number): RangeAnswer {
  if (!header) return { kind: "full" };
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return { kind: "full" };
  if (m[1] === "") {
    // The last N bytes.
    const n = Number(m[2]);
    if (!Number.isSafeInteger(n) || n === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", range: { start: Math.max(0, size - n), end: size - 1 } };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (!Number.isSafeInteger(start) || start >= size) return { kind: "unsatisfiable" };
  if (end < start) return { kind: "full" }; // syntactically invalid: ignored
  return { kind: "partial", range: { start, end } };
}

const notFound = () => new Response("Không tìm thấy tệp.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/**
 * Serves `key` with the given headers (Content-Type, Cache-Control, Content-Disposition…).
 * @param etag a strong validator of these exact bytes (quoted)
 * @param lastModified when these bytes came to be; defaults to the stored object's time
 */
export async function serveStored(request: Request, key: string, options: { etag: string; lastModified?: Date; headers: Headers; ranges?: boolean }): Promise<Response> {
  const store = storage();
  const stat = await store.stat(key);
  if (!stat) return notFound();
  const headers = new Headers(options.headers);
  const modified = new Date(Math.floor((options.lastModified?.getTime() ?? stat.mtimeMs) / 1000) * 1000);
  headers.set("ETag", options.etag);
  headers.set("Last-Modified", modified.toUTCString());
  if (options.ranges !== false) headers.set("Accept-Ranges", "bytes");

  const ifNoneMatch = request.headers.get("If-None-Match");
  const ifModifiedSince = request.headers.get("If-Modified-Since");
  const matches = ifNoneMatch
    ? ifNoneMatch.split(",").some((t) => t.trim() === options.etag || t.trim() === `W/${options.etag}` || t.trim() === "*")
    : Boolean(ifModifiedSince) && !Number.isNaN(Date.parse(ifModifiedSince!)) && modified.getTime() <= Date.parse(ifModifiedSince!);
  if (matches && (request.method === "GET" || request.method === "HEAD")) return new Response(null, { status: 304, headers });

  let answer: RangeAnswer = options.ranges === false ? { kind: "full" } : parseRange(request.headers.get("Range"), stat.size);
  const ifRange = request.headers.get("If-Range");
  if (answer.kind !== "full" && ifRange && ifRange.trim() !== options.etag && ifRange.trim() !== modified.toUTCString()) answer = { kind: "full" };
  if (answer.kind === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${stat.size}`);
    headers.delete("Content-Disposition");
    headers.set("Content-Type", "text/plain; charset=utf-8");
    return new Response("Khoảng byte yêu cầu nằm ngoài tệp.", { status: 416, headers });
  }
  const range = answer.kind === "partial" ? answer.range : undefined;
  const length = range ? range.end - range.start + 1 : stat.size;
  headers.set("Content-Length", String(length));
  if (range) headers.set("Content-Range", `bytes ${range.start}-${range.end}/${stat.size}`);
  const status = range ? 206 : 200;
  if (request.method === "HEAD") return new Response(null, { status, headers });
  const stream = await store.read(key, range);
  if (!stream) return notFound();
  return new Response(createReadableStreamFromReadable(stream), { status, headers });
}
