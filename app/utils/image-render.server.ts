/**
 * The photo transforms alone (sharp, nothing else of the app): decode once, turn upright, drop the
 * metadata, encode every variant. Imported both by the web process (the checks and the in-process
 * fallback) and by the image process (app/utils/image-process.server.ts), which runs them away from the
 * processes answering pages.
 */
import sharp, { type Sharp } from "sharp";

/** 12 MP phones are common, 50 MP ones exist; anything beyond is refused before decoding. */
export const MAX_INPUT_PIXELS = 60_000_000;
export const VARIANT_WIDTHS = [320, 640, 1280] as const;
export const VARIANT_FORMATS = ["webp", "avif", "jpg"] as const;
export type VariantFormat = (typeof VARIANT_FORMATS)[number];

/** Encoder settings: chosen for ≤ 1.5 s per 12 MP photo on one core (see tests/bench/images.ts). */
export const ENCODE = {
  webp: (s: Sharp) => s.webp({ quality: 78, effort: 2 }),
  avif: (s: Sharp) => s.avif({ quality: 50, effort: 1 }),
  jpg: (s: Sharp) => s.jpeg({ quality: 80, progressive: true, optimiseCoding: true }),
} satisfies Record<VariantFormat, (s: Sharp) => Sharp>;

export interface RenderedOutput {
  format: VariantFormat;
  nominal: number;
  width: number;
  height: number;
  data: Buffer;
}
export interface RenderedPhoto {
  width: number;
  height: number;
  outputs: RenderedOutput[];
}

/** Nice value of the image process (0 = as the web processes, 19 = only idle time). */
export const IMAGE_PROCESS_NICE = 10;

/** Messages between a web process and its image process (app/utils/image-process.server.ts). */
export interface RenderRequest {
  id: number;
  bytes: Uint8Array;
}
export type RenderReply = { id: number; ok: true; photo: RenderedPhoto } | { id: number; ok: false; message: string };

// The operation cache helps repeated work on the same input, which uploads never do.
sharp.cache(false);

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
export async function renderVariants(bytes: Buffer): Promise<RenderedPhoto> {
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
  const outputs: RenderedOutput[] = [];
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
