/**
 * Web hardening through the real express app (issue 7), beside what server.test.ts and auth.test.ts
 * already prove: the script CSP (nonce or hashes) on every kind of HTML page, HSTS only behind its flag, expired
 * sessions refused, password rules on the password change, and 429 with a Vietnamese message on
 * uploads, password changes, sign-ups and certificate-code guessing.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as account from "../../app/routes/account";
import { getUser } from "../../app/utils/auth.server";
import { inlineScriptHashes } from "../../app/utils/csp.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { resetEnv } from "../../app/utils/env.server";
import { sessions } from "../../db/schema";
import { createApp, loadBuild } from "../../server";
import { call, createTestUser, jsonOf, requestAs, TEST_PASSWORD } from "../factories";
import { createPublishedRound, SAMPLE_PRODUCTS } from "../factories/published";

let server: Server;
let base: string;
let slug: string;

async function listen(app: Awaited<ReturnType<typeof createApp>>) {
  const s = app.listen(0, "127.0.0.1");
  await new Promise((r) => s.once("listening", r));
  return { server: s, base: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  // These tests speak as many clients through X-Forwarded-For from a trusted local proxy.
  process.env.TRUST_PROXY = "loopback";
  resetEnv();
  ({ server, base } = await listen(await createApp(await loadBuild())));
  ({
    round: { slug },
  } = await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(0, 2) }));
}, 120_000);

afterAll(() => {
  server?.close();
});

const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

describe("Content-Security-Policy on every kind of page", () => {
  it("sends a nonce CSP without unsafe-inline scripts, and every inline script carries the nonce", async () => {
    const owner = await createTestUser();
    const pages: [string, number, string | null][] = [
      ["/", 200, null],
      ["/rounds", 200, null],
      [`/rounds/${slug}`, 200, null],
      ["/login", 200, null],
      ["/verify", 200, null],
      ["/search?q=nuoc+mam", 200, null],
      ["/facility", 200, owner.cookie],
      ["/rounds/khong-co-dot-nay", 404, null],
      ["/trang-khong-ton-tai", 404, null],
      ["/admin", 403, owner.cookie],
    ];
    for (const [path, status, cookie] of pages) {
      const res = await fetch(`${base}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
      expect(res.status, path).toBe(status);
      const csp = res.headers.get("content-security-policy") ?? "";
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
      // Pages that can be answered 304 carry hashes of their inline scripts (csp-cache.test.ts); the rest a nonce.
      const hashed = res.headers.has("etag");
      expect(scriptSrc, path).toMatch(hashed ? /'sha256-[A-Za-z0-9+/=]{44}'/ : /'nonce-[A-Za-z0-9+/=]{16,}'/);
      expect(scriptSrc, path).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).toMatch(/object-src 'none'/);
      expect(csp, path).toMatch(/base-uri 'self'/);
      expect(csp, path).toMatch(/form-action 'self'/);
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("permissions-policy"), path).toMatch(/camera=\(\)/);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      const html = await res.text();
      if (!(res.headers.get("content-type") ?? "").includes("html")) continue;
      if (hashed) {
        expect(inlineScriptHashes(html).every((h) => scriptSrc.includes(h)), path).toBe(true);
      } else {
        const nonce = /'nonce-([^']+)'/.exec(csp)![1];
        const inline = html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [];
        for (const tag of inline) expect(tag, `${path}: ${tag}`).toContain(`nonce="${nonce}"`);
      }
      // Inline event handlers would be blocked by this CSP: none may be rendered.
      expect(html, path).not.toMatch(/<[^>]+\son[a-z]+=["']/i);
    }
  });
});

describe("bodies that are not forms, through the server", () => {
  it("answers a JSON or plain-text POST to a form action with 415 in Vietnamese, not 500", async () => {
    for (const [type, body] of [
      ["application/json", JSON.stringify({ email: "a@b.vn", password: "x" })],
      ["text/plain", "email=a@b.vn"],
    ]) {
      const res = await fetch(`${base}/login`, {
        method: "POST",
        headers: { Origin: base, "Content-Type": type, "X-Forwarded-For": "203.0.113.41" },
        body,
        redirect: "manual",
      });
      expect(res.status, type).toBe(415);
      const html = await res.text();
      expect(html, type).toContain("dữ liệu phải được gửi từ biểu mẫu");
      expect(html, type).not.toMatch(/TypeError|\n\s+at /);
    }
  });
});

describe("HSTS", () => {
  it("is sent only when HSTS=1", async () => {
    const plain = await fetch(`${base}/`);
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    const previous = process.env.HSTS;
    process.env.HSTS = "1";
    resetEnv();
    const flagged = await listen(await createApp(await loadBuild()));
    try {
      const res = await fetch(`${flagged.base}/`);
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=31536000; includeSubDomains/);
    } finally {
      flagged.server.close();
      if (previous === undefined) delete process.env.HSTS;
      else process.env.HSTS = previous;
      resetEnv();
    }
  });
});

describe("sessions", () => {
  it("refuses a session past its expiry, through the real server, and deletes it", async () => {
    const user = await createTestUser();
    const ok = await fetch(`${base}/facility`, { headers: { Cookie: user.cookie }, redirect: "manual" });
    expect(ok.status).toBe(200);
    const id = user.cookie.split("=")[1];
    await db().update(sessions).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(sessions.id, id));
    const res = await fetch(`${base}/facility`, { headers: { Cookie: user.cookie }, redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    expect(await getUser(requestAs(user, "/"))).toBeNull();
    const left = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from sessions where id = ${id}`))[0].n;
    expect(left).toBe(0);
  });

  it("sets the session cookie HttpOnly and SameSite=Lax at sign-in through the server", async () => {
    const user = await createTestUser();
    const res = await fetch(`${base}/login`, {
      method: "POST",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "203.0.113.40" },
      body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^cnnt_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});

describe("password change rules", () => {
  it("refuses a short and a common new password, and keeps the old one", async () => {
    const user = await createTestUser();
    const cases: [string, RegExp][] = [
      ["ngan-qua", /ít nhất 10 ký tự/],
      ["1234567890", /phổ biến/],
      ["Password123", /phổ biến/],
    ];
    for (const [password, message] of cases) {
      const res = await call(account.action, requestAs(user, "/account", { form: { current: TEST_PASSWORD, password, confirm: password } }));
      expect(res.status, password).toBe(400);
      expect((await jsonOf(res)).fields.password, password).toMatch(message);
    }
    const again = await call(account.action, requestAs(user, "/account", { form: { current: TEST_PASSWORD, password: "mat-khau-moi-2026", confirm: "mat-khau-moi-2026" } }));
    expect(again.status).toBe(302);
  });
});

describe("rate limits through the real server", () => {
  /** Sends `times` requests; returns the last answer (unread) and every status seen. */
  async function hammer(times: number, send: (i: number) => Promise<Response>) {
    let last: Response | undefined;
    const statuses = new Set<number>();
    for (let i = 0; i < times; i++) {
      last = await send(i);
      statuses.add(last.status);
      if (i < times - 1) await last.arrayBuffer();
    }
    return { last: last!, statuses };
  }

  const expect429 = async (res: Response, message: RegExp) => {
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const text = await res.text();
    expect(text).toMatch(VIETNAMESE);
    expect(text).toMatch(message);
  };

  it("uploads: the 121st multipart POST within 10 minutes answers 429", async () => {
    const ip = "203.0.113.31";
    const { last, statuses } = await hammer(121, (i) => {
      const form = new FormData();
      form.append("intent", "photos");
      form.append("photos", new File([`khong-phai-anh-${i}`], "anh.jpg", { type: "image/jpeg" }));
      return fetch(`${base}/facility/products/1`, { method: "POST", headers: { Origin: base, "X-Forwarded-For": ip }, body: form, redirect: "manual" });
    });
    expect([...statuses].some((s) => s !== 429)).toBe(true); // the first ones went through
    await expect429(last, /tải lên quá nhiều/);
    // Another address is not affected.
    const other = await fetch(`${base}/facility/products/1`, { method: "POST", headers: { Origin: base, "X-Forwarded-For": "203.0.113.32" }, body: new FormData(), redirect: "manual" });
    expect(other.status).not.toBe(429);
  }, 60_000);

  it("password change: the 11th POST to /account within 15 minutes answers 429", async () => {
    const user = await createTestUser();
    const ip = "203.0.113.33";
    const { last } = await hammer(11, () =>
      fetch(`${base}/account`, {
        method: "POST",
        headers: { Origin: base, Cookie: user.cookie, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
        body: new URLSearchParams({ current: "sai-mat-khau-hien-tai", password: "mat-khau-moi-2026", confirm: "mat-khau-moi-2026" }),
        redirect: "manual",
      }),
    );
    await expect429(last, /đổi mật khẩu quá nhiều lần/);
  }, 60_000);

  it("sign-up: the 21st POST to /signup within an hour answers 429", async () => {
    const ip = "203.0.113.34";
    const { last } = await hammer(21, () =>
      fetch(`${base}/signup`, {
        method: "POST",
        headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
        body: new URLSearchParams({ fullName: "A", email: "khong-hop-le", password: "x", confirm: "y" }),
        redirect: "manual",
      }),
    );
    await expect429(last, /quá nhiều tài khoản/);
  }, 60_000);

  it("certificate codes: the 121st lookup within 5 minutes answers 429, on the API and the page", async () => {
    const ip = "203.0.113.35";
    const { last, statuses } = await hammer(121, (i) =>
      fetch(`${base}/api/v1/certificates/DOAN${String(i).padStart(10, "0")}`, { headers: { "X-Forwarded-For": ip } }),
    );
    expect(statuses.has(404)).toBe(true);
    expect(last.status).toBe(429);
    expect((await last.json()).error).toMatch(/tra cứu quá nhiều mã/);
    // The human page shares the counter.
    const page = await fetch(`${base}/verify/DOANTHEMMOTMA1`, { headers: { "X-Forwarded-For": ip } });
    await expect429(page, /tra cứu quá nhiều mã/);
  }, 60_000);
});
