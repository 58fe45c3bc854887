/**
 * Connections shared out by the primary (app/utils/connections.server.ts): to the worker with the
 * fewest open, and served there as by a listening server (a request too slow to send its headers
 * is answered 408).
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freePort } from "../setup/app-process";

let primary: ChildProcess;
let port: number;
const workers = new Set<number>();
/** Every worker that said it was ready, in order (replacements too). */
const ready: number[] = [];
/** Workers whose exit the primary has seen. */
const exited = new Set<number>();

beforeAll(async () => {
  port = await freePort();
  primary = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/connections-cluster.ts"], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("workers not ready")), 20_000);
    primary.stdout!.on("data", (chunk: Buffer) => {
      for (const m of String(chunk).matchAll(/ready (\d+)/g)) {
        if (workers.size < 2) workers.add(Number(m[1]));
        ready.push(Number(m[1]));
      }
      for (const m of String(chunk).matchAll(/exit (\d+)/g)) exited.add(Number(m[1]));
      if (workers.size === 2) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});

afterAll(() => {
  primary?.kill("SIGTERM");
});

/** A kept-alive connection and the pid of the worker that answers on it. */
async function connection(): Promise<{ socket: net.Socket; pid: number }> {
  const socket = net.connect(port, "127.0.0.1");
  const text = await new Promise<string>((resolve, reject) => {
    let got = "";
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      got += String(chunk);
      const [head, body = ""] = got.split("\r\n\r\n");
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? -1);
      if (length >= 0 && body.length >= length) resolve(body);
    });
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
  });
  return { socket, pid: Number(text) };
}

async function closeAll(sockets: net.Socket[]) {
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.end(() => resolve()))));
  // The workers tell the primary; give the messages time to arrive.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

describe("connections shared out by the primary", () => {
  it("a new connection goes to the worker with the fewest open, not the next in turn", async () => {
    const first = [];
    for (let i = 0; i < 4; i++) first.push(await connection());
    const pids = first.map((c) => c.pid);
    // Two each while they are even.
    expect(new Set(pids)).toEqual(workers);
    expect(pids.filter((pid) => pid === pids[0])).toHaveLength(2);
    // The first worker's two close: the next two both go to it (round robin would alternate).
    const emptied = pids[0];
    await closeAll(first.filter((c) => c.pid === emptied).map((c) => c.socket));
    const next = [await connection(), await connection()];
    expect(next.map((c) => c.pid)).toEqual([emptied, emptied]);
    await closeAll([...first.filter((c) => c.pid !== emptied), ...next].map((c) => c.socket));
  });

  it("a worker that dies leaves the count: every new connection is served, by the other and then by its replacement", async () => {
    const [dead, survivor] = [...workers];
    process.kill(dead, "SIGKILL");
    // Between the kill and the primary's exit notice a connection can still be handed to the dead
    // worker (the send fails, the client sees a reset and reconnects): from the notice on, none is.
    for (let i = 0; i < 400 && !exited.has(dead); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(exited.has(dead)).toBe(true);
    const seen = new Set<number>();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(seen.has(survivor) && [...seen].some((pid) => !workers.has(pid)))) {
      const c = await connection();
      expect(c.pid).not.toBe(dead);
      seen.add(c.pid);
      c.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen.has(survivor)).toBe(true);
    // The replacement said it was ready and was given connections.
    const replacement = ready.find((pid) => !workers.has(pid));
    expect(replacement).toBeDefined();
    expect(seen.has(replacement!)).toBe(true);
  });

  it("a worker answers 408 to a client too slow to send its headers (the server's own timeout check runs)", async () => {
    const socket = net.connect(port, "127.0.0.1");
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      let got = "";
      socket.on("data", (chunk) => (got += String(chunk)));
      socket.on("close", () => resolve(got));
      socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
