/**
 * Answers compressed in one piece (app/utils/compress.server.ts), in front of the real `compression`
 * middleware as server.ts mounts them: a held answer is sent compressed with its Content-Length; one
 * too long to hold is streamed by `compression` and arrives whole; what must not be compressed is not.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";

import compression from "compression";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { acceptedEncoding, compressInOnePiece, ONE_PIECE_BYTES } from "../../app/utils/compress.server";

const page = `<!DOCTYPE html><html lang="vi"><body>${"<p>Phiếu chấm điểm sản phẩm tiêu biểu</p>".repeat(400)}</body></html>`;
const long = "Dòng dữ liệu mở của đợt bình chọn;".repeat(Math.ceil((ONE_PIECE_BYTES * 1.5) / 36));
let server: http.Server;
let base: string;
const writeCallbacks: string[] = [];

beforeAll(async () => {
  const app = express();
  app.use(compression());
  app.use(compressInOnePiece);
  // As Remix writes a rendered page: one chunk, a flush, then end.
  app.get("/page", (_req, res) => {
    res.type("html");
    res.write(page, () => writeCallbacks.push("page"));
    (res as unknown as { flush?: () => void }).flush?.();
    res.end();
  });
  // A long export written in 16 KB pieces.
  app.get("/long", (_req, res) => {
    res.type("text/csv");
    for (let i = 0; i < long.length; i += 16 * 1024) res.write(long.slice(i, i + 16 * 1024));
    res.end();
  });
  app.get("/photo", (_req, res) => res.type("image/png").send(Buffer.alloc(8192, 7)));
  app.get("/encoded", (_req, res) => res.type("html").set("Content-Encoding", "gzip").send(zlib.gzipSync(page)));
  app.get("/tiny", (_req, res) => res.type("html").send("<p>Đã lưu.</p>"));
  app.get("/no-transform", (_req, res) => res.type("html").set("Cache-Control", "no-transform").send(page));
  app.get("/explicit-head", (_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(page);
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

function decode(encoding: string | undefined, body: Buffer): string {
  if (encoding === "br") return zlib.brotliDecompressSync(body).toString("utf8");
  if (encoding === "gzip") return zlib.gunzipSync(body).toString("utf8");
  return body.toString("utf8");
}

describe("answers compressed in one piece", () => {
  it("sends a page compressed in one piece with its Content-Length (not chunked), br first, else gzip, and calls the write's callback", async () => {
    for (const [accept, expected] of [
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
      ["br;q=0, gzip", "gzip"],
    ] as const) {
      const res = await get("/page", { "Accept-Encoding": accept });
      expect(res.headers["content-encoding"]).toBe(expected);
      expect(res.headers["transfer-encoding"]).toBeUndefined();
      expect(Number(res.headers["content-length"])).toBe(res.body.length);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(decode(expected, res.body)).toBe(page);
    }
    expect(writeCallbacks).toEqual(["page", "page", "page"]);
  });

  it("streams an answer too long to hold through compression, whole", async () => {
    const res = await get("/long", { "Accept-Encoding": "gzip" });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    expect(decode("gzip", res.body)).toBe(long);
  });

  it("leaves alone what must not be compressed: no accepted encoding, HEAD, a photo, an encoded answer, a tiny one, no-transform", async () => {
    const plain = await get("/page");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString("utf8")).toBe(page);
    const head = await get("/page", { "Accept-Encoding": "gzip" }, "HEAD");
    expect(head.headers["content-encoding"]).toBeUndefined();
    expect(head.body.length).toBe(0);
    const photo = await get("/photo", { "Accept-Encoding": "gzip, br" });
    expect(photo.headers["content-encoding"]).toBeUndefined();
    expect(photo.body.equals(Buffer.alloc(8192, 7))).toBe(true);
    const encoded = await get("/encoded", { "Accept-Encoding": "br, gzip" });
    expect(encoded.headers["content-encoding"]).toBe("gzip");
    expect(decode("gzip", encoded.body)).toBe(page);
    const tiny = await get("/tiny", { "Accept-Encoding": "gzip" });
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.body.toString("utf8")).toBe("<p>Đã lưu.</p>");
    const noTransform = await get("/no-transform", { "Accept-Encoding": "gzip" });
    expect(noTransform.headers["content-encoding"]).toBeUndefined();
    expect(noTransform.body.toString("utf8")).toBe(page);
  });

  it("hands an answer whose head was written explicitly to compression (streamed, still whole)", async () => {
    const res = await get("/explicit-head", { "Accept-Encoding": "gzip" });
    expect(decode(res.headers["content-encoding"], res.body)).toBe(page);
  });

  it("reads Accept-Encoding as HTTP means it: q=0 refuses, other q values take", () => {
    expect(acceptedEncoding(undefined)).toBeNull();
    expect(acceptedEncoding("identity")).toBeNull();
    expect(acceptedEncoding("br;q=0.5, gzip")).toBe("br");
    expect(acceptedEncoding("br; q=0, gzip;q=1.0")).toBe("gzip");
    expect(acceptedEncoding("br;q=0.0, gzip;q=0")).toBeNull();
    expect(acceptedEncoding("deflate, GZIP")).toBe("gzip");
    expect(acceptedEncoding("abr, xgzip")).toBeNull();
  });
});
