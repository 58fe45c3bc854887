import fs from "node:fs";
import path from "node:path";

import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";

import { attachExistingPhoto, deleteMedia, storeDocument, storePhoto, sweepStrayUploads, uploadFaults } from "../../app/models/entry/media.server";
import { db } from "../../app/utils/db.server";
import { env } from "../../app/utils/env.server";
import { mediaDir } from "../../app/utils/uploads.server";
import { media } from "../../db/schema";
import { createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { createTestUser } from "../factories/index";

async function setup() {
  const owner = await createTestUser();
  const { id: facilityId } = await createTestFacility(owner.id);
  const { id: productId } = await createTestProduct(owner.id, facilityId);
  return { owner, facilityId, productId };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

/** Nothing left behind: no row and no file for the product. */
async function expectNothingStored(productId: number) {
  expect(await db().select().from(media).where(eq(media.productId, productId))).toHaveLength(0);
  expect(filesUnder(path.join(env().uploadsDir, "media"))).toEqual([]);
  expect(filesUnder(path.join(env().uploadsDir, "tmp"))).toEqual([]);
}

afterEach(() => {
  delete uploadFaults.beforeCommit;
  fs.rmSync(path.join(env().uploadsDir, "media"), { recursive: true, force: true });
});

describe("photos", () => {

  it("auto-rotates by EXIF, strips all metadata incl. GPS, writes WebP/AVIF/JPEG at 320/640/1280 and keeps the original privately", async () => {
    const { owner, facilityId, productId } = await setup();
    const original = fixture("camera-portrait.jpg");
    const before = await sharp(original).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // GPS IFD pointer present in the fixture

    const row = await storePhoto({ actorId: owner.id, facilityId, productId, bytes: original, fileName: "IMG_2041.jpg" });
    expect(row.mime).toBe("image/jpeg");
    expect([row.width, row.height]).toEqual([1200, 1600]); // displayed (portrait) size
    expect(row.originalName).toBe("IMG_2041.jpg");
    expect(row.storageKey).not.toContain("IMG");
    const keys = row.variants.map((v) => v.key).sort();
    expect(keys).toEqual(["1280.avif", "1280.jpg", "1280.webp", "320.avif", "320.jpg", "320.webp", "640.avif", "640.jpg", "640.webp"].sort());

    for (const v of row.variants) {
      const bytes = fs.readFileSync(path.join(mediaDir(row.id), v.key));
      const meta = await sharp(bytes).metadata();
      expect(meta.exif, v.key).toBeUndefined();
      expect(meta.xmp, v.key).toBeUndefined();
      expect(meta.orientation ?? 1, v.key).toBe(1);
      expect(meta.height!, v.key).toBeGreaterThan(meta.width!); // portrait after rotation
      expect(bytes.includes(Buffer.from("samsung")), v.key).toBe(false);
    }
    // The red marker was top-left of the stored pixels: after a 90° turn it is top-right.
    const jpg = sharp(fs.readFileSync(path.join(mediaDir(row.id), "640.jpg")));
    const { data, info } = await jpg.raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    const [r, g, b] = px(info.width - 10, 10);
    expect(r).toBeGreaterThan(200);
    expect(g + b).toBeLessThan(120);

    const stored = fs.readFileSync(path.join(mediaDir(row.id), "original"));
    expect(stored.equals(original)).toBe(true);
  });

  it("accepts PNG and keeps small photos at their own width without enlarging", async () => {
    const { owner, facilityId, productId } = await setup();
    const small = await sharp({ create: { width: 500, height: 400, channels: 3, background: "#336699" } }).webp().toBuffer();
    const row = await storePhoto({ actorId: owner.id, facilityId, productId, bytes: small, fileName: "nho.webp" });
    expect(Math.max(...row.variants.map((v) => v.width))).toBe(500);
    expect(row.variants.find((v) => v.key === "1280.webp")?.width).toBe(500);
    expect(row.variants.find((v) => v.key === "320.webp")?.width).toBe(320);
    const png = await storePhoto({ actorId: owner.id, facilityId, productId, bytes: fixture("phone.png"), fileName: "phone.png" });
    expect(png.mime).toBe("image/png");
    const avifBytes = await sharp({ create: { width: 700, height: 500, channels: 3, background: "#aa6633" } }).avif().toBuffer();
    const avif = await storePhoto({ actorId: owner.id, facilityId, productId, bytes: avifBytes, fileName: "iphone.avif" });
    expect(avif.mime).toBe("image/avif");
    expect(avif.variants).toHaveLength(9);
  });

  const bad: [string, () => Buffer, string, RegExp][] = [
    ["a text file renamed .jpg", () => fixture("not-an-image.jpg"), "anh.jpg", /không phải là ảnh/],
    ["a PNG declaring 50000×50000 pixels", () => fixture("bomb.png"), "bom.png", /50\.000×50\.000 điểm ảnh, vượt giới hạn 60 megapixel/],
    ["a truncated JPEG", () => fixture("truncated.jpg"), "cut.jpg", /bị hỏng hoặc chưa tải lên hết/],
    ["a 40 MB photo", () => Buffer.concat([fixture("camera-landscape.jpg"), Buffer.alloc(40 * 1024 * 1024)]), "lon.jpg", /Ảnh phải nhỏ hơn 15,0 MB \(ảnh “lon\.jpg” của bạn 40,0 MB\)/],
    ["an SVG", () => fixture("drawing.svg"), "ve.svg", /Không nhận ảnh SVG/],
    ["an empty file", () => Buffer.alloc(0), "rong.jpg", /trống \(0 byte\)/],
    [
      "a HEIC the server cannot decode",
      () => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from("ftypheic\0\0\0\0mif1heic", "latin1"), Buffer.alloc(2000, 7)]),
      "IMG_1234.HEIC",
      /chưa (đọc|giải mã) được ảnh HEIC “IMG_1234.HEIC”/,
    ],
  ];
  for (const [what, bytes, name, message] of bad) {
    it(`refuses ${what} with a specific message and leaves nothing behind`, async () => {
      const { owner, facilityId, productId } = await setup();
      await expect(storePhoto({ actorId: owner.id, facilityId, productId, bytes: bytes(), fileName: name })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) });
      await expectNothingStored(productId);
    });
  }

  it("stores a file name with ../ only as text, and random file names on disk", async () => {
    const { owner, facilityId, productId } = await setup();
    const row = await storePhoto({ actorId: owner.id, facilityId, productId, bytes: fixture("camera-3.jpg"), fileName: "../../etc/passwd.jpg" });
    expect(row.originalName).toBe("passwd.jpg");
    expect(filesUnder(env().uploadsDir).every((f) => f.startsWith(mediaDir(row.id)))).toBe(true);
    expect(fs.existsSync(path.resolve(env().uploadsDir, "../../etc/passwd.jpg"))).toBe(false);
  });

  it("a failure between writing the files and committing leaves no row and no file (network drop / crash)", async () => {
    const { owner, facilityId, productId } = await setup();
    uploadFaults.beforeCommit = () => {
      throw new Error("connection reset");
    };
    await expect(storePhoto({ actorId: owner.id, facilityId, productId, bytes: fixture("camera-3.jpg"), fileName: "a.jpg" })).rejects.toThrow("connection reset");
    await expectNothingStored(productId);
  });

  it("sweeps stray temporary folders and folders without a row", async () => {
    const root = env().uploadsDir;
    fs.mkdirSync(path.join(root, "tmp", "straytmp0001"), { recursive: true });
    fs.writeFileSync(path.join(root, "tmp", "straytmp0001", "original"), "x");
    fs.mkdirSync(path.join(root, "media", "or", "orphan000001"), { recursive: true });
    fs.writeFileSync(path.join(root, "media", "or", "orphan000001", "original"), "x");
    const removed = await sweepStrayUploads({ olderThanMs: -1000 });
    expect(removed.sort()).toEqual(["orphan000001", "straytmp0001"]);
    expect(filesUnder(root)).toEqual([]);
  });

  it("members of another facility cannot store into this product (404)", async () => {
    const { facilityId, productId } = await setup();
    const stranger = await createTestUser();
    await expect(storePhoto({ actorId: stranger.id, facilityId, productId, bytes: fixture("camera-3.jpg"), fileName: "a.jpg" })).rejects.toMatchObject({ status: 404 });
    await expectNothingStored(productId);
  });

  it("attachExistingPhoto reuses processed files under a new id (demo seeding)", async () => {
    const { owner, facilityId, productId } = await setup();
    const first = await storePhoto({ actorId: owner.id, facilityId, productId, bytes: fixture("camera-3.jpg"), fileName: "a.jpg" });
    const { id: other } = await createTestProduct(owner.id, facilityId, { name: "Lẵng hoa mây" });
    const copy = await attachExistingPhoto({ actorId: owner.id, facilityId, productId: other, fromMediaId: first.id });
    expect(copy.id).not.toBe(first.id);
    expect(copy.productId).toBe(other);
    expect(fs.existsSync(path.join(mediaDir(copy.id), "640.webp"))).toBe(true);
  });

  it("soft-deletes a photo (the row stays for snapshots)", async () => {
    const { owner, facilityId, productId } = await setup();
    const row = await storePhoto({ actorId: owner.id, facilityId, productId, bytes: fixture("camera-3.jpg"), fileName: "a.jpg" });
    const stranger = await createTestUser();
    await expect(deleteMedia({ actorId: stranger.id, mediaId: row.id })).rejects.toMatchObject({ status: 404 });
    await deleteMedia({ actorId: owner.id, mediaId: row.id });
    const [after] = await db().select().from(media).where(eq(media.id, row.id));
    expect(after.deletedAt).not.toBeNull();
  });
});

describe("documents", () => {
  it("stores a real PDF", async () => {
    const { owner, facilityId, productId } = await setup();
    const row = await storeDocument({ actorId: owner.id, facilityId, productId, bytes: fixture("registration.pdf"), fileName: "dkkd.pdf", docType: "business_registration" });
    expect(row.mime).toBe("application/pdf");
    expect(fs.readFileSync(path.join(mediaDir(row.id), "document")).equals(fixture("registration.pdf"))).toBe(true);
  });

  const bad: [string, () => Buffer, string, RegExp][] = [
    ["an HTML page named .pdf", () => fixture("fake.pdf"), "giay.pdf", /không phải là PDF thật \(nội dung là trang HTML\)/],
    ["a PDF over 20 MB", () => Buffer.concat([fixture("registration.pdf"), Buffer.alloc(21 * 1024 * 1024)]), "to.pdf", /Tài liệu phải nhỏ hơn 20,0 MB \(tệp “to\.pdf” của bạn 21,0 MB\)/],
    ["a truncated PDF", () => fixture("registration.pdf").subarray(0, 400), "cut.pdf", /bị cắt cụt/],
    ["an image", () => fixture("camera-3.jpg"), "anh.pdf", /không phải là PDF thật/],
  ];
  for (const [what, bytes, name, message] of bad) {
    it(`refuses ${what} and leaves nothing behind`, async () => {
      const { owner, facilityId, productId } = await setup();
      await expect(storeDocument({ actorId: owner.id, facilityId, productId, bytes: bytes(), fileName: name, docType: "business_registration" })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) });
      await expectNothingStored(productId);
    });
  }

  it("refuses an unknown document type", async () => {
    const { owner, facilityId, productId } = await setup();
    await expect(storeDocument({ actorId: owner.id, facilityId, productId, bytes: fixture("registration.pdf"), fileName: "a.pdf", docType: "<script>" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("EXIF orientation", () => {
  it("every orientation 1–8 comes out upright exactly like sharp's autoOrient", async () => {
    const { renderVariants } = await import("../../app/utils/uploads.server");
    const base = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#888888" } })
      .composite([
        { input: { create: { width: 60, height: 40, channels: 3, background: "#ff0000" } }, left: 0, top: 0 },
        { input: { create: { width: 40, height: 40, channels: 3, background: "#0000ff" } }, left: 260, top: 0 },
      ])
      .png()
      .toBuffer();
    for (let o = 1; o <= 8; o++) {
      const img = await sharp(base).withMetadata({ orientation: o }).jpeg({ quality: 95 }).toBuffer();
      const ref = await sharp(img).autoOrient().raw().toBuffer({ resolveWithObject: true });
      const out = (await renderVariants(img)).outputs.find((x) => x.format === "jpg" && x.nominal === 1280)!;
      const got = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
      expect([got.info.width, got.info.height], `orientation ${o}`).toEqual([ref.info.width, ref.info.height]);
      // Centroid of the red marker in the reference must be red in ours, and likewise for blue.
      for (const [channel, name] of [[0, "red"], [2, "blue"]] as const) {
        let sx = 0, sy = 0, n = 0;
        for (let y = 0; y < ref.info.height; y++) {
          for (let x = 0; x < ref.info.width; x++) {
            const i = (y * ref.info.width + x) * 3;
            if (ref.data[i + channel] > 200 && ref.data[i + 1] < 60 && ref.data[i + 2 - channel] < 60) {
              sx += x;
              sy += y;
              n++;
            }
          }
        }
        const cx = Math.round(sx / n), cy = Math.round(sy / n);
        const i = (cy * got.info.width + cx) * 3;
        expect(got.data[i + channel], `orientation ${o} ${name}`).toBeGreaterThan(200);
        expect(got.data[i + 1], `orientation ${o} ${name}`).toBeLessThan(60);
      }
    }
  });
});
