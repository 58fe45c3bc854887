/**
 * HTTP caching of public pages. Published results change only when a round is published or
 * reopened, a certificate is issued or revoked, a commendation decision is issued, a round opens
 * or closes for registration (the home page lists them) — and, for validity, when the Vietnam
 * date changes. The ETag is a hash of exactly that state, held in memory and changed by the database
 * (app/utils/public-state.server.ts), so a conditional request is answered with 304 at once.
 *
 * Signed-in visitors see their name in the header: their copies are private and the ETag also
 * covers their session.
 */
import crypto from "node:crypto";

import { sessionIdFrom } from "./auth.server";
import { publicState } from "./public-state.server";

/**
 * Anonymous copies: a browser keeps a page 60 s, a shared cache (CDN) 5 minutes, and either may serve
 * it stale for 10 minutes while it revalidates (a 304 is one cheap query).
 */
export const PUBLIC_CACHE_CONTROL = "public, max-age=60, s-maxage=300, stale-while-revalidate=600";
export const PRIVATE_CACHE_CONTROL = "private, no-cache";
/**
 * Truth that can change at any moment — whether a certificate is valid or revoked — is revalidated
 * on every use, by browsers and CDNs alike; the 304 keeps that cheap.
 */
export const REVALIDATE_CACHE_CONTROL = "public, no-cache";

export { publicStateFingerprint } from "./public-state.server";

/** The programme report's fingerprint, from the same in-memory state. */
export async function programmeVersion(): Promise<string> {
  return (await publicState()).programme;
}

export interface CacheInfo {
  etag: string;
  headers: Headers;
  /**
   * Memoises a read of published data for this state of publication (and at most MEMO_TTL_MS):
   * publishing, reopening or revoking changes the state, so a memoised read never outlives it.
   */
  memo<T>(key: string, read: () => Promise<T>): Promise<T>;
}

const MEMO_TTL_MS = 60_000;
const MEMO_MAX = 500;
const memos = new Map<string, { at: number; value: Promise<unknown> }>();

function memoised<T>(key: string, read: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = memos.get(key);
  if (hit && now - hit.at < MEMO_TTL_MS) return hit.value as Promise<T>;
  if (memos.size >= MEMO_MAX) {
    for (const [k, v] of memos) if (now - v.at >= MEMO_TTL_MS || memos.size >= MEMO_MAX) memos.delete(k);
  }
  const value = read();
  memos.set(key, { at: now, value });
  // A failed read is not remembered.
  value.catch(() => memos.delete(key));
  return value;
}

/** Forgets every memoised read (tests that change published rows behind the fingerprint's back). */
export function clearPublicMemos() {
  memos.clear();
}

function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

/**
 * Computes the ETag of a public response and answers 304 (thrown) when the client already has it.
 * `variant` distinguishes representations of the same state (page, CSV, JSON, query string).
 * Remix data requests (`?_data=`) are not made conditional: the client router must always get
 * the body it asked for. `revalidate` marks truth that must be checked on every use (no-cache).
 */
export async function conditionalGet(request: Request, variant = "", options: { revalidate?: boolean } = {}): Promise<CacheInfo> {
  const url = new URL(request.url);
  const session = sessionIdFrom(request);
  const state = (await publicState()).fingerprint;
  const hash = crypto
    .createHash("sha256")
    .update(`${state}\n${variant}\n${url.pathname}${url.search}\n${session ?? ""}`)
    .digest("base64url")
    .slice(0, 27);
  const etag = `W/"${hash}"`;
  const headers = new Headers({
    ETag: etag,
    "Cache-Control": session ? PRIVATE_CACHE_CONTROL : options.revalidate ? REVALIDATE_CACHE_CONTROL : PUBLIC_CACHE_CONTROL,
    Vary: "Cookie",
  });
  if (!url.searchParams.has("_data") && (request.method === "GET" || request.method === "HEAD") && etagMatches(request.headers.get("If-None-Match"), etag)) {
    throw new Response(null, { status: 304, headers });
  }
  return { etag, headers, memo: (key, read) => memoised(`${state}\n${key}`, read) };
}

/** Route `headers` export for pages that use conditionalGet: the cache headers of the loader, also on 304. */
export function cacheHeaders({ loaderHeaders, errorHeaders }: { loaderHeaders: Headers; errorHeaders?: Headers }): Headers {
  const out = new Headers();
  const source = errorHeaders ?? loaderHeaders;
  for (const name of ["ETag", "Cache-Control", "Vary"]) {
    const value = source.get(name);
    if (value) out.set(name, value);
  }
  if (!out.has("Cache-Control")) out.set("Cache-Control", "no-store");
  return out;
}
