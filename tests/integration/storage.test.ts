/**
 * The storage interface (app/utils/storage) against both backends: the local folder and a real
 * S3-compatible server (s3rver) on loopback. Same suite, same expectations.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type FileStorage, localStorage, s3Storage } from "../../app/utils/storage/index.server";
import { parseRange } from "../../app/utils/storage/serve.server";
import { startS3, type S3Server } from "../setup/s3";

async function text(stream: Readable | null) {
  expect(stream).not.toBeNull();
  const chunks: Buffer[] = [];
  for await (const c of stream!) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString();
}

let s3: S3Server;
const localRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-storage-"));
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
  fs.rmSync(localRoot, { recursive: true, force: true });
});

const backends: [string, () => FileStorage][] = [
  ["local folder", () => localStorage(localRoot)],
  ["S3 (s3rver)", () => s3Storage({ endpoint: s3.endpoint, bucket: s3.bucket, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true })],
];

describe.each(backends)("storage: %s", (_name, make) => {
  it("writes, stats, reads whole and by range, removes", async () => {
    const store = make();
    await store.put("docs/ab/abcdefgh1234/document", Buffer.from("0123456789"), { contentType: "application/pdf" });
    expect(await store.stat("docs/ab/abcdefgh1234/document")).toMatchObject({ size: 10 });
    expect((await store.readAll("docs/ab/abcdefgh1234/document"))!.toString()).toBe("0123456789");
    expect(await text(await store.read("docs/ab/abcdefgh1234/document"))).toBe("0123456789");
    expect(await text(await store.read("docs/ab/abcdefgh1234/document", { start: 2, end: 5 }))).toBe("2345");
    expect(await text(await store.read("docs/ab/abcdefgh1234/document", { start: 9, end: 9 }))).toBe("9");
    await store.remove("docs/ab/abcdefgh1234/document");
    expect(await store.stat("docs/ab/abcdefgh1234/document")).toBeNull();
    expect(await store.read("docs/ab/abcdefgh1234/document")).toBeNull();
    expect(await store.readAll("docs/ab/abcdefgh1234/document")).toBeNull();
    await store.remove("docs/ab/abcdefgh1234/document"); // absent: no error
  });

  it("streams a write of known length and overwrites whole", async () => {
    const store = make();
    await store.putStream("certificates/BK-1.pdf", Readable.from([Buffer.from("%PDF-"), Buffer.from("one")]), 8);
    expect((await store.readAll("certificates/BK-1.pdf"))!.toString()).toBe("%PDF-one");
    await store.put("certificates/BK-1.pdf", Buffer.from("%PDF-two!"));
    expect((await store.readAll("certificates/BK-1.pdf"))!.toString()).toBe("%PDF-two!");
    await store.remove("certificates/BK-1.pdf");
  });

  it("moves, copies, lists and removes folders; lists folders two levels down with their times", async () => {
    const store = make();
    for (const f of ["original", "640.webp", "320.jpg"]) await store.put(`tmp/idid00000001/${f}`, Buffer.from(f));
    await store.moveFolder("tmp/idid00000001", "media/id/idid00000001");
    expect((await store.list("tmp")).length).toBe(0);
    await store.copyFolder("media/id/idid00000001", "media/id/idid00000002");
    const keys = (await store.list("media")).map((o) => o.key).sort();
    expect(keys).toEqual(
      ["idid00000001", "idid00000002"].flatMap((id) => ["320.jpg", "640.webp", "original"].map((f) => `media/id/${id}/${f}`)).sort(),
    );
    expect((await store.readAll("media/id/idid00000002/640.webp"))!.toString()).toBe("640.webp");
    const folders = await store.folders("media", 2);
    expect(folders.map((f) => f.name).sort()).toEqual(["id/idid00000001", "id/idid00000002"]);
    for (const f of folders) expect(Math.abs(f.mtimeMs - Date.now())).toBeLessThan(60_000);
    await store.removeFolder("media/id/idid00000001");
    await store.removeFolder("media/id/idid00000002");
    expect(await store.list("media")).toEqual([]);
    expect(await store.folders("media", 2)).toEqual([]);
  });

  it("refuses keys that could leave the storage", async () => {
    const store = make();
    for (const key of ["../etc/passwd", "/abs", "a//b", "a/../b", "a/./b", ".hidden", "a b"]) {
      await expect(store.put(key, Buffer.from("x"))).rejects.toThrow(/invalid storage key/);
    }
  });
});

describe("Range header", () => {
  it("reads single ranges, suffixes and open ends; refuses what lies past the end", () => {
    expect(parseRange(null, 10)).toEqual({ kind: "full" });
    expect(parseRange("bytes=0-3", 10)).toEqual({ kind: "partial", range: { start: 0, end: 3 } });
    expect(parseRange("bytes=5-", 10)).toEqual({ kind: "partial", range: { start: 5, end: 9 } });
    expect(parseRange("bytes=-4", 10)).toEqual({ kind: "partial", range: { start: 6, end: 9 } });
    expect(parseRange("bytes=8-100", 10)).toEqual({ kind: "partial", range: { start: 8, end: 9 } });
    expect(parseRange("bytes=10-", 10)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=0-1,4-5", 10)).toEqual({ kind: "full" });
    expect(parseRange("items=0-1", 10)).toEqual({ kind: "full" });
  });
});
