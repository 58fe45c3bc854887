/**
 * Issue 17 item 5: every URL of every `srcset` (and `src`) on a public product page resolves, for
 * photos narrower than, as wide as and far wider than the largest variant. Variants are stored
 * under their nominal width (320, 640, 1280); a 960 px photo's largest is 960 px wide but stored as
 * `1280.webp`, which the URL must name. Real photos, through the real upload pipeline.
 */
import type { AddressInfo, Server } from "node:net";

import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { storePhoto } from "../../app/models/entry/media.server";
import { mediaUrl, srcSetFor } from "../../app/utils/media-urls";
import { createApp, loadBuild } from "../../server";
import { createTestFacility, createTestProduct } from "../factories/facility";
import { createTestUser } from "../factories/index";
import { createPublishedRound } from "../factories/published";

const WIDTHS = [500, 960, 1280, 4000];
const TYPES: Record<string, string> = { webp: "image/webp", avif: "image/avif", jpg: "image/jpeg" };

let server: Server;
let base: string;

beforeAll(async () => {
  const app = await createApp(await loadBuild());
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(() => {
  server?.close();
});

/** A photo-like JPEG (a gradient with noise) of the given width, 4:3. */
async function photoOf(width: number): Promise<Buffer> {
  const height = Math.round((width * 3) / 4);
  const noise = await sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: "gaussian", mean: 128, sigma: 40 } } }).raw().toBuffer();
  return sharp(noise, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

describe("photo URLs on the public product page", () => {
  it("name the stored variant, so every srcset and src URL answers 200 with the right type", async () => {
    const owner = await createTestUser();
    const facility = await createTestFacility(owner.id);
    const product = await createTestProduct(owner.id, facility.id, { name: "Chiếu cói Kim Sơn" });
    const photoIds: string[] = [];
    for (const width of WIDTHS) {
      const stored = await storePhoto({ actorId: owner.id, facilityId: facility.id, productId: product.id, bytes: await photoOf(width), fileName: `anh-${width}.jpg` });
      photoIds.push(stored.id);
      // What the page builds, for each format: no URL names an actual width that is not stored.
      for (const format of ["webp", "avif", "jpeg"]) {
        const set = srcSetFor(stored.id, stored.variants ?? [], format);
        expect(set, `${width} ${format}`).not.toMatch(/\/(500|960)\./);
        const widths = set.split(", ").map((c) => c.split(" ")[1]);
        expect(new Set(widths).size, set).toBe(widths.length);
      }
      const widest = (stored.variants ?? []).find((v) => v.key === "1280.webp")!;
      expect(mediaUrl(stored.id, widest)).toBe(`/files/${stored.id}/1280.webp`);
      expect(widest.width).toBe(Math.min(width, 1280));
    }
    await createPublishedRound({ products: [], existing: [{ productId: product.id, photoIds }] });

    const page = await fetch(`${base}/products/${product.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const urls = new Set<string>();
    for (const m of html.matchAll(/\bsrcSet="([^"]+)"|\bsrcset="([^"]+)"/g)) {
      for (const candidate of (m[1] ?? m[2]).split(",")) urls.add(candidate.trim().split(/\s+/)[0].replace(/&amp;/g, "&"));
    }
    for (const m of html.matchAll(/<img[^>]*\bsrc="(\/files\/[^"]+)"/g)) urls.add(m[1]);
    const forPhotos = [...urls].filter((u) => photoIds.some((id) => u.includes(id)));
    // Every photo at least 960 px wide offers its 1280 variant, in each format (the 960 one used to 404).
    for (const id of photoIds.slice(1)) for (const ext of ["webp", "avif"]) expect(forPhotos).toContain(`/files/${id}/1280.${ext}`);
    for (const ext of ["webp", "avif"]) expect(forPhotos).toContain(`/files/${photoIds[0]}/640.${ext}`);
    expect(forPhotos.length).toBeGreaterThanOrEqual(WIDTHS.length * 4);
    for (const url of forPhotos) {
      const res = await fetch(`${base}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-type"), url).toBe(TYPES[url.split(".").pop()!]);
      await res.arrayBuffer();
    }
  }, 120_000);
});
