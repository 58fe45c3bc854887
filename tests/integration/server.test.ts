/**
 * The express server as a browser meets it: health, headers, CSRF origin check, Vietnamese error
 * pages, and the 503-then-recover behaviour when the database goes away.
 */
import type { Server } from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";


import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { databaseHandle, openPglite, openPostgres, setDatabase } from "../../app/utils/db.server";
import { markDatabaseHealthy } from "../../app/utils/health.server";
import { createApp, loadBuild } from "../../server";

let server: Server;
let base: string;

beforeAll(async () => {
  const app = await createApp(await loadBuild());
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(() => {
  server?.close();
});

describe("server", () => {
  it("answers /healthz with the database status", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("sends the security headers, with a fresh script nonce per response", async () => {
    // A page that is never revalidated (cacheable pages carry script hashes: csp-cache.test.ts).
    const a = await fetch(`${base}/login`);
    const b = await fetch(`${base}/login`);
    const csp = a.headers.get("content-security-policy")!;
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toBe(b.headers.get("content-security-policy"));
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(a.headers.get("permissions-policy")).toMatch(/geolocation=\(\)/);
    expect(a.headers.get("x-powered-by")).toBeNull();
    const html = await a.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    // Every inline script Remix renders carries the nonce.
    const scripts = html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("refuses a state-changing request from another origin", async () => {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.vn&password=x",
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/nguồn gửi không hợp lệ/);
  });

  it("answers an unknown address with the Vietnamese 404 page", async () => {
    const res = await fetch(`${base}/khong-co-trang-nay`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('lang="vi"');
    expect(html).toContain("Không tìm thấy trang");
  });
});

describe("database outage", () => {
  it("answers 503 while the embedded database is closed", async () => {
    const original = databaseHandle();
    const broken = await openPglite();
    await broken.close();
    setDatabase(broken);
    try {
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(503);
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain("Hệ thống tạm thời gián đoạn");
    } finally {
      setDatabase(original);
      markDatabaseHealthy();
    }
  });

  it.runIf(!!process.env.DATABASE_URL)("recovers by itself when PostgreSQL comes back", async () => {
    // A TCP proxy in front of the real server stands for the network path we cut and restore.
    const target = new URL(process.env.DATABASE_URL!);
    const sockets = new Set<net.Socket>();
    const listen = (port: number) =>
      new Promise<net.Server>((resolve) => {
        const proxy = net.createServer((client) => {
          const upstream = net.connect(Number(target.port || 5432), target.hostname);
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on("error", () => {});
            s.on("close", () => sockets.delete(s));
          }
          client.pipe(upstream).pipe(client);
        });
        proxy.listen(port, "127.0.0.1", () => resolve(proxy));
      });
    let proxy = await listen(0);
    const port = (proxy.address() as AddressInfo).port;
    // The same database this file's tests use (migrated), reached through the proxy.
    const original = databaseHandle();
    const url = new URL(original.url!);
    url.host = `127.0.0.1:${port}`;
    const handle = openPostgres(url.toString(), { max: 2 });
    setDatabase(handle);
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const closed = new Promise<void>((r) => proxy.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
      expect((await fetch(`${base}/healthz`)).status).toBe(503);
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain("Cơ sở dữ liệu đang tạm thời không truy cập được");
      proxy = await listen(port);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/`)).status).toBe(200);
    } finally {
      setDatabase(original);
      markDatabaseHealthy();
      await handle.close();
      proxy.close();
      for (const s of sockets) s.destroy();
    }
  });
});

describe("rate limits", () => {
  it("answers 429 with a Vietnamese message and Retry-After", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) {
      last = await fetch(`${base}/login`, {
        method: "POST",
        headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "203.0.113.9" },
        body: "email=khongco%40example.vn&password=sai-mat-khau",
        redirect: "manual",
      });
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last!.text()).toMatch(/quá nhiều lần/);
  });
});
