/**
 * Issue 18, item 1, in one process through the real express app with the LISTEN of server.ts
 * running: anonymous public pages come from memory (pre-compressed, same ETag/304, CSP by hash), a
 * change of a table feeding the public pages empties the cache through NOTIFY, and the cache never
 * answers a signed-in visitor, a page with a one-time message, or a data request — nor stores them.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";


import { clearPublicMemos } from "../../app/utils/cache.server";
import { inlineScriptHashes } from "../../app/utils/csp.server";
import { databaseHandle, db } from "../../app/utils/db.server";
import { clearPageCache, PAGE_CACHE_LIMITS, pageCacheSize, pageCacheStats } from "../../app/utils/page-cache.server";
import { freshPublicState, startPublicStateListener } from "../../app/utils/public-state.server";
import { toastCookie } from "../../app/utils/toast.server";
import { createApp, loadBuild } from "../../server";
import { createTestUser } from "../factories";
import { createPublishedRound, reopenRound, revokeCertificate, SAMPLE_PRODUCTS } from "../factories/published";

let server: Server;
let base: string;
let slug: string;
let code: string;
let certificateId: number;
let roundId: number;
let productId: number;
let stopListening: () => Promise<void>;

beforeAll(async () => {
  stopListening = await startPublicStateListener(databaseHandle());
  server = (await createApp(await loadBuild())).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const published = await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(0, 2) });
  slug = published.round.slug;
  roundId = published.round.id;
  code = published.products[0].certificate!.code;
  certificateId = published.products[0].certificate!.id;
  productId = published.products[0].productId;
}, 120_000);

afterAll(async () => {
  server?.close();
  await stopListening?.();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the listener has read the state the last change left (no fixed sleep). */
async function settled() {
  for (let i = 0; i < 200 && !freshPublicState(); i++) await sleep(5);
  expect(freshPublicState()).not.toBeNull();
}

/** Polls until the page answers as `seen` says; fails after 1 s. */
async function within1s(path: string, seen: (res: Response, body: string) => boolean) {
  const since = Date.now();
  for (;;) {
    const res = await fetch(base + path);
    if (seen(res, await res.text())) return res;
    if (Date.now() - since > 1000) throw new Error(`${path} still shows the old state after 1 s`);
    await sleep(10);
  }
}

/** GET twice (the first renders and stores, the second must come from memory); returns the second. */
async function cached(path: string, headers: Record<string, string> = {}) {
  await settled();
  const first = await fetch(base + path, { headers });
  const firstBody = Buffer.from(await first.arrayBuffer()).toString("utf8");
  // Storing happens once the response is sent, after compression: wait for the entry.
  for (let i = 0; i < 200; i++) {
    const again = await fetch(base + path, { headers });
    if (again.headers.get("x-cache") === "HIT") return { first, firstBody, again };
    await again.arrayBuffer();
    await sleep(10);
  }
  throw new Error(`${path} never came from the page cache`);
}

describe("anonymous public pages from memory", () => {
  it("serves home, rounds, a round page with filters, a product page, commendations, verify, stats, the programme and open-data files from memory, with the same ETag and bytes", async () => {
    const pages = ["/", "/rounds", `/rounds/${slug}`, `/rounds/${slug}?group=2`, `/products/${productId}`, "/commendations", `/verify/${code}`, "/stats", "/programme"];
    const files = [`/rounds/${slug}/winners.csv`, `/api/v1/rounds/${slug}/winners`];
    for (const path of [...pages, ...files]) {
      const { first, firstBody, again } = await cached(path);
      expect(again.status, path).toBe(200);
      expect(again.headers.get("etag"), path).toBe(first.headers.get("etag"));
      expect(again.headers.get("cache-control"), path).toBe(first.headers.get("cache-control"));
      expect(again.headers.get("content-type"), path).toBe(first.headers.get("content-type"));
      expect(Buffer.from(await again.arrayBuffer()).toString("utf8"), path).toBe(firstBody);
      expect(again.headers.get("set-cookie"), path).toBeNull();
    }
  });

  it("answers br, gzip or identity per Accept-Encoding with Vary, and the bytes are the page", async () => {
    const path = `/rounds/${slug}`;
    const { again: plain } = await cached(path, { "Accept-Encoding": "identity" });
    const html = await plain.text();
    expect(plain.headers.get("content-encoding")).toBeNull();
    for (const [accept, encoding, decode] of [
      ["gzip, deflate, br", "br", zlib.brotliDecompressSync],
      ["gzip", "gzip", zlib.gunzipSync],
    ] as const) {
      // Node's fetch decodes for us; read the raw bytes with http to see the stored copy.
      const raw = await rawGet(path, { "Accept-Encoding": accept });
      expect(raw.headers["x-cache"]).toBe("HIT");
      expect(raw.headers["content-encoding"]).toBe(encoding);
      expect(raw.headers.vary).toMatch(/Accept-Encoding/);
      expect(raw.headers.vary).toMatch(/Cookie/);
      expect(Number(raw.headers["content-length"])).toBe(raw.body.length);
      expect(decode(raw.body).toString("utf8")).toBe(html);
    }
  });

  it("allows the inline scripts of a stored page by their hashes, never by a nonce, and answers 304 without a policy", async () => {
    const { again } = await cached("/");
    const html = await again.text();
    const policy = again.headers.get("content-security-policy") ?? "";
    expect(policy).not.toMatch(/nonce-/);
    for (const h of inlineScriptHashes(html)) expect(policy).toContain(h);
    const conditional = await fetch(`${base}/`, { headers: { "If-None-Match": again.headers.get("etag")! } });
    expect(conditional.status).toBe(304);
    expect(conditional.headers.get("x-cache")).toBe("HIT");
    expect(conditional.headers.get("content-security-policy")).toBeNull();
    expect(conditional.headers.get("etag")).toBe(again.headers.get("etag"));
  });

  it("empties itself when a table feeding the public pages changes: a revocation and a reopening are served at once", async () => {
    const { again: before } = await cached(`/verify/${code}`);
    expect(await before.text()).not.toMatch(/đã bị thu hồi|Đã thu hồi/i);
    await revokeCertificate(certificateId);
    // The notification arrives at commit (PGlite) or a few milliseconds later (PostgreSQL): within 1 s.
    const after = await within1s(`/verify/${code}`, (res, body) => res.status === 200 && /thu hồi/i.test(body));
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));

    await cached(`/rounds/${slug}`);
    await reopenRound(roundId);
    await within1s(`/rounds/${slug}`, (res) => res.status === 404);
  });

  it("feeds /metrics: hits (and 304s), misses, stores, clears, entries and bytes as the cache counts them", async () => {
    const metric = async (name: string) => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const line = text.split("\n").find((l) => l.startsWith(`${name}{cache="page"} `));
      expect(line, name).toBeDefined();
      return Number(line!.split(" ")[1]);
    };
    const names = ["hits_total", "not_modified_total", "misses_total", "stored_total", "cleared_total", "entries", "bytes"].map((n) => `cnnt_page_cache_${n}`);
    const before = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await metric(n)] as const)));
    clearPageCache();
    const { again } = await cached("/commendations");
    await again.arrayBuffer();
    const conditional = await fetch(`${base}/commendations`, { headers: { "If-None-Match": again.headers.get("etag")! } });
    expect(conditional.status).toBe(304);
    const after = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await metric(n)] as const)));
    // One render stored (a miss), then at least one 200 and one 304 from memory.
    expect(after.cnnt_page_cache_misses_total).toBeGreaterThanOrEqual(before.cnnt_page_cache_misses_total + 1);
    expect(after.cnnt_page_cache_stored_total).toBeGreaterThanOrEqual(before.cnnt_page_cache_stored_total + 1);
    expect(after.cnnt_page_cache_hits_total).toBeGreaterThanOrEqual(before.cnnt_page_cache_hits_total + 2);
    expect(after.cnnt_page_cache_not_modified_total).toBe(before.cnnt_page_cache_not_modified_total + 1);
    expect(after.cnnt_page_cache_cleared_total).toBe(before.cnnt_page_cache_cleared_total + (before.cnnt_page_cache_entries > 0 ? 1 : 0));
    // The gauges are the cache's own size now.
    expect(after.cnnt_page_cache_entries).toBe(pageCacheSize().entries);
    expect(after.cnnt_page_cache_bytes).toBe(pageCacheSize().bytes);
    expect(after.cnnt_page_cache_entries).toBeGreaterThanOrEqual(1);
    expect(after.cnnt_page_cache_bytes).toBeGreaterThan(1000);
  });

  it("renders a page once when many visitors ask for it at the same moment: the others wait and are answered from memory", async () => {
    clearPageCache();
    clearPublicMemos();
    await settled();
    const before = { ...pageCacheStats };
    const path = "/";
    let requests: Promise<{ status: number; etag: string | null; cache: string | null; body: string }[]> | undefined;
    // The first render is held at the database (its rounds are read there) until the five others are
    // waiting for it: without the hold a visitor arriving after the page was stored is a plain hit.
    await db().transaction(async (tx) => {
      if (process.env.DATABASE_URL) await tx.execute(sql`lock table rounds in access exclusive mode`); // PGlite: an open transaction holds every other query
      requests = Promise.all(
        Array.from({ length: 6 }, async () => {
          const res = await fetch(base + path);
          return { status: res.status, etag: res.headers.get("etag"), cache: res.headers.get("x-cache"), body: await res.text() };
        }),
      );
      for (let i = 0; i < 1000 && pageCacheStats.waited - before.waited < 5; i++) await sleep(10);
      expect(pageCacheStats.misses - before.misses).toBe(1);
      expect(pageCacheStats.stored - before.stored).toBe(0); // still held
    });
    const answers = await requests!;
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(new Set(answers.map((a) => a.etag)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.cache === "HIT")).toHaveLength(5);
    expect(pageCacheStats.misses - before.misses).toBe(1);
    expect(pageCacheStats.waited - before.waited).toBe(5);
  });

  it("states its bounds and keeps within them", () => {
    expect(PAGE_CACHE_LIMITS).toEqual({ entries: 500, bytes: 64 * 1024 * 1024, entryBytes: 4 * 1024 * 1024 });
    const size = pageCacheSize();
    expect(size.entries).toBeLessThanOrEqual(PAGE_CACHE_LIMITS.entries);
    expect(size.bytes).toBeLessThanOrEqual(PAGE_CACHE_LIMITS.bytes);
  });
});

describe("never a personal page", () => {
  let round: Awaited<ReturnType<typeof createPublishedRound>>;
  beforeAll(async () => {
    round = await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(0, 1) });
    await settled();
  });

  it("never answers a signed-in visitor from the cache, and never stores the signed-in page for anonymous visitors", async () => {
    const user = await createTestUser({ fullName: "Trần Thị Riêng Tư" });
    const path = `/rounds/${round.round.slug}`;
    clearPageCache();
    // Signed in first: the page names the visitor; it must not become the anonymous copy.
    for (let i = 0; i < 3; i++) {
      const mine = await fetch(base + path, { headers: { Cookie: user.cookie } });
      expect(mine.headers.get("x-cache")).toBeNull();
      expect(mine.headers.get("cache-control")).toMatch(/private/);
      expect(await mine.text()).toContain("Trần Thị Riêng Tư");
    }
    expect(pageCacheSize().entries).toBe(0);
    const { again } = await cached(path);
    expect(await again.text()).not.toContain("Trần Thị Riêng Tư");
    // With the anonymous copy stored, the signed-in visitor still gets a page of their own.
    const mine = await fetch(base + path, { headers: { Cookie: `theme=1; ${user.cookie}` } });
    expect(mine.headers.get("x-cache")).toBeNull();
    expect(await mine.text()).toContain("Trần Thị Riêng Tư");
    // Rendered for this visitor, compressed in one piece (server.ts, compress.server.ts): not chunked.
    const packed = await rawGet(path, { Cookie: user.cookie, "Accept-Encoding": "gzip" });
    expect(packed.headers["content-encoding"]).toBe("gzip");
    expect(packed.headers["transfer-encoding"]).toBeUndefined();
    expect(Number(packed.headers["content-length"])).toBe(packed.body.length);
    expect(zlib.gunzipSync(packed.body).toString("utf8")).toContain("Trần Thị Riêng Tư");
  });

  it("never answers nor stores a page that shows a one-time message", async () => {
    const path = `/rounds/${round.round.slug}?trang=toast`;
    clearPageCache();
    const toast = (await toastCookie({ kind: "ok", message: "Thông điệp chỉ một lần cho khách này" })).split(";")[0];
    const withToast = await fetch(base + path, { headers: { Cookie: toast } });
    expect(withToast.headers.get("x-cache")).toBeNull();
    expect(withToast.headers.get("cache-control")).toMatch(/no-store/);
    expect(await withToast.text()).toContain("Thông điệp chỉ một lần cho khách này");
    await sleep(50);
    expect(pageCacheSize().entries).toBe(0);
    const { again } = await cached(path);
    expect(await again.text()).not.toContain("Thông điệp chỉ một lần cho khách này");
    // The next visitor with a message gets it, not the stored copy.
    const next = await fetch(base + path, { headers: { Cookie: toast } });
    expect(next.headers.get("x-cache")).toBeNull();
    expect(await next.text()).toContain("Thông điệp chỉ một lần cho khách này");
  });

  it("never answers a client-router data request from the cache", async () => {
    const path = `/rounds/${round.round.slug}`;
    await cached(path);
    const data = await fetch(`${base}${path}?_data=${encodeURIComponent("routes/rounds.$slug")}`);
    expect(data.headers.get("x-cache")).toBeNull();
    expect(data.headers.get("x-remix-response")).toBe("yes");
  });
});

async function rawGet(path: string, headers: Record<string, string>): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const http = await import("node:http");
  return new Promise((resolve, reject) => {
    http
      .get(base + path, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}
