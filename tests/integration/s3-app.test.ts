/**
 * Issue 18 items 2 and 4 against a real server process: with S3 configured (a real S3-compatible
 * server, s3rver, on loopback) a photo and a document uploaded through the app land in the bucket,
 * are served streamed (whole, by Range, 416 past the end, 304 on the ETag), stay behind the same
 * guard (anonymous 404), are deleted through the app; nothing is written to the local uploads
 * folder. Every answer carries a request id (a well-formed one from the client is kept); /metrics
 * answers the loopback client by default and no one outside METRICS_ALLOW (TRUST_PROXY respected).
 */
import fs from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { s3Storage } from "../../app/utils/storage/index.server";
import { createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { createTestUser } from "../factories/index";
import { startAppWith } from "../setup/app-fixture";
import { type AppProcess, startApp } from "../setup/app-process";
import { startS3, type S3Server } from "../setup/s3";

let s3: S3Server;
let app: AppProcess;
let cleanup: () => Promise<void>;
let owner: { cookie: string };
let productId: number;

beforeAll(async () => {
  s3 = await startS3("cnnt-app");
  const started = await startAppWith(async () => {
    const user = await createTestUser({ roles: ["facility"] });
    const facility = await createTestFacility(user.id);
    const product = await createTestProduct(user.id, facility.id);
    return { user, productId: product.id };
  }, s3.env);
  app = started.app;
  cleanup = started.cleanup;
  owner = started.data.user;
  productId = started.data.productId;
}, 180_000);

afterAll(async () => {
  if (process.env.SHOW_LOG) console.log(app?.log());
  await cleanup?.();
  await s3?.stop();
});

const bucket = () => s3Storage({ endpoint: s3.endpoint, bucket: s3.bucket, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true });
const localFiles = (root: string): string[] => (fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name)) : []);

async function post(form: FormData, data = false) {
  const query = data ? `?_data=${encodeURIComponent("routes/facility.products.$productId")}` : "";
  return fetch(`${app.baseUrl}/facility/products/${productId}${query}`, { method: "POST", body: form, headers: { Cookie: owner.cookie, Origin: app.baseUrl }, redirect: "manual" });
}

describe("uploads on S3 through the app", () => {
  it("stores, serves (whole, Range, 416, 304), guards and deletes a photo and a document; nothing on local disk", async () => {
    const photo = new FormData();
    photo.append("intent", "photo");
    photo.append("uploadKey", "s3-app-key-0000001");
    photo.append("photo", new Blob([new Uint8Array(fixture("camera-3.jpg"))], { type: "image/jpeg" }), "camera-3.jpg");
    const saved = await post(photo, true);
    expect(saved.status).toBe(200);
    const { id: photoId } = (await saved.json()) as { id: string };

    const doc = new FormData();
    doc.append("intent", "document");
    doc.append("docType", "business_registration");
    doc.append("document", new Blob([new Uint8Array(fixture("registration.pdf"))], { type: "application/pdf" }), "dang-ky.pdf");
    expect((await post(doc)).status).toBe(302);

    const keys = (await bucket().list("media")).map((o) => o.key);
    const docKey = keys.find((k) => k.endsWith("/document"))!;
    const docId = docKey.split("/")[2];
    expect(keys.filter((k) => k.includes(photoId)).length).toBe(10); // original + 3 widths × 3 formats
    expect(localFiles(app.uploadsDir)).toEqual([]);

    const as = (url: string, headers: Record<string, string> = {}) => fetch(`${app.baseUrl}${url}`, { headers: { Cookie: owner.cookie, ...headers } });
    // The photo URLs the pages print resolve, whole and by range.
    const variant = await as(`/files/${photoId}/640.webp`);
    expect(variant.status).toBe(200);
    expect(variant.headers.get("content-type")).toBe("image/webp");
    const webp = Buffer.from(await variant.arrayBuffer());
    expect(webp.toString("latin1", 8, 12)).toBe("WEBP");
    expect(variant.headers.get("accept-ranges")).toBe("bytes");
    expect(variant.headers.get("last-modified")).toBeTruthy();
    const part = await as(`/files/${photoId}/640.webp`, { Range: "bytes=0-11" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-11/${webp.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(webp.subarray(0, 12))).toBe(true);
    expect((await as(`/files/${photoId}/640.webp`, { "If-None-Match": variant.headers.get("etag")! })).status).toBe(304);

    const pdf = fixture("registration.pdf");
    const whole = await as(`/files/${docId}/document`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(pdf)).toBe(true);
    const tail = await as(`/files/${docId}/document`, { Range: "bytes=-16" });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${pdf.length - 16}-${pdf.length - 1}/${pdf.length}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(pdf.subarray(pdf.length - 16))).toBe(true);
    const past = await as(`/files/${docId}/document`, { Range: `bytes=${pdf.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${pdf.length}`);

    // The guard stays in front: the product is not public, so anonymous visitors get 404.
    expect((await fetch(`${app.baseUrl}/files/${docId}/document`, { headers: { Range: "bytes=0-3" } })).status).toBe(404);
    expect((await fetch(`${app.baseUrl}/files/${photoId}/640.webp`)).status).toBe(404);

    for (const mediaId of [photoId, docId]) {
      const del = new FormData();
      del.append("intent", "delete");
      del.append("confirm", "1");
      del.append("mediaId", mediaId);
      expect((await post(del)).status).toBe(302);
    }
    // Soft delete (snapshots may name a file): the owner no longer reads them.
    expect((await as(`/files/${docId}/document`)).status).toBe(404);
    expect((await as(`/files/${photoId}/640.webp`)).status).toBe(404);
    expect(localFiles(app.uploadsDir)).toEqual([]);
  });
});

describe("what an operator sees", () => {
  it("every answer has a request id; a well-formed one is kept, a malformed one replaced; log lines are JSON with it", async () => {
    const kept = await fetch(`${app.baseUrl}/healthz`, { headers: { "X-Request-Id": "probe-1234.abc" } });
    expect(kept.headers.get("x-request-id")).toBe("probe-1234.abc");
    const replaced = await fetch(`${app.baseUrl}/healthz`, { headers: { "X-Request-Id": "bad id\u00e9<script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 200));
    const lines = app.log().split("\n").filter((l) => l.includes("probe-1234.abc"));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(JSON.parse(l)).toMatchObject({ reqId: "probe-1234.abc", path: "/healthz", status: 200 });
    // The access line: its time in all, and the part spent waiting for a slot (none here).
    const access = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "request");
    expect(access).toMatchObject({ method: "GET", route: "/healthz", queuedMs: 0 });
    expect(access?.ms).toEqual(expect.any(Number));
  });

  it("/metrics answers loopback with latency by Remix route id, cache, queue, outbox and pool figures", async () => {
    await fetch(`${app.baseUrl}/files/${"x".repeat(16)}/640.webp`);
    const res = await fetch(`${app.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/cnnt_http_request_duration_seconds_count\{route="routes\/files\.\$mediaId\.\$file",method="GET",status="4xx"\}/);
    expect(text).not.toContain("xxxxxxxxxxxxxxxx");
    for (const name of ["cnnt_page_cache_hits_total", "cnnt_queue_depth{queue=\"outbox\"}", "cnnt_outbox_backlog{status=\"queued\"}", "cnnt_job_failed", "cnnt_db_pool_connections"]) {
      expect(text).toContain(name);
    }
  });

  it("refuses /metrics outside METRICS_ALLOW, and takes the client address as TRUST_PROXY says", async () => {
    const root = fs.mkdtempSync(path.join(app.uploadsDir, "..", "other-"));
    const other = await startApp({ uploadsDir: path.join(root, "uploads"), dataDir: path.join(root, "data"), env: { NODE_ENV: "test", METRICS_ALLOW: "10.0.0.0/8", TRUST_PROXY: "loopback" } });
    try {
      expect((await fetch(`${other.baseUrl}/metrics`)).status).toBe(404);
      // Behind a trusted proxy the forwarded client counts: 10.1.2.3 is allowed, loopback is not.
      expect((await fetch(`${other.baseUrl}/metrics`, { headers: { "X-Forwarded-For": "10.1.2.3" } })).status).toBe(200);
      expect((await fetch(`${other.baseUrl}/metrics`, { headers: { "X-Forwarded-For": "192.0.2.7" } })).status).toBe(404);
    } finally {
      await other.stop();
    }
    // The default (loopback) with a trusted proxy: a forwarded outside client is refused.
    expect((await fetch(`${app.baseUrl}/metrics`)).status).toBe(200);
  }, 180_000);
});
