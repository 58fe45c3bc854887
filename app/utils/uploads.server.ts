/**
 * Upload handling: sniff the real type from the bytes, refuse what is not an image (or a PDF),
 * guard against decompression bombs, auto-rotate by EXIF, strip every piece of metadata (GPS!),
 * and write WebP + AVIF + JPEG variants at about 320, 640 and 1280 px. The original stays private.
 *
 * Storage (app/utils/storage: local folder or S3) is a folder per media id:
 * `media/<id[0..1]>/<id>/original`, `…/640.webp`, `…/document`. On the local disk files are first
 * written under `tmp/<id>/` and the model renames the folder into place inside the database
 * transaction that inserts the row; on object storage they are written to their final keys before
 * the row. Either way a row never exists without its files, and any failure removes what was
 * written (see media.server.ts; the stray sweep takes what a killed process left).
 */
import path from "node:path";

import { MAX_DOCUMENT_BYTES } from "../schemas/dossier";
import { env } from "./env.server";
import { AppError } from "./errors";
import { formatBytes } from "./format";
import { sha256 } from "./hash.server";
import { hasNulCharacter, NUL_MESSAGE } from "./http.server";
import type { RenderedPhoto } from "./image-render.server";
import { renderPhoto } from "./image-worker.server";
import { IMAGE_MIME, type ProcessedPhoto, type Variant, checkPhoto, cleanFileName, newMediaId, photoSlot, sniff } from "./images.server";
import { MultipartRefused, parseMultipart } from "./multipart.server";
import { storage } from "./storage/index.server";

export * from "./images.server";

const SAFE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const SAFE_FILE = /^(original|document|\d{2,4}\.(webp|avif|jpg))$/;

/** The local uploads folder (UPLOADS_DIR); with S3 configured nothing is written there. */
export function uploadsRoot() {
  return env().uploadsDir;
}

/** Storage key of the temporary folder of an upload in progress. */
export function tmpKey(id: string) {
  if (!SAFE_ID.test(id)) throw new AppError(404, "Không tìm thấy tệp.");
  return `tmp/${id}`;
}

/** Storage key of a media id's folder: `media/<id[0..1]>/<id>`. */
export function mediaKey(id: string) {
  if (!SAFE_ID.test(id)) throw new AppError(404, "Không tìm thấy tệp.");
  return `media/${id.slice(0, 2)}/${id}`;
}

/** Storage key of a stored file of a media folder ("original", "document", "640.webp"…). */
export function mediaFileKey(id: string, file: string) {
  if (!SAFE_FILE.test(file)) throw new AppError(404, "Không tìm thấy tệp.");
  return `${mediaKey(id)}/${file}`;
}

/** The media folder on the local disk (the local backend; tests look there). */
export function mediaDir(id: string) {
  return path.join(uploadsRoot(), ...mediaKey(id).split("/"));
}

/**
 * Where an upload's files are written before its row exists. On the local disk a temporary folder
 * that the transaction renames into place; on object storage (no atomic rename) the final keys
 * themselves — a row is still only committed after every file is there, and files without a row
 * are removed by the stray sweep.
 */
function stagingKey(id: string) {
  return storage().atomicMove ? tmpKey(id) : mediaKey(id);
}

/**
 * Processes a photo into a temporary folder: the original bytes (private) and every variant.
 * On any failure the folder is removed before the error leaves.
 * @throws AppError 400 for a file that is not a readable image within the limits.
 */
export async function preparePhoto(id: string, bytes: Buffer, fileName: string): Promise<ProcessedPhoto> {
  const checked = await checkPhoto(bytes, fileName);
  const dir = stagingKey(id);
  const store = storage();
  try {
    let rendered: RenderedPhoto;
    try {
      rendered = await photoSlot(() => renderPhoto(bytes));
    } catch (error) {
      if (error instanceof AppError) throw error;
      const name = cleanFileName(fileName);
      if (checked.type === "heic") {
        const message = `Máy chủ chưa giải mã được ảnh HEIC “${name}”. Hãy đặt điện thoại chụp ở định dạng JPEG (“Tương thích nhất”) hoặc chuyển ảnh sang JPEG.`;
        throw new AppError(400, message, { photos: message });
      }
      throw new AppError(400, `Ảnh “${name}” bị hỏng hoặc chưa tải lên hết. Hãy chọn lại ảnh gốc.`, {
        photos: `Ảnh “${name}” bị hỏng hoặc chưa tải lên hết.`,
      });
    }
    const mime = checked.type === "jpeg" ? "image/jpeg" : `image/${checked.type}`;
    await store.put(`${dir}/original`, bytes, { contentType: mime });
    const variants: Variant[] = [];
    for (const o of rendered.outputs) {
      const key = `${o.nominal}.${o.format}`;
      await store.put(`${dir}/${key}`, o.data, { contentType: IMAGE_MIME[o.format] });
      variants.push({ format: o.format, width: o.width, height: o.height, key, bytes: o.data.length });
    }
    return { mime, width: checked.width, height: checked.height, sha256: sha256(bytes), sizeBytes: bytes.length, variants };
  } catch (error) {
    await store.removeFolder(dir);
    throw error;
  }
}

/**
 * Checks a document (PDF only, by its magic bytes) and writes it into a temporary folder.
 * @throws AppError 400 with a specific Vietnamese message (field `document`).
 */
export async function prepareDocument(id: string, bytes: Buffer, fileName: string) {
  const name = cleanFileName(fileName);
  const fail = (message: string) => new AppError(400, message, { document: message });
  if (bytes.length === 0) throw fail(`Tệp “${name}” trống (0 byte). Hãy chọn lại tệp PDF.`);
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw fail(`Tài liệu phải nhỏ hơn ${formatBytes(MAX_DOCUMENT_BYTES)} (tệp “${name}” của bạn ${formatBytes(bytes.length)}).`);
  }
  const type = sniff(bytes);
  if (type !== "pdf") {
    throw fail(`Tệp “${name}” không phải là PDF thật (nội dung ${type === "html" ? "là trang HTML" : "không đúng định dạng PDF"}). Chỉ nhận tài liệu PDF.`);
  }
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).toString("latin1").includes("%%EOF")) {
    throw fail(`Tệp PDF “${name}” bị cắt cụt hoặc chưa tải lên hết. Hãy chọn lại tệp.`);
  }
  const dir = stagingKey(id);
  try {
    await storage().put(`${dir}/document`, bytes, { contentType: "application/pdf" });
  } catch (error) {
    await storage().removeFolder(dir);
    throw error;
  }
  return { mime: "application/pdf", sha256: sha256(bytes), sizeBytes: bytes.length };
}

/** Moves a prepared temporary folder into its final place (called inside the row's transaction). */
export async function commitFolder(id: string) {
  if (storage().atomicMove) await storage().moveFolder(tmpKey(id), mediaKey(id));
}

export async function removeFolders(id: string) {
  await storage().removeFolder(tmpKey(id));
  await storage().removeFolder(mediaKey(id));
}

/**
 * An optional PDF attached to a record (a body's founding decision, a complaint): checked and staged
 * by prepareDocument, a refusal reported on the record's `pdf` field. `columns` are what the record
 * keeps of it; `commit()` moves it into place inside the record's transaction, `discard()` removes it
 * when the record is not written. Without a file, all three do nothing.
 */
export async function prepareAttachedPdf(pdf: { bytes: Buffer; name: string } | null | undefined) {
  if (!pdf) return { columns: {}, sha256: null, commit: async () => {}, discard: async () => {} };
  const id = newMediaId();
  let doc: Awaited<ReturnType<typeof prepareDocument>>;
  try {
    doc = await prepareDocument(id, pdf.bytes, pdf.name);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(400, error.message, { pdf: error.message });
    throw error;
  }
  return {
    columns: { pdfId: id, pdfName: cleanFileName(pdf.name), pdfSha256: doc.sha256, pdfSize: doc.sizeBytes },
    sha256: doc.sha256,
    commit: () => commitFolder(id),
    discard: () => removeFolders(id),
  };
}

/** Copies a stored media folder under a new id (demo seeding reuses processed photos). */
export async function copyFolder(fromId: string, toId: string) {
  await storage().copyFolder(mediaKey(fromId), mediaKey(toId));
}

export async function listStoredIds(): Promise<{ tmp: { id: string; mtimeMs: number }[]; media: { id: string; mtimeMs: number }[] }> {
  const tmp = (await storage().folders("tmp", 1)).map((f) => ({ id: f.name, mtimeMs: f.mtimeMs }));
  const media = (await storage().folders("media", 2)).map((f) => ({ id: f.name.split("/")[1], mtimeMs: f.mtimeMs }));
  return { tmp: tmp.filter((t) => SAFE_ID.test(t.id)), media: media.filter((m) => SAFE_ID.test(m.id)) };
}

/**
 * Reads a multipart form, streamed within the per-file and per-request budgets. A body that breaks
 * off (the network dropped) or is too large becomes a Vietnamese message; nothing has been written
 * at that point.
 * @throws AppError 413 for an oversized file or request, 400 for an interrupted or broken one.
 */
export async function readUploadForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await parseMultipart(request);
  } catch (error) {
    if (error instanceof MultipartRefused) {
      throw new AppError(error.status, error.message, error.field ? { [error.field]: error.message } : {});
    }
    throw error;
  }
  if (hasNulCharacter(form)) throw new AppError(400, NUL_MESSAGE);
  return form;
}

/** The uploaded files of a field (empty file inputs are skipped). */
export async function filesOf(form: FormData, name: string): Promise<{ name: string; bytes: Buffer }[]> {
  const out: { name: string; bytes: Buffer }[] = [];
  for (const value of form.getAll(name)) {
    if (typeof value === "string") continue;
    if (value.size === 0 && !value.name) continue;
    out.push({ name: value.name || "tep", bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return out;
}
