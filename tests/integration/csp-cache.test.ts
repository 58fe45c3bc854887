/**
 * Issue 11, items 6–8 through the real express app: cacheable pages allow their inline scripts by
 * hash (so a 304 never pairs a new nonce with an old body) and a 304 carries no policy; truth that can
 * change (certificate validity) is revalidated on every use while other public pages keep a short
 * browser max-age and a CDN s-maxage; PUBLIC_URL follows PORT and a foreign Host is warned about.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { inlineScriptHashes, withScriptSources } from "../../app/utils/csp.server";
import { env, resetEnv } from "../../app/utils/env.server";
import { forgetRequestHosts, startupWarning } from "../../app/utils/public-url.server";
import { createApp, loadBuild } from "../../server";
import { createTestUser } from "../factories";
import { createPublishedRound, SAMPLE_PRODUCTS } from "../factories/published";

let server: Server;
let base: string;
let slug: string;
let code: string;

beforeAll(async () => {
  server = (await createApp(await loadBuild())).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const published = await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(0, 1) });
  slug = published.round.slug;
  code = published.products[0].certificate!.code;
}, 120_000);

afterAll(() => {
  server?.close();
});

const scriptSrc = (res: Response) => /script-src ([^;]*)/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "";

describe("script policy of cacheable pages (item 6)", () => {
  it("lists the hash of every inline script of a cacheable page, for anonymous and signed-in visitors, and no nonce", async () => {
    const user = await createTestUser();
    for (const cookie of [null, user.cookie]) {
      for (const path of ["/", "/rounds", `/rounds/${slug}`, `/verify/${code}`]) {
        const res = await fetch(`${base}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
        expect(res.status, path).toBe(200);
        expect(res.headers.get("etag"), path).toBeTruthy();
        const src = scriptSrc(res);
        expect(src, path).not.toMatch(/nonce-/);
        const html = await res.text();
        const hashes = inlineScriptHashes(html);
        expect(hashes.length, path).toBeGreaterThanOrEqual(2); // the Remix context and the module loader
        for (const h of hashes) expect(src, path).toContain(h);
        expect(html, path).not.toMatch(/<script[^>]*\snonce=/);
        expect(res.headers.get("x-csp-script-hashes"), path).toBeNull();
      }
    }
  });

  it("answers a revalidation 304 without any policy, so the browser keeps the one stored with the body", async () => {
    const first = await fetch(`${base}/rounds/${slug}`);
    await first.text();
    const again = await fetch(`${base}/rounds/${slug}`, { headers: { "If-None-Match": first.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("content-security-policy")).toBeNull();
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
  });

  it("never answers a client-router data request 304 (Remix strips ?_data before the loader sees it)", async () => {
    const user = await createTestUser();
    for (const cookie of [null, user.cookie]) {
      const path = `/rounds/${slug}?_data=${encodeURIComponent("routes/rounds.$slug")}`;
      const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
      const first = await fetch(`${base}${path}`, { headers });
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag");
      const again = await fetch(`${base}${path}`, { headers: { ...headers, ...(etag ? { "If-None-Match": etag } : {}) } });
      expect(again.status).toBe(200);
      expect(again.headers.get("x-remix-response")).toBe("yes");
    }
  });

  it("keeps a per-request nonce on pages that are never revalidated", async () => {
    const a = await fetch(`${base}/login`);
    const b = await fetch(`${base}/login`);
    expect(a.headers.get("etag")).toBeNull();
    const nonce = (r: Response) => /'nonce-([^']+)'/.exec(scriptSrc(r))?.[1];
    expect(nonce(a)).toBeTruthy();
    expect(nonce(a)).not.toBe(nonce(b));
    expect(await a.text()).toContain(`nonce="${nonce(a)}"`);
  });

  it("hashes exactly the script text and swaps only the nonce source", () => {
    const html = `<script src="/a.js"></script><script>window.x=1</script><script type="module">import "/b.js";</script>`;
    expect(inlineScriptHashes(html)).toEqual(["'sha256-hUmDl3yY/7GaaX+Zuy8aEy8IzxgpBs7xccqYHs2/7kQ='", expect.stringMatching(/^'sha256-/)]);
    expect(withScriptSources("default-src 'self';script-src 'self' 'nonce-abc';style-src 'self'", "'sha256-x'")).toBe(
      "default-src 'self';script-src 'self' 'sha256-x';style-src 'self'",
    );
  });
});

describe("Cache-Control of public pages (item 7)", () => {
  it("revalidates the verify page and the certificate API on every use; other pages get a short max-age and s-maxage", async () => {
    for (const path of [`/verify/${code}`, `/api/v1/certificates/${code}`]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("public, no-cache");
      const again = await fetch(`${base}${path}`, { headers: { "If-None-Match": res.headers.get("etag")! } });
      expect(again.status, path).toBe(304);
    }
    for (const path of ["/", "/rounds", `/rounds/${slug}`, "/commendations", `/rounds/${slug}/winners.csv`]) {
      const cc = (await fetch(`${base}${path}`)).headers.get("cache-control") ?? "";
      expect(cc, path).toMatch(/^public, max-age=60, s-maxage=\d+/);
      expect(cc, path).not.toMatch(/no-cache/);
    }
    const user = await createTestUser();
    const signedIn = await fetch(`${base}/verify/${code}`, { headers: { Cookie: user.cookie } });
    expect(signedIn.headers.get("cache-control")).toBe("private, no-cache");
  });
});

describe("PUBLIC_URL (item 8)", () => {
  it("defaults to http://localhost:$PORT", () => {
    const saved = { PUBLIC_URL: process.env.PUBLIC_URL, PORT: process.env.PORT };
    try {
      delete process.env.PUBLIC_URL;
      process.env.PORT = "3101";
      resetEnv();
      expect(env().PUBLIC_URL).toBe("http://localhost:3101");
      expect(startupWarning()).toBeNull();
      process.env.PUBLIC_URL = "http://localhost:3000";
      resetEnv();
      expect(startupWarning()).toMatch(/cổng 3000 nhưng máy chủ chạy ở cổng 3101/);
    } finally {
      process.env.PUBLIC_URL = saved.PUBLIC_URL;
      if (saved.PORT === undefined) delete process.env.PORT;
      else process.env.PORT = saved.PORT;
      resetEnv();
    }
  });

  it("warns once in the log and on the admin page when requests arrive on another host", async () => {
    forgetRequestHosts();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const admin = await createTestUser({ roles: ["admin"] });
      // PUBLIC_URL is http://localhost:3000 here; the requests arrive on 127.0.0.1:<port>.
      await fetch(`${base}/`);
      await fetch(`${base}/rounds`);
      const warnings = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("khác với PUBLIC_URL"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(new URL(base).host);
      const page = await (await fetch(`${base}/admin`, { headers: { Cookie: admin.cookie } })).text();
      expect(page).toContain('data-testid="public-url-warning"');
      expect(page).toContain(new URL(base).host);
    } finally {
      warn.mockRestore();
    }
    forgetRequestHosts();
    const onPublicHost = await fetch(`${base}/`, { headers: { "X-Forwarded-Host": "localhost:3000" } });
    expect(onPublicHost.status).toBe(200);
  });
});
