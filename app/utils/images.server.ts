/** Photos: the real type from the bytes, the decoding limits, EXIF rotation, metadata stripped, the WebP/AVIF/JPEG variants (sharp). */
import crypto from "node:crypto";

import sharp, { type Metadata } from "sharp";

import { MAX_PHOTO_BYTES } from "../schemas/dossier";
import { AppError } from "./errors";
import { formatBytes } from "./format";
import { MAX_INPUT_PIXELS, type VariantFormat } from "./image-render.server";

export { ENCODE, MAX_INPUT_PIXELS, renderVariants, VARIANT_FORMATS, VARIANT_WIDTHS, type VariantFormat } from "./image-render.server";

/** Photos processed at once per process; more wait their turn, which bounds memory under load. */
export const MAX_PARALLEL_PHOTOS = 2;

let running = 0;
const waiting: (() => void)[] = [];
export async function photoSlot<T>(fn: () => Promise<T>): Promise<T> {
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
