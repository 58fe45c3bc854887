/**
 * Issue 17 item 1 against a real server process: bodies far past their budget, chunked (so no
 * Content-Length to trust), are refused with 413 while they stream, and the server's memory stays
 * flat. The bytes are generated on the fly; each stream gives up after a time bound.
 */
import fs from "node:fs";
import http from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestFacility, createTestProduct } from "../factories/facility";
import { createTestUser } from "../factories/index";
import { startAppWith } from "../setup/app-fixture";
import type { AppProcess } from "../setup/app-process";

const MiB = 1024 * 1024;
let app: AppProcess;
let cleanup: () => Promise<void>;
let owner: { cookie: string };
let productId: number;

beforeAll(async () => {
  const started = await startAppWith(async () => {
    const user = await createTestUser({ roles: ["facility"] });
    const facility = await createTestFacility(user.id);
    const product = await createTestProduct(user.id, facility.id);
    return { user, productId: product.id };
  });
  app = started.app;
  cleanup = started.cleanup;
  owner = started.data.user;
  productId = started.data.productId;
}, 180_000);

afterAll(async () => {
  if (process.env.SHOW_LOG) console.log(app?.log());
  await cleanup?.();
});

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * Streams `head`, then `total` bytes of `filler`, chunked, until the server answers or `timeMs`
 * passes. Returns the status, the answer's text, how much was sent and the peak RSS growth.
 */
async function stream(options: { path: string; type: string; head: string; total: number; cookie?: string; timeMs?: number }) {
  const pid = app.child.pid!;
  const baseline = rssBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20);
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  try {
    return await new Promise<{ status: number; text: string; sent: number; growth: number }>((resolve, reject) => {
      const req = http.request(`${app.baseUrl}${options.path}`, {
        method: "POST",
        headers: { "Content-Type": options.type, ...(options.cookie ? { Cookie: options.cookie } : {}) },
      });
      let answered = false;
      const deadline = Date.now() + (options.timeMs ?? 60_000);
      req.on("response", (res) => {
        answered = true;
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => {
          req.destroy();
          peak = Math.max(peak, rssBytes(pid));
          if (process.env.SHOW_LOG) console.log(options.path, { sentMiB: sent / MiB, growthMiB: (peak - baseline) / MiB });
          resolve({ status: res.statusCode ?? 0, text, sent, growth: peak - baseline });
        });
      });
      req.on("error", (error) => {
        if (!answered) reject(error);
      });
      req.write(options.head);
      const pump = () => {
        while (!answered && sent < options.total && Date.now() < deadline) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!answered && sent >= options.total) req.end();
        if (!answered && Date.now() >= deadline) reject(new Error(`no answer after ${sent} bytes`));
      };
      pump();
    });
  } finally {
    clearInterval(sampler);
  }
}

/**
 * A client that ignores the answer: it streams up to 1 GiB to /login, chunked, whatever the server
 * says, until its connection is cut (the error's code), the body is all sent ("read to its end"),
 * or 30 s pass ("still open"). `readAnswer: false` never reads from its socket at all.
 */
function writeUntilCut(options: { headers: Record<string, string>; readAnswer: boolean }) {
  const chunk = Buffer.alloc(64 * 1024, "a");
  return new Promise<{ sent: number; status?: number; error?: string }>((resolve) => {
    const req = http.request(`${app.baseUrl}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...options.headers },
    });
    if (!options.readAnswer) req.on("socket", (socket) => socket.pause());
    let sent = 0;
    let status: number | undefined;
    let done = false;
    const finish = (error: string) => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ sent, status, error });
    };
    req.on("response", (res) => {
      status = res.statusCode;
      res.resume();
    });
    req.on("error", (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    req.write("email=a%40b.vn&password=");
    const pump = () => {
      while (!done && sent < 1024 * MiB) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!done) req.end(() => setTimeout(() => finish("read to its end"), 500));
    };
    pump();
    setTimeout(() => finish("still open"), 30_000).unref();
  });
}

describe("request bodies past their budget (real server, chunked)", () => {
  it("refuses 1 GiB streamed to the upload route with 413 after at most a photo's budget, memory flat", async () => {
    // Warm up: the route modules and the session path are loaded before the baseline is taken.
    expect((await fetch(`${app.baseUrl}/facility/products/${productId}`, { headers: { Cookie: owner.cookie } })).status).toBe(200);
    const boundary = "----cnnt-bomb";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nphotos\r\n--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="khong-lo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const r = await stream({ path: `/facility/products/${productId}`, type: `multipart/form-data; boundary=${boundary}`, head, total: 1024 * MiB, cookie: owner.cookie });
    expect(r.status).toBe(413);
    expect(r.text).toMatch(/Ảnh “khong-lo.jpg” vượt quá 15/);
    expect(r.sent).toBeLessThan(200 * MiB);
    expect(r.growth).toBeLessThan(50 * MiB);
  }, 120_000);

  it("refuses 1 GiB of one multipart text field on any route (no route reads it) with 413", async () => {
    const boundary = "----cnnt-field";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n`;
    const r = await stream({ path: `/facility/products/${productId}`, type: `multipart/form-data; boundary=${boundary}`, head, total: 1024 * MiB, cookie: owner.cookie });
    expect(r.status).toBe(413);
    expect(r.sent).toBeLessThan(200 * MiB);
    expect(r.growth).toBeLessThan(50 * MiB);
  }, 120_000);

  it("refuses 400 MB urlencoded to the anonymous /login with 413 after about 1 MB, memory flat", async () => {
    expect((await fetch(`${app.baseUrl}/login`)).status).toBe(200);
    const r = await stream({ path: "/login", type: "application/x-www-form-urlencoded", head: "email=a%40b.vn&password=", total: 400 * MiB });
    expect(r.status).toBe(413);
    expect(r.text).toMatch(/Dữ liệu gửi lên quá lớn/);
    expect(r.sent).toBeLessThan(50 * MiB);
    expect(r.growth).toBeLessThan(50 * MiB);
  }, 120_000);

  it("cuts a client that never reads its 413 and keeps writing: the lingering close is bounded", async () => {
    const pid = app.child.pid!;
    const baseline = rssBytes(pid);
    const started = Date.now();
    const outcome = await writeUntilCut({ headers: {}, readAnswer: false });
    expect(outcome.error).toMatch(/EPIPE|ECONNRESET/);
    // The budget (1 MB), then at most LINGER_BYTES (16 MB) dropped, plus what the kernels buffer;
    // cut by the byte bound, well before the time bound (LINGER_MS, 5 s).
    expect(outcome.sent).toBeLessThan(60 * MiB);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(rssBytes(pid) - baseline).toBeLessThan(50 * MiB);
  }, 60_000);

  it("counts a body nobody read after an answer (a refused origin's 403): cut past the budget, not read to its end", async () => {
    const outcome = await writeUntilCut({ headers: { Origin: "http://ke-gian.example" }, readAnswer: true });
    expect(outcome.status).toBe(403);
    expect(outcome.error).toMatch(/EPIPE|ECONNRESET/);
    expect(outcome.sent).toBeLessThan(60 * MiB);
  }, 60_000);

  it("still serves ordinary requests afterwards", async () => {
    const res = await fetch(`${app.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(app.log()).not.toMatch(/ERR_HTTP_HEADERS_SENT|Error: body budget/);
  });
});
