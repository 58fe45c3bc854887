/**
 * Admission (app/utils/admission.server.ts) on a real HTTP server: the bound on requests worked on
 * at once, page views first but never shutting the others out, the slot given back at the answer's
 * headers, on a closed connection or after the lease, uploads never waiting.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import type { Request, Response } from "express";
import { afterEach, describe, expect, it } from "vitest";

import { admission, admissionWaitMs } from "../../app/utils/admission.server";

interface Held {
  name: string;
  res: http.ServerResponse;
}

let server: http.Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

/** A server whose handler records each admitted request and answers only when told. */
async function start(limit: number, leaseMs = 60_000) {
  const mw = admission(limit, leaseMs);
  const started: string[] = [];
  /** How long each admitted request waited for its slot, by name. */
  const waited = new Map<string, number>();
  const held: Held[] = [];
  let running = 0;
  let most = 0;
  server = http.createServer((req, res) => {
    mw(req as Request, res as Response, () => {
      running++;
      most = Math.max(most, running);
      const name = new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? "?";
      started.push(name);
      waited.set(name, admissionWaitMs(req));
      held.push({ name, res });
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((r) => server!.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const answer = (name: string) => {
    const i = held.findIndex((h) => h.name === name);
    expect(i, `${name} was admitted`).toBeGreaterThanOrEqual(0);
    const [h] = held.splice(i, 1);
    running--;
    h.res.end("ok");
  };
  return { mw, base, started, waited, held, answer, most: () => most };
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 400 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(what()).toBe(true);
};

const signedIn = { Cookie: "cnnt_session=abc" };

describe("admission", () => {
  it("works on at most `limit` requests at once; the rest wait and are all answered", async () => {
    const s = await start(2);
    const replies = Array.from({ length: 6 }, (_, i) => fetch(`${s.base}/x?n=r${i}`, { headers: signedIn }).then((r) => r.text()));
    await until(() => s.started.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.started).toHaveLength(2);
    expect(s.mw.stats()).toMatchObject({ active: 2, waiting: 4 });
    for (let i = 0; i < 6; i++) {
      await until(() => s.held.length > 0);
      s.answer(s.held[0].name);
    }
    expect(await Promise.all(replies)).toEqual(Array(6).fill("ok"));
    expect(s.most()).toBe(2);
    expect(s.started).toEqual(["r0", "r1", "r2", "r3", "r4", "r5"]); // arrival order
  });

  it("lets anonymous page views go first, but at most three in a row while a signed-in request waits", async () => {
    const s = await start(1);
    void fetch(`${s.base}/x?n=first`, { headers: signedIn }).catch(() => {});
    await until(() => s.started.length === 1);
    // Queued in this order: a signed-in request, then five anonymous page views.
    void fetch(`${s.base}/x?n=o1`, { headers: signedIn }).catch(() => {});
    await until(() => s.mw.stats().waiting === 1);
    for (let i = 1; i <= 5; i++) {
      void fetch(`${s.base}/x?n=p${i}`).catch(() => {});
      await until(() => s.mw.stats().waiting === 1 + i);
    }
    for (let i = 0; i < 7; i++) {
      await until(() => s.held.length === 1);
      s.answer(s.held[0].name);
    }
    expect(s.started).toEqual(["first", "p1", "p2", "p3", "o1", "p4", "p5"]);
  });

  it("gives the slot back when the answer's headers go out, not when a slow body ends", async () => {
    const s = await start(1);
    void fetch(`${s.base}/x?n=download`, { headers: signedIn }).then((r) => r.body?.cancel()).catch(() => {});
    await until(() => s.started.length === 1);
    void fetch(`${s.base}/x?n=next`, { headers: signedIn }).catch(() => {});
    await until(() => s.mw.stats().waiting === 1);
    s.held[0].res.writeHead(200, { "Content-Type": "application/pdf" });
    s.held[0].res.write("first bytes of a long download");
    await until(() => s.started.includes("next"));
  });

  it("gives the slot back when the client goes away, and skips a client that left while waiting", async () => {
    const s = await start(1);
    const gone = new AbortController();
    void fetch(`${s.base}/x?n=a`, { headers: signedIn, signal: gone.signal }).catch(() => {});
    await until(() => s.started.length === 1);
    const left = new AbortController();
    void fetch(`${s.base}/x?n=left`, { headers: signedIn, signal: left.signal }).catch(() => {});
    await until(() => s.mw.stats().waiting === 1);
    left.abort();
    void fetch(`${s.base}/x?n=c`, { headers: signedIn }).catch(() => {});
    await until(() => s.mw.stats().waiting === 2);
    await new Promise((r) => setTimeout(r, 50)); // the aborted socket's close reaches the server
    gone.abort();
    await until(() => s.started.includes("c"));
    expect(s.started).toEqual(["a", "c"]);
  });

  it("lets a request that holds its slot past the lease stop counting (a slow body, a long wait)", async () => {
    const s = await start(1, 100);
    void fetch(`${s.base}/x?n=stuck`, { headers: signedIn }).catch(() => {});
    await until(() => s.started.length === 1);
    void fetch(`${s.base}/x?n=after`, { headers: signedIn }).catch(() => {});
    await until(() => s.started.includes("after"));
  });

  it("runs a request that waited in its own async context, not in the one of the request that freed the slot", async () => {
    const { AsyncLocalStorage } = await import("node:async_hooks");
    const context = new AsyncLocalStorage<string>();
    const mw = admission(1);
    const seen: string[] = [];
    const held: http.ServerResponse[] = [];
    server = http.createServer((req, res) => {
      const name = new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? "?";
      context.run(name, () =>
        mw(req as Request, res as Response, () => {
          seen.push(`${name} in ${context.getStore()}`);
          held.push(res);
        }),
      );
    });
    server.listen(0, "127.0.0.1");
    await new Promise((r) => server!.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    void fetch(`${base}/?n=a`, { headers: signedIn }).catch(() => {});
    await until(() => seen.length === 1);
    void fetch(`${base}/?n=b`, { headers: signedIn }).catch(() => {});
    await until(() => mw.stats().waiting === 1);
    context.run("a", () => held[0].end("ok")); // a's answer frees the slot, in a's context
    await until(() => seen.length === 2);
    expect(seen).toEqual(["a in a", "b in b"]);
  });

  it("tells how long a request waited for its slot (its log line's queuedMs): 0 when it had one at once", async () => {
    const s = await start(1);
    const first = fetch(`${s.base}/x?n=first`, { headers: signedIn }).then((r) => r.text());
    await until(() => s.held.length === 1);
    const second = fetch(`${s.base}/x?n=second`, { headers: signedIn }).then((r) => r.text());
    await until(() => s.mw.stats().waiting === 1);
    await new Promise((r) => setTimeout(r, 120));
    s.answer("first");
    await until(() => s.held.length === 1);
    s.answer("second");
    expect(await Promise.all([first, second])).toEqual(["ok", "ok"]);
    expect(s.waited.get("first")).toBe(0);
    expect(s.waited.get("second")).toBeGreaterThanOrEqual(100);
    expect(s.waited.get("second")).toBeLessThan(5_000);
  });

  it("never holds back an upload (multipart): its time is reading the body", async () => {
    const s = await start(1);
    void fetch(`${s.base}/x?n=busy`, { headers: signedIn }).catch(() => {});
    await until(() => s.started.length === 1);
    const form = new FormData();
    form.set("photos", new Blob([Buffer.from("x")]), "a.jpg");
    void fetch(`${s.base}/x?n=upload`, { method: "POST", headers: signedIn, body: form }).catch(() => {});
    await until(() => s.started.includes("upload"));
    expect(s.mw.stats().waiting).toBe(0);
  });
});
