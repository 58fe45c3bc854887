/**
 * Public URLs of photo variants. The file route (`/files/:mediaId/:width.:format`) serves the
 * variant of that width and format; the originals stay private. Shared by browser and server.
 */
export interface MediaVariant {
  format: string;
  width: number;
  height: number;
  key?: string;
  bytes?: number;
}

/**
 * The nominal widths variants are stored under (`uploads.server.ts`): a variant is never enlarged,
 * so a 960 px photo's largest variant is 960 px wide but stored as `1280.webp`.
 */
export const NOMINAL_WIDTHS = [320, 640, 1280] as const;

/** The stored file name of a variant: its key, or (rows written before keys were kept) the nominal width it was made for. */
export function variantKey(variant: Pick<MediaVariant, "width" | "format" | "key">): string {
  const format = variant.format === "jpeg" ? "jpg" : variant.format;
  if (variant.key) return variant.key;
  return `${NOMINAL_WIDTHS.find((n) => n >= variant.width) ?? variant.width}.${format}`;
}

/** "/files/abc123/640.webp" — always the stored key, never the actual width (960 px is stored as 1280). */
export function mediaUrl(mediaId: string, variant: Pick<MediaVariant, "width" | "format" | "key">): string {
  return `/files/${encodeURIComponent(mediaId)}/${variantKey(variant)}`;
}

/**
 * `srcset` of one format, narrowest first: "/files/x/320.webp 320w, /files/x/1280.webp 960w". A
 * small photo has several variants of the same actual width; only the first is listed (a srcset
 * must not repeat a width).
 */
export function srcSetFor(mediaId: string, variants: readonly MediaVariant[], format: string): string {
  const seen = new Set<number>();
  return variants
    .filter((v) => v.format === format || (format === "jpeg" && v.format === "jpg"))
    .sort((a, b) => a.width - b.width || variantKey(a).localeCompare(variantKey(b), undefined, { numeric: true }))
    .filter((v) => !seen.has(v.width) && seen.add(v.width))
    .map((v) => `${mediaUrl(mediaId, v)} ${v.width}w`)
    .join(", ");
}

/** The variant to put in `src` (the fallback): the JPEG closest above `target` px, else the widest. */
export function fallbackVariant(variants: readonly MediaVariant[], target = 640): MediaVariant | undefined {
  const jpegs = variants.filter((v) => v.format === "jpeg" || v.format === "jpg").sort((a, b) => a.width - b.width);
  const pool = jpegs.length ? jpegs : [...variants].sort((a, b) => a.width - b.width);
  return pool.find((v) => v.width >= target) ?? pool[pool.length - 1];
}

