/**
 * Multipart bodies read as a stream, part by part, with a byte budget per part and per request:
 * a photo stops at 15 MB, a document at 20 MB, a text field at 1 MB, the request at 100 MB, and the
 * rest of an oversized body is never read. Remix's `unstable_parseMultipartFormData` does the
 * parsing; `request.formData()` would buffer the whole body (several times over) before we could
 * look at it. A body that ends before its closing boundary (the connection dropped) is refused as a
 * whole, so a half-received photo or field never reaches a model.
 */
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

import { MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES } from "../schemas/dossier";
import { formatBytes } from "./format";

/** The largest request body a multipart form may send (a few photos at once). */
export const MAX_MULTIPART_REQUEST_BYTES = 100 * 1024 * 1024;
/** A text field of a multipart form (the longest is a 5,000-character description). */
export const MAX_MULTIPART_FIELD_BYTES = 1024 * 1024;

/** Per-file budgets by field name; any other file field gets the document budget. */
export const FILE_PART_LIMITS: Record<string, { bytes: number; what: string }> = {
  photos: { bytes: MAX_PHOTO_BYTES, what: "Ảnh" },
  photo: { bytes: MAX_PHOTO_BYTES, what: "Ảnh" },
  document: { bytes: MAX_DOCUMENT_BYTES, what: "Tài liệu" },
};
const OTHER_FILE = { bytes: MAX_DOCUMENT_BYTES, what: "Tệp" };

/** Why a multipart body was refused: `status` 413 (too large) or 400 (broken or interrupted). */
export class MultipartRefused extends Error {
  constructor(
    public status: 400 | 413,
    message: string,
    public field?: string,
  ) {
    super(message);
    this.name = "MultipartRefused";
  }
}

export const INTERRUPTED_MESSAGE = "Tải lên bị gián đoạn (mất kết nối?) nên chưa lưu gì. Vui lòng gửi lại.";

/** The body as a stream that errors if it ends without the closing `--boundary--` (a dropped connection). */
function untilClosingBoundary(body: ReadableStream<Uint8Array>, boundary: string): ReadableStream<Uint8Array> {
  const closing = Buffer.from(`--${boundary}--`);
  let tail = Buffer.alloc(0);
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        tail = Buffer.concat([tail, chunk]).subarray(-(closing.length + 4));
        controller.enqueue(chunk);
      },
      flush(controller) {
        if (!tail.includes(closing)) controller.error(new MultipartRefused(400, INTERRUPTED_MESSAGE));
      },
    }),
  );
}

/**
 * Parses a multipart request within the budgets. Files become `File`s (empty file inputs are
 * dropped), fields strings.
 * @throws MultipartRefused 413 past a budget (the message names the file and the limit), 400 when
 *   the body is not multipart, is malformed or was cut off.
 */
export async function parseMultipart(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  const boundary = /;\s*boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!request.body || !boundary) throw new MultipartRefused(400, "Dữ liệu biểu mẫu không đúng định dạng multipart. Vui lòng gửi lại từ trang.");
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_MULTIPART_REQUEST_BYTES) throw tooLargeRequest(formatBytes(declared));

  let total = 0;
  const handler: UploadHandler = async ({ name, filename, contentType, data }) => {
    const isFile = typeof filename === "string";
    const limit = isFile ? (FILE_PART_LIMITS[name] ?? OTHER_FILE) : { bytes: MAX_MULTIPART_FIELD_BYTES, what: "Ô nhập" };
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      total += chunk.byteLength;
      if (size > limit.bytes) {
        const label = isFile ? `${limit.what} “${filename}”` : `Ô “${name}”`;
        throw new MultipartRefused(413, `${label} vượt quá ${formatBytes(limit.bytes)}, nên không được nhận (phần còn lại không được đọc). Hãy gửi tệp nhỏ hơn.`, name);
      }
      if (total > MAX_MULTIPART_REQUEST_BYTES) throw tooLargeRequest(`hơn ${formatBytes(MAX_MULTIPART_REQUEST_BYTES)}`);
      chunks.push(chunk);
    }
    if (!isFile) return new TextDecoder().decode(Buffer.concat(chunks));
    if (!filename && size === 0) return undefined;
    return new File(chunks as BlobPart[], filename, { type: contentType });
  };

  const streamed = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: untilClosingBoundary(request.body, boundary),
    duplex: "half", // a streamed body (undici)
  });
  try {
    return await unstable_parseMultipartFormData(streamed, handler);
  } catch (error) {
    if (error instanceof MultipartRefused) throw error;
    throw new MultipartRefused(400, INTERRUPTED_MESSAGE);
  }
}

function tooLargeRequest(size: string) {
  return new MultipartRefused(
    413,
    `Dữ liệu gửi lên quá lớn (${size}). Mỗi lần gửi tối đa ${formatBytes(MAX_MULTIPART_REQUEST_BYTES)}; hãy gửi ít ảnh hơn mỗi lần.`,
  );
}
