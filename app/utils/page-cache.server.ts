/**
 * Rendered public pages served from memory (issue 18, item 1). An anonymous GET of a page that
 * Remix answered as a public, cacheable document (status 200, an ETag, `Cache-Control: public…`,
 * no Set-Cookie) is stored with the headers it was sent with — its CSP allows its inline scripts by
 * hash (app/utils/csp.server.ts), never by a nonce — and pre-compressed with gzip and brotli. The
 * next anonymous request for the same URL in the same public state (app/utils/public-state.server.ts)
 * is answered from here, before express, with the same ETag/304 behaviour (marked `X-Cache: HIT`).
 *
 * Never from here: a request with a session or a one-time-message cookie, with an Authorization
 * header, a Remix data request (`?_data`), anything but GET/HEAD. Never stored: a page whose response
 * sets a cookie, is private or no-store (signed-in pages, pages showing a toast), or was rendered
 * while the public state changed.
 *
 * One render per page: while a page is being rendered for the cache, other anonymous requests for
 * the same URL wait for it (at most RENDER_WAIT_MS) and are answered from the cache, instead of each
 * rendering the same page — after a publication empties the cache, everyone asks at once.
 *
 * Bounds: at most PAGE_CACHE_LIMITS.entries pages and PAGE_CACHE_LIMITS.bytes bytes (identity, gzip
 * and brotli copies counted together), least recently used first out; a page over
 * PAGE_CACHE_LIMITS.entryBytes is not stored. The whole cache empties when the public state changes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";

import { COMPRESSIBLE, takesEncoding, varyWithEncoding } from "./compress.server";
import { freshPublicState, onPublicStateChange, publicStateChanges } from "./public-state.server";

export const PAGE_CACHE_LIMITS = { entries: 500, bytes: 64 * 1024 * 1024, entryBytes: 4 * 1024 * 1024 } as const;

const SESSION_COOKIE = "cnnt_session=";
const TOAST_COOKIE = "cnnt_toast=";
/** How long a request waits for another request's render of the same page before rendering it itself. */
const RENDER_WAIT_MS = 10_000;
/**
 * Brotli quality 6: the round page (100 KB) in ~2 ms at 3 % more bytes than quality 9 (~20 ms),
 * which every first visit of a page after a publication would wait for.
 */
const BROTLI_QUALITY = 6;
const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
/** Headers that belong to one response on the wire, not to the page. */
const DROPPED = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive", "date", "set-cookie", "x-csp-script-hashes"]);

type HeaderMap = Record<string, string | string[]>;
interface Entry {
  key: string;
  etag: string;
  size: number;
  identity: { headers: HeaderMap; body: Buffer };
  gzip?: { headers: HeaderMap; body: Buffer };
  br?: { headers: HeaderMap; body: Buffer };
  notModified: HeaderMap;
}

// One cache per process, whichever copy of this module (source or the Remix build) asks.
const KEY = Symbol.for("cnnt.page-cache");
interface Shared {
  entries: Map<string, Entry>;
  /** Pages being rendered for the cache now, by key: settled once stored (or found not storable). */
  rendering: Map<string, Promise<void>>;
  size: { bytes: number };
  stats: Record<"hits" | "notModified" | "misses" | "waited" | "stored" | "evicted" | "cleared", number>;
  hooked: boolean;
}
const shared = ((globalThis as { [KEY]?: Shared })[KEY] ??= {
  entries: new Map(),
  rendering: new Map(),
  size: { bytes: 0 },
  stats: { hits: 0, notModified: 0, misses: 0, waited: 0, stored: 0, evicted: 0, cleared: 0 },
  hooked: false,
});
const entries = shared.entries;
const rendering = shared.rendering;
const total = shared.size;
export const pageCacheStats = shared.stats;

if (!shared.hooked) {
  shared.hooked = true;
  onPublicStateChange(() => clearPageCache());
}

/** Empties the cache (the public state changed; tests). */
export function clearPageCache() {
  if (entries.size) pageCacheStats.cleared++;
  entries.clear();
  total.bytes = 0;
}

export function pageCacheSize() {
  return { entries: entries.size, bytes: total.bytes };
}

/** Whether the request is an anonymous GET/HEAD that a stored public page may answer. */
export function anonymousPublicRequest(req: IncomingMessage): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (req.headers.authorization) return false;
  const url = req.url ?? "";
  if (url.includes("_data=") || url.includes("_data&") || url.endsWith("_data")) return false;
  const cookie = req.headers.cookie;
  if (cookie && (cookie.includes(SESSION_COOKIE) || cookie.includes(TOAST_COOKIE))) return false;
  return true;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

/** br if the client takes it, else gzip, else the identity body. */
function encodingFor(entry: Entry, accept: string | undefined): NonNullable<Entry["gzip"]> {
  if (accept) {
    if (entry.br && takesEncoding(accept, "br")) return entry.br;
    if (entry.gzip && takesEncoding(accept, "gzip")) return entry.gzip;
  }
  return entry.identity;
}

/**
 * Answers the request from the cache if it can (true), else leaves it untouched (false). Called by
 * server.ts before express sees the request.
 */
export function serveFromPageCache(req: IncomingMessage, res: ServerResponse): boolean {
  if (!entries.size || !anonymousPublicRequest(req)) return false;
  const state = freshPublicState();
  if (!state) return false;
  const key = `${state.key} ${req.url}`;
  const entry = entries.get(key);
  if (!entry) return false;
  // Least recently used goes first: a hit moves the page to the end.
  entries.delete(key);
  entries.set(key, entry);
  if (etagMatches(req.headers["if-none-match"], entry.etag)) {
    pageCacheStats.notModified++;
    res.writeHead(304, entry.notModified);
    res.end();
    return true;
  }
  pageCacheStats.hits++;
  const copy = encodingFor(entry, req.headers["accept-encoding"]);
  res.writeHead(200, copy.headers);
  res.end(req.method === "HEAD" ? undefined : copy.body);
  return true;
}

/** The render a request claimed at the front door: settled by capturePublicPage once stored. */
const claims = new WeakMap<ServerResponse, { key: string; settle: () => void }>();

/**
 * For a request the cache could not answer: if another request is rendering the same page, a
 * promise settled when that render is stored or given up (at most RENDER_WAIT_MS), after which ask
 * serveFromPageCache again. Otherwise undefined, and the page is claimed for this request at once
 * (before any asynchronous step), so the next requests for it wait instead of rendering it too.
 */
export function pageBeingRendered(req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
  if (req.method !== "GET" || !anonymousPublicRequest(req) || claims.has(res)) return undefined;
  const state = freshPublicState();
  if (!state) return undefined;
  const key = `${state.key} ${req.url}`;
  const pending = rendering.get(key);
  if (!pending) {
    let settle: () => void = () => {};
    const done = new Promise<void>((resolve) => (settle = resolve)).finally(() => rendering.delete(key));
    rendering.set(key, done);
    const claim = { key, settle };
    claims.set(res, claim);
    // Answered before capturePublicPage took it over (429, 503, an error): nothing will be stored.
    res.once("close", () => {
      if (claims.get(res) === claim) settle();
    });
    return undefined;
  }
  pageCacheStats.waited++;
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, RENDER_WAIT_MS);
    void pending.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Express middleware just before Remix: records the page being rendered for an anonymous GET and,
 * once sent, stores it if the response turned out public and cacheable.
 */
export function capturePublicPage(req: IncomingMessage, res: ServerResponse, next: () => void) {
  const state = req.method === "GET" && anonymousPublicRequest(req) ? freshPublicState() : null;
  if (!state) return next();
  pageCacheStats.misses++;
  const changesAtStart = publicStateChanges();
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function" || size > PAGE_CACHE_LIMITS.entryBytes) return;
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    chunks.push(buffer);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof res.write;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as typeof res.end;
  const key = `${state.key} ${req.url}`;
  // The claim made at the front door is settled here, once the page is stored (or not storable).
  const claim = claims.get(res);
  claims.delete(res);
  const settle = claim?.key === key ? claim.settle : () => {};
  if (claim && claim.key !== key) claim.settle();
  res.once("close", () => {
    if (!res.writableFinished || size > PAGE_CACHE_LIMITS.entryBytes) return settle();
    void store(key, res, Buffer.concat(chunks), state.key, changesAtStart)
      .catch((error) => console.warn("Không lưu được trang vào bộ nhớ đệm:", error))
      .finally(settle);
  });
  next();
}

function stillCurrent(stateKey: string, changesAtStart: number) {
  return publicStateChanges() === changesAtStart && freshPublicState()?.key === stateKey;
}

async function store(key: string, res: ServerResponse, body: Buffer, stateKey: string, changesAtStart: number) {
  if (res.statusCode !== 200 || !stillCurrent(stateKey, changesAtStart)) return;
  const sent = res.getHeaders();
  const etag = sent.etag;
  const cacheControl = String(sent["cache-control"] ?? "");
  if (typeof etag !== "string" || !/^public\b/i.test(cacheControl) || sent["set-cookie"] !== undefined) return;
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(sent)) {
    if (value === undefined || DROPPED.has(name)) continue;
    headers[name] = Array.isArray(value) ? value : String(value);
  }
  const compressible = COMPRESSIBLE.test(String(sent["content-type"] ?? ""));
  if (compressible) headers.vary = varyWithEncoding(String(headers.vary ?? ""));
  const [gz, br] = compressible
    ? await Promise.all([
        gzip(body, { level: 6 }),
        brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      ])
    : [undefined, undefined];
  if (!stillCurrent(stateKey, changesAtStart)) return;
  const copy = (data: Buffer, encoding?: string) => ({
    body: data,
    headers: { ...headers, ...(encoding ? { "content-encoding": encoding } : {}), "content-length": String(data.length), "x-cache": "HIT" },
  });
  const notModified: HeaderMap = { ...headers, "x-cache": "HIT" };
  for (const name of ["content-type", "content-security-policy", "content-disposition"]) delete notModified[name];
  const entry: Entry = {
    key,
    etag,
    size: body.length + (gz?.length ?? 0) + (br?.length ?? 0),
    identity: copy(body),
    gzip: gz ? copy(gz, "gzip") : undefined,
    br: br ? copy(br, "br") : undefined,
    notModified,
  };
  if (entry.size > PAGE_CACHE_LIMITS.entryBytes) return;
  const previous = entries.get(key);
  if (previous) {
    entries.delete(key);
    total.bytes -= previous.size;
  }
  entries.set(key, entry);
  total.bytes += entry.size;
  pageCacheStats.stored++;
  for (const [k, e] of entries) {
    if (entries.size <= PAGE_CACHE_LIMITS.entries && total.bytes <= PAGE_CACHE_LIMITS.bytes) break;
    entries.delete(k);
    total.bytes -= e.size;
    pageCacheStats.evicted++;
  }
}
