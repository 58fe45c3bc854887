import { fallbackVariant, type MediaVariant, mediaUrl, srcSetFor } from "~/utils/media-urls";

/**
 * A photo with AVIF/WebP/JPEG sources and width/height set (nothing jumps while it loads).
 * `sizes` tells the browser how wide it is drawn so phones fetch the small variants.
 */
export function Picture({
  id,
  alt,
  variants,
  width,
  height,
  sizes,
  eager = false,
}: {
  id: string;
  alt: string;
  variants: MediaVariant[];
  width: number | null;
  height: number | null;
  sizes: string;
  eager?: boolean;
}) {
  const fallback = fallbackVariant(variants);
  if (!fallback) return null;
  const avif = srcSetFor(id, variants, "avif");
  const webp = srcSetFor(id, variants, "webp");
  const jpeg = srcSetFor(id, variants, "jpeg");
  return (
    <picture>
      {avif ? <source type="image/avif" srcSet={avif} sizes={sizes} /> : null}
      {webp ? <source type="image/webp" srcSet={webp} sizes={sizes} /> : null}
      <img
        src={mediaUrl(id, fallback)}
        srcSet={jpeg || undefined}
        sizes={sizes}
        alt={alt}
        width={fallback.width || width || undefined}
        height={fallback.height || height || undefined}
        loading={eager ? "eager" : "lazy"}
        decoding="async"
      />
    </picture>
  );
}
