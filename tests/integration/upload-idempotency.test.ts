/**
 * Issue 17 item 6: each photo is its own request carrying a key the page made. A retry with the
 * same key (the first answer was lost with the connection) keeps the photo once; a body that ends
 * early (the connection dropped mid-photo, even cleanly at a chunk boundary) stores nothing; the
 * no-JS form (several photos in one request) still works.
 */
import fs from "node:fs";
import path from "node:path";

import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import * as productRoute from "../../app/routes/facility.products.$productId";
import { db } from "../../app/utils/db.server";
import { auditEvents, media } from "../../db/schema";
import { createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { BASE, call, createTestUser, jsonOf, requestAs } from "../factories/index";

async function setup() {
  const owner = await createTestUser();
  const { id: facilityId } = await createTestFacility(owner.id);
  const { id: productId } = await createTestProduct(owner.id, facilityId);
  return { owner, productId, params: { productId: String(productId) }, path: `/facility/products/${productId}` };
}

const photoFile = (name = "camera-3.jpg") => new File([new Uint8Array(fixture(name))], name, { type: "image/jpeg" });
const photosOf = (productId: number) => db().select().from(media).where(eq(media.productId, productId));

function storedFolders(): string[] {
  const root = path.join(process.env.UPLOADS_DIR!, "media");
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((shard) => fs.readdirSync(path.join(root, shard)));
}

describe("one photo per request, with the page's key", () => {
  it("a retry with the same key returns the photo already stored: one row, one audit event, one folder", async () => {
    const { owner, productId, params, path: url } = await setup();
    const send = () => call(productRoute.action, requestAs(owner, url, { form: { intent: "photo", uploadKey: "k-0123456789abcdef", photo: photoFile() } }), params);
    const first = await jsonOf(await send());
    const again = await jsonOf(await send());
    expect(first.ok).toBe(true);
    expect(again).toMatchObject({ ok: true, id: first.id });
    expect(await photosOf(productId)).toHaveLength(1);
    const audit = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "media.photo_add"), eq(auditEvents.entityId, String(productId))));
    expect(audit).toHaveLength(1);
    expect(storedFolders().filter((id) => id === first.id)).toHaveLength(1);

    // Another key is another photo.
    const other = await call(productRoute.action, requestAs(owner, url, { form: { intent: "photo", uploadKey: "k-fedcba9876543210", photo: photoFile("phone.png") } }), params);
    expect(other.status).toBe(200);
    expect(await photosOf(productId)).toHaveLength(2);
  });

  it("retries racing each other still keep one photo", async () => {
    const { owner, productId, params, path: url } = await setup();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => call(productRoute.action, requestAs(owner, url, { form: { intent: "photo", uploadKey: "race-key-000000001", photo: photoFile() } }), params)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const rows = await photosOf(productId);
    expect(rows).toHaveLength(1);
    expect(new Set(await Promise.all(answers.map(async (a) => (await jsonOf(a)).id)))).toEqual(new Set([rows[0].id]));
  });

  it("a body that ends early, even at a clean chunk boundary, stores nothing; the retry stores the whole photo", async () => {
    const { owner, productId, params, path: url } = await setup();
    const boundary = "----cnnt-cut";
    const bytes = fixture("camera-3.jpg");
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nphoto\r\n--${boundary}\r\nContent-Disposition: form-data; name="uploadKey"\r\n\r\ncut-key-0000000001\r\n--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="camera-3.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const before = storedFolders().length;
    for (const cut of [bytes.length >> 1, bytes.length]) {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(head));
          controller.enqueue(new Uint8Array(bytes.subarray(0, cut)));
          controller.close(); // the connection closed: no closing boundary ever came
        },
      });
      const request = new Request(new URL(url, BASE), {
        method: "POST",
        headers: { Cookie: owner.cookie, Origin: BASE, "Content-Type": `multipart/form-data; boundary=${boundary}` },
        body: stream,
        duplex: "half",
      } as RequestInit);
      const res = await call(productRoute.action, request, params);
      expect(res.status, `cut at ${cut}`).toBe(400);
      expect((await jsonOf(res)).formError).toContain("Tải lên bị gián đoạn");
      expect(await photosOf(productId)).toHaveLength(0);
      expect(storedFolders()).toHaveLength(before);
    }
    const retry = await call(productRoute.action, requestAs(owner, url, { form: { intent: "photo", uploadKey: "cut-key-0000000001", photo: photoFile() } }), params);
    expect(retry.status).toBe(200);
    const [row] = await photosOf(productId);
    expect(row.sizeBytes).toBe(bytes.length);
  });

  it("refuses a key the page would not make", async () => {
    const { owner, productId, params, path: url } = await setup();
    const res = await call(productRoute.action, requestAs(owner, url, { form: { intent: "photo", uploadKey: "../../x", photo: photoFile() } }), params);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).formError).toContain("Mã tải lên không hợp lệ");
    expect(await photosOf(productId)).toHaveLength(0);
  });

  it("the no-JS form still sends several photos in one request", async () => {
    const { owner, productId, params, path: url } = await setup();
    const res = await call(productRoute.action, requestAs(owner, url, { form: { intent: "photos", photos: photoFile() } }), params);
    expect(res.status).toBeLessThan(400);
    expect(await photosOf(productId)).toHaveLength(1);
  });
});
