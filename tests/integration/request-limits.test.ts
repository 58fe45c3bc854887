/**
 * Issue 17 items 1 and 3 through the express app: the byte budget (declared and chunked bodies)
 * and the query-string screen (NUL, invalid UTF-8) on the filters that used to answer 500.
 */
import http from "node:http";
import net, { type AddressInfo, type Server } from "node:net";

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db, rowsOf } from "../../app/utils/db.server";
import { BAD_QUERY_MESSAGE, queryIsClean } from "../../app/utils/request-limits.server";
import { createApp, loadBuild } from "../../server";
import { createTestUser, type TestUser } from "../factories/index";
import { createOrganizer, createTestRound } from "../factories/scoring";

let server: Server;
let base: string;
let admin: TestUser;
let organizer: TestUser;
let slug: string;

beforeAll(async () => {
  const app = await createApp(await loadBuild());
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = await createTestUser({ roles: ["admin"] });
  organizer = await createOrganizer();
  slug = (await createTestRound({ actorId: organizer.id })).slug;
}, 120_000);

afterAll(() => {
  server?.close();
});

/** A POST through node:http (fetch cannot send a body without a length it knows, or a lying one). */
function post(path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: "POST", headers });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the byte budget", () => {
  it("refuses a declared urlencoded body over 1 MB at once, in Vietnamese, and closes the connection", async () => {
    const body = Buffer.from(`email=a%40b.vn&password=${"x".repeat(1024 * 1024 + 10)}`);
    const r = await post("/login", body, { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(body.length) });
    expect(r.status).toBe(413);
    expect(r.text).toContain("Dữ liệu gửi lên quá lớn");
    expect(r.connection).toBe("close");
  });

  it("counts a chunked body (no Content-Length) while it streams", async () => {
    const body = Buffer.from(`email=a%40b.vn&password=${"x".repeat(2 * 1024 * 1024)}`);
    const r = await post("/login", body, { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" });
    expect(r.status).toBe(413);
    expect(r.text).toContain("tối đa 1,0 MB");
  });

  it("refuses JSON to the API over the budget with a JSON answer", async () => {
    const body = Buffer.from(JSON.stringify({ x: "y".repeat(1024 * 1024 + 10) }));
    const r = await post("/api/v1/rounds", body, { "Content-Type": "application/json", "Content-Length": String(body.length) });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text).error).toContain("quá lớn");
  });

  it("lingers after a 413: a client that reads its answer only after writing more still gets it", async () => {
    // The client does not read (its socket paused) while it sends 4 MB, then once more after a
    // second — long after the server answered. A server that destroys its socket right after the
    // answer resets the connection under those late bytes: the write fails (EPIPE) and the 413 is
    // lost. Lingering, the server drops them and the answer is read once the client resumes.
    const result = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`${base}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
      req.on("socket", (socket) => socket.pause());
      req.on("error", reject);
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text });
        });
      });
      const chunk = Buffer.alloc(64 * 1024, "a");
      req.write("email=a%40b.vn&password=");
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        setTimeout(() => {
          req.write(chunk);
          setTimeout(() => req.socket?.resume(), 100);
        }, 1000);
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(result.text).toContain("Dữ liệu gửi lên quá lớn");
  }, 30_000);

  it("serves nothing pipelined behind a refused body on its lingering connection", async () => {
    const { port } = server.address() as AddressInfo;
    const body = `email=a%40b.vn&password=${"x".repeat(2 * 1024 * 1024)}`;
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n`;
    // A certificate lookup: the first thing it meets is its rate limit, counted in the database.
    const pipelined = "GET /verify/KHONG-CO-MA HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const lookups = async () =>
      Number(rowsOf<{ n: number }>(await db().execute(sql`select coalesce(sum(failures), 0)::int as n from login_throttle where key like 'rl:verify:%'`))[0].n);
    const before = await lookups();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1");
      let text = "";
      socket.setEncoding("latin1");
      socket.on("data", (d: string) => (text += d));
      socket.on("close", () => resolve(text));
      // A reset after the whole 413 arrived is the server closing: the answer is what counts.
      socket.on("error", (error) => (/^HTTP\/1\.1 413 [\s\S]*\r\n\r\n/.test(text) ? resolve(text) : reject(error)));
      // All in one write, the request behind the body's end included: the server reads the end of
      // the body and the pipelined request together while its 413 is still going out.
      socket.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}0\r\n\r\n${pipelined}`);
      setTimeout(() => reject(new Error("the connection stayed open")), 10_000).unref();
    });
    expect(answer.match(/^HTTP\/1\.1 /gm)).toEqual(["HTTP/1.1 "]);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    // The lookup behind it was never served: not even counted.
    await new Promise((r) => setTimeout(r, 300));
    expect(await lookups()).toBe(before);
  }, 30_000);

  it("lets an ordinary sign-in through", async () => {
    const body = Buffer.from("email=khong-co%40example.vn&password=sai-mat-khau-1234");
    const r = await post("/login", body, { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain("quá lớn");
  });
});

describe("query strings screened like bodies", () => {
  const bad = ["%00", "a%00b", "%C3%28", "%FF", "%ED%A0%80" /* a UTF-16 surrogate */];

  it("knows clean from broken", () => {
    for (const raw of bad) expect(queryIsClean(`q=${raw}`), raw).toBe(false);
    for (const raw of ["q=N%C6%B0%E1%BB%9Bc+m%E1%BA%AFm", "q=50%", "q=%zz", "a=1&b=", ""]) expect(queryIsClean(raw), raw).toBe(true);
  });

  it("answers 400 with a message on every filter that used to reach the database", async () => {
    const pages: [string, TestUser | null][] = [
      [`/organizer/rounds/${slug}/screening?q=`, organizer],
      [`/organizer/rounds/${slug}/screening?province=`, organizer],
      ["/admin/users?q=", admin],
      ["/admin/audit?entity=", admin],
      ["/admin/audit?actor=", admin],
      ["/admin/audit.csv?entity=", admin],
      ["/search?q=", null],
      ["/api/v1/rounds?x=", null],
    ];
    for (const [path, user] of pages) {
      for (const raw of bad) {
        const res = await fetch(`${base}${path}${raw}`, { headers: user ? { Cookie: user.cookie } : {} });
        expect(res.status, `${path}${raw}`).toBe(400);
        const text = await res.text();
        expect(text, path).toContain(path.startsWith("/api/") ? JSON.stringify({ error: BAD_QUERY_MESSAGE }).slice(10, 40) : BAD_QUERY_MESSAGE);
      }
    }
  });

  it("still serves the same filters with clean values", async () => {
    expect((await fetch(`${base}/admin/users?q=Nguy%E1%BB%85n`, { headers: { Cookie: admin.cookie } })).status).toBe(200);
    expect((await fetch(`${base}/organizer/rounds/${slug}/screening?q=m%E1%BA%AFm&province=ninh-binh`, { headers: { Cookie: organizer.cookie } })).status).toBe(200);
    expect((await fetch(`${base}/search?q=50%`)).status).toBe(200);
  });
});
