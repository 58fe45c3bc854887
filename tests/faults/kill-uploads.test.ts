/**
 * SIGKILL of the server while owners upload photos, then a restart on the same database and
 * uploads folder: every acknowledged upload is there with all its files, no media row lacks a
 * file, and the start-up cleanup removes what the killed process left (temporary folders, stored
 * folders whose row never committed).
 */
import fs from "node:fs";
import path from "node:path";

import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type DatabaseHandle } from "../../app/utils/db.server";
import { media } from "../../db/schema";
import { createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { createTestUser } from "../factories/index";
import { acknowledgedByRedirect, age, type AppProcess, listFiles, mediaFolder, PHOTO_FILES, photoForm, PRODUCT_ROUTE_DATA, startApp, type FaultWorld, startFaultWorld, stopFaultWorld } from "./lib";

let scratch: FaultWorld["scratch"];
let app: AppProcess;
let handle: DatabaseHandle;
let tmp: string;
let uploadsDir: string;

beforeAll(async () => {
  ({ scratch, tmp, uploadsDir, app, handle } = await startFaultWorld("cnnt-fault-upload-"));
});

afterAll(async () => {
  await stopFaultWorld({ app, handle, scratch, tmp });
});

describe("SIGKILL during uploads", () => {
  it("leaves no row without its files and no stray file after the start-up cleanup", async () => {
    const owner = await createTestUser({ roles: ["facility"] });
    const facility = await createTestFacility(owner.id);
    const products: number[] = [];
    for (let i = 0; i < 8; i++)
      products.push((await createTestProduct(owner.id, facility.id, { name: `Sản phẩm tải ảnh ${i + 1}` })).id);
    const photos = ["camera-landscape.jpg", "camera-portrait.jpg", "camera-3.jpg", "phone.png"].map((name) => ({
      name,
      bytes: fixture(name),
    }));

    const acknowledged = new Map<number, number>();
    let sent = 0;
    let killed = false;
    const uploader = async (w: number) => {
      for (let n = 0; !killed; n++) {
        const productId = products[w];
        const photo = photos[n % photos.length];
        sent++;
        try {
          const res = await fetch(
            `${app.baseUrl}/facility/products/${productId}?_data=${encodeURIComponent(PRODUCT_ROUTE_DATA)}`,
            {
              method: "POST",
              headers: { Cookie: owner.cookie, Origin: app.baseUrl },
              body: photoForm(photo.bytes, photo.name, photo.name.endsWith(".png") ? "image/png" : "image/jpeg"),
            },
          );
          if (acknowledgedByRedirect(res)) acknowledged.set(productId, (acknowledged.get(productId) ?? 0) + 1);
          // 12 photos is a product's maximum: stop there.
          if (res.status === 400) return;
        } catch {
          // the server died under this request: not acknowledged
        }
      }
    };
    const workers = products.map((_, w) => uploader(w));
    // Kill once some uploads were acknowledged and others are in flight.
    const deadline = Date.now() + 20_000;
    while ([...acknowledged.values()].reduce((a, b) => a + b, 0) < 6 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 120));
    killed = true;
    await app.kill();
    await Promise.all(workers);
    const acked = [...acknowledged.values()].reduce((a, b) => a + b, 0);
    expect(acked).toBeGreaterThan(0);

    // What a killed process may leave, planted for certain: a stored folder whose row never
    // committed and a half-written temporary folder.
    const strayId = "strayFolder00001";
    fs.mkdirSync(mediaFolder(uploadsDir, strayId), { recursive: true });
    fs.writeFileSync(path.join(mediaFolder(uploadsDir, strayId), "original"), "x");
    fs.mkdirSync(path.join(uploadsDir, "tmp", "halfWritten00001"), { recursive: true });
    fs.writeFileSync(path.join(uploadsDir, "tmp", "halfWritten00001", "640.webp"), "x");
    const leftBeforeRestart = listFiles(uploadsDir);
    // The cleanup leaves young files alone (another server's upload may still be running): age them.
    age(uploadsDir, 10 * 60 * 1000);

    app = await startApp({ databaseUrl: scratch.url, uploadsDir, port: app.port });
    expect(app.log()).toMatch(/Đã dọn \d+ tệp/);

    const rows = await handle.db
      .select({ id: media.id, productId: media.productId })
      .from(media)
      .where(inArray(media.productId, products));
    // No acknowledged upload lost.
    for (const productId of products) {
      expect(rows.filter((r) => r.productId === productId).length).toBeGreaterThanOrEqual(acknowledged.get(productId) ?? 0);
    }
    // Every row has all its files; every stored folder has its row; nothing temporary is left.
    for (const r of rows) expect(listFiles(mediaFolder(uploadsDir, r.id)), r.id).toEqual(PHOTO_FILES);
    const folders = listFiles(path.join(uploadsDir, "media")).map((f) => f.split(path.sep)[1]);
    expect(new Set(folders)).toEqual(new Set(rows.map((r) => r.id)));
    expect(fs.existsSync(mediaFolder(uploadsDir, strayId))).toBe(false);
    expect(listFiles(path.join(uploadsDir, "tmp"))).toEqual([]);
    console.log(
      `SIGKILL during uploads: ${sent} sent, ${acked} acknowledged, ${rows.length} stored, ${leftBeforeRestart.length} files on disk at the kill, ${listFiles(uploadsDir).length} after the cleanup`,
    );

    // The restarted server takes uploads again.
    const res = await fetch(`${app.baseUrl}/facility/products/${products[0]}?_data=${encodeURIComponent(PRODUCT_ROUTE_DATA)}`, {
      method: "POST",
      headers: { Cookie: owner.cookie, Origin: app.baseUrl },
      body: photoForm(photos[0].bytes, photos[0].name),
    });
    expect(acknowledgedByRedirect(res), `status ${res.status}`).toBe(true);
    const after = await handle.db.select({ id: media.id }).from(media).where(eq(media.productId, products[0]));
    expect(after.length).toBe(rows.filter((r) => r.productId === products[0]).length + 1);
  });
});
