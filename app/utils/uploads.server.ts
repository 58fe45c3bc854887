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
import crypto from "node:crypto";
import path from "node:path";

import sharp, { type Metadata, type Sharp } from "sharp";

import { MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES } from "../schemas/dossier";
import { env } from "./env.server";
import { AppError } from "./errors";
import { formatBytes } from "./format";
import { sha256 } from "./hash.server";
import { hasNulCharacter, NUL_MESSAGE } from "./http.server";
import { MultipartRefused, parseMultipart } from "./multipart.server";
import { storage } from "./storage/index.server";

/** 12 MP phones are common, 50 MP ones exist; anything beyond is refused before decoding. */
export const MAX_INPUT_PIXELS = 60_000_000;
export const VARIANT_WIDTHS = [320, 640, 1280] as const;
export const VARIANT_FORMATS = ["webp", "avif", "jpg"] as const;
export type VariantFormat = (typeof VARIANT_FORMATS)[number];

/** Photos processed at once per process; more wait their turn, which bounds memory under load. */
export const MAX_PARALLEL_PHOTOS = 2;
// The operation cache helps repeated work on the same input, which uploads never do.
sharp.cache(false);

let running = 0;
const waiting: (() => void)[] = [];
async function photoSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL_PHOTOS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export const IMAGE_MIME: Record<VariantFormat, string> = { webp: "image/webp", avif: "image/avif", jpg: "image/jpeg" };

export interface Variant {
  format: string;
  width: number;
  height: number;
  key: string;
  bytes: number;
}

export interface ProcessedPhoto {
  mime: string;
  width: number;
  height: number;
  sha256: string;
  sizeBytes: number;
  variants: Variant[];
}

export type SniffedType = "jpeg" | "png" | "webp" | "heic" | "avif" | "pdf" | "svg" | "html" | "gif" | "unknown";

/** The real type of a file from its first bytes; the name and the browser's claim are ignored. */
export function sniff(bytes: Buffer): SniffedType {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  if (bytes.length >= 12 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") return "webp";
  if (bytes.length >= 12 && bytes.toString("latin1", 4, 8) === "ftyp") {
    const brands = bytes.toString("latin1", 8, Math.min(bytes.length, 64));
    if (/avif|avis/.test(brands)) return "avif";
    if (/heic|heix|hevc|heim|heis|mif1|msf1/.test(brands)) return "heic";
  }
  if (bytes.length >= 5 && bytes.toString("latin1", 0, 5) === "%PDF-") return "pdf";
  if (bytes.length >= 4 && bytes.toString("latin1", 0, 4) === "GIF8") return "gif";
  const head = bytes.toString("utf8", 0, Math.min(bytes.length, 1024)).replace(/^\uFEFF/, "").trimStart().toLowerCase();
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg"))) return "svg";
  if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<") || head.includes("<script")) return "html";
  return "unknown";
}

/** A user's file name, kept only as text: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .replace(/^\.+/, "")
    .trim()
    .slice(0, 200);
  return cleaned || "tep-tai-len";
}

export function newMediaId(): string {
  return crypto.randomBytes(12).toString("base64url"); // 16 characters, 96 bits
}


const ACCEPTED_IMAGES = new Set<SniffedType>(["jpeg", "png", "webp", "heic", "avif"]);

/**
 * Checks a photo before any decoding: size, real type, declared dimensions.
 * @throws AppError 400 with a specific Vietnamese message (field `photos`).
 */
export async function checkPhoto(bytes: Buffer, fileName: string): Promise<{ type: SniffedType; width: number; height: number }> {
  const fail = (message: string) => new AppError(400, message, { photos: message });
  const name = cleanFileName(fileName);
  if (bytes.length === 0) throw fail(`Tệp “${name}” trống (0 byte). Hãy chọn lại ảnh.`);
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw fail(`Ảnh phải nhỏ hơn ${formatBytes(MAX_PHOTO_BYTES)} (ảnh “${name}” của bạn ${formatBytes(bytes.length)}).`);
  }
  const type = sniff(bytes);
  if (type === "svg") throw fail(`Không nhận ảnh SVG (“${name}”). Hãy gửi ảnh chụp JPEG, PNG, WebP hoặc HEIC.`);
  if (!ACCEPTED_IMAGES.has(type)) {
    throw fail(`Tệp “${name}” không phải là ảnh (JPEG, PNG, WebP, HEIC/AVIF), dù tên tệp có đuôi ảnh. Hãy chọn đúng tệp ảnh.`);
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    if (type === "heic") {
      throw fail(`Máy chủ chưa đọc được ảnh HEIC “${name}”. Hãy đặt điện thoại chụp ở định dạng JPEG (“Tương thích nhất”) hoặc chuyển ảnh sang JPEG.`);
    }
    throw fail(`Ảnh “${name}” bị hỏng hoặc chưa tải lên hết. Hãy chọn lại ảnh gốc.`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!width || !height) throw fail(`Ảnh “${name}” bị hỏng hoặc chưa tải lên hết. Hãy chọn lại ảnh gốc.`);
  if (width * height > MAX_INPUT_PIXELS) {
    throw fail(
      `Ảnh “${name}” có kích thước ${width.toLocaleString("vi-VN")}×${height.toLocaleString("vi-VN")} điểm ảnh, vượt giới hạn ${Math.round(MAX_INPUT_PIXELS / 1e6)} megapixel. Hãy thu nhỏ ảnh trước khi gửi.`,
    );
  }
  // Width and height as displayed: EXIF orientations 5–8 turn the picture a quarter.
  const turned = (meta.orientation ?? 1) >= 5;
  return { type, width: turned ? height : width, height: turned ? width : height };
}

/** Encoder settings: chosen for ≤ 1.5 s per 12 MP photo on one core (see tests/bench/images.ts). */
export const ENCODE = {
  webp: (s: Sharp) => s.webp({ quality: 78, effort: 2 }),
  avif: (s: Sharp) => s.avif({ quality: 50, effort: 1 }),
  jpg: (s: Sharp) => s.jpeg({ quality: 80, progressive: true, optimiseCoding: true }),
} satisfies Record<VariantFormat, (s: Sharp) => Sharp>;

/**
 * Turns raw pixels upright for an EXIF orientation (2–8). Rotating the already reduced image
 * costs a fraction of rotating the full-size decode.
 */
function orient(s: Sharp, orientation: number): Sharp {
  switch (orientation) {
    case 2:
      return s.flop();
    case 3:
      return s.rotate(180);
    case 4:
      return s.flip();
    case 5:
      return s.rotate(90).flip();
    case 6:
      return s.rotate(90);
    case 7:
      return s.rotate(270).flip();
    case 8:
      return s.rotate(270);
    default:
      return s;
  }
}

/**
 * The transforms alone, from bytes to encoded variants in memory: decode once (auto-rotated,
 * metadata dropped) into raw pixels at the largest width, then resize and encode each variant.
 * The benchmark runs the same transforms with raw sharp to measure our overhead.
 */
export async function renderVariants(bytes: Buffer): Promise<{
  width: number;
  height: number;
  outputs: { format: VariantFormat; nominal: number; width: number; height: number; data: Buffer }[];
}> {
  const largest = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1];
  const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const orientation = meta.orientation ?? 1;
  const turned = orientation >= 5;
  // Decode once, shrinking on load to the largest variant (its width after turning upright);
  // raw pixels carry no metadata, so EXIF, GPS, XMP and ICC comments are gone from here on.
  const reduced = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "truncated", sequentialRead: true })
    .resize(turned ? { height: largest, withoutEnlargement: true } : { width: largest, withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const upright =
    orientation > 1
      ? await orient(sharp(reduced.data, { raw: { width: reduced.info.width, height: reduced.info.height, channels: reduced.info.channels } }), orientation)
          .raw()
          .toBuffer({ resolveWithObject: true })
      : reduced;
  const { data: raw, info } = upright;
  const outputs: { format: VariantFormat; nominal: number; width: number; height: number; data: Buffer }[] = [];
  // Every nominal width exists (the URL shape relies on it); a small photo is never enlarged.
  for (const nominal of VARIANT_WIDTHS) {
    for (const format of VARIANT_FORMATS) {
      const base = sharp(raw, { raw: { width: info.width, height: info.height, channels: info.channels } });
      const sized = nominal < info.width ? base.resize({ width: nominal }) : base;
      const { data, info: out } = await ENCODE[format](sized).toBuffer({ resolveWithObject: true });
      outputs.push({ format, nominal, width: out.width, height: out.height, data });
    }
  }
  return { width: info.width, height: info.height, outputs };
}

// ───────────────────────────── storage ─────────────────────────────

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
    let rendered: Awaited<ReturnType<typeof renderVariants>>;
    try {
      rendered = await photoSlot(() => renderVariants(bytes));
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
