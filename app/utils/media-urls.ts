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

/** "/files/abc123/640.webp" */
export function mediaUrl(mediaId: string, variant: Pick<MediaVariant, "width" | "format">): string {
  const format = variant.format === "jpeg" ? "jpg" : variant.format;
  return `/files/${encodeURIComponent(mediaId)}/${variant.width}.${format}`;
}

/** `srcset` of one format, narrowest first: "/files/x/320.webp 320w, /files/x/640.webp 640w". */
export function srcSetFor(mediaId: string, variants: readonly MediaVariant[], format: string): string {
  return variants
    .filter((v) => v.format === format || (format === "jpeg" && v.format === "jpg"))
    .sort((a, b) => a.width - b.width)
    .map((v) => `${mediaUrl(mediaId, v)} ${v.width}w`)
    .join(", ");
}

/** The variant to put in `src` (the fallback): the JPEG closest above `target` px, else the widest. */
export function fallbackVariant(variants: readonly MediaVariant[], target = 640): MediaVariant | undefined {
  const jpegs = variants.filter((v) => v.format === "jpeg" || v.format === "jpg").sort((a, b) => a.width - b.width);
  const pool = jpegs.length ? jpegs : [...variants].sort((a, b) => a.width - b.width);
  return pool.find((v) => v.width >= target) ?? pool[pool.length - 1];
}

