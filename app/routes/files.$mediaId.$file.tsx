/**
 * Permission-checked file serving: `/files/:mediaId/:width.:format` (photo variants),
 * `/files/:mediaId/original` (never public) and `/files/:mediaId/document` (PDF). Who may read what
 * is decided in media.server.ts; anyone else gets 404.
 */
import fs from "node:fs/promises";

import type { LoaderFunctionArgs } from "@remix-run/node";

import { mediaAccess } from "~/models/entry/media.server";
import { getUser } from "~/utils/auth.server";
import { orErrorPage } from "~/utils/http.server";
import { IMAGE_MIME, VARIANT_WIDTHS, mediaFile, type VariantFormat } from "~/utils/uploads.server";

const VARIANT = /^(\d{2,4})\.(webp|avif|jpg)$/;

/** RFC 5987 file name for Content-Disposition (the stored name is text the user chose). */
function disposition(kind: "inline" | "attachment", name: string) {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const mediaId = String(params.mediaId ?? "");
  const file = String(params.file ?? "");
  const variant = VARIANT.exec(file);
  const kind = variant ? "variant" : file === "original" ? "original" : file === "document" ? "document" : null;
  if (!kind || (variant && !(VARIANT_WIDTHS as readonly number[]).includes(Number(variant[1])))) {
    throw new Response("Không tìm thấy tệp.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const user = await getUser(request);
  const { media, isPublic } = await orErrorPage(() => mediaAccess({ mediaId, file: kind, user }));
  let body: Buffer;
  try {
    body = await fs.readFile(mediaFile(media.id, file));
  } catch {
    throw new Response("Không tìm thấy tệp.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const etag = `"${media.sha256.slice(0, 16)}-${file}"`;
  const headers = new Headers({
    "X-Content-Type-Options": "nosniff",
    ETag: etag,
    "Content-Length": String(body.length),
    "Cache-Control": isPublic ? "public, max-age=3600, stale-while-revalidate=86400" : kind === "variant" ? "private, max-age=300" : "private, no-store",
  });
  if (kind === "variant") headers.set("Content-Type", IMAGE_MIME[variant![2] as VariantFormat]);
  else if (kind === "original") {
    headers.set("Content-Type", media.mime);
    headers.set("Content-Disposition", disposition("attachment", media.originalName));
  } else {
    headers.set("Content-Type", "application/pdf");
    headers.set("Content-Disposition", disposition("inline", media.originalName));
    headers.set("Content-Security-Policy", "sandbox");
  }
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(body), { status: 200, headers });
}
