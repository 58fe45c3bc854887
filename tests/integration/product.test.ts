import fs from "node:fs";
import path from "node:path";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { createProduct, updateProduct } from "../../app/models/facility/product.server";
import * as productRoute from "../../app/routes/facility.products.$productId";
import { db } from "../../app/utils/db.server";
import { env } from "../../app/utils/env.server";
import { media, products } from "../../db/schema";
import { createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { BASE, call, createTestUser, jsonOf, requestAs, toastOf } from "../factories/index";

function storedFiles() {
  const dir = path.join(env().uploadsDir);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
}

async function setup() {
  const owner = await createTestUser();
  const { id: facilityId } = await createTestFacility(owner.id);
  const { id: productId } = await createTestProduct(owner.id, facilityId);
  return { owner, facilityId, productId, params: { productId: String(productId) } };
}

const file = (name: string, type = "application/octet-stream") => new File([new Uint8Array(fixture(name))], name, { type });

describe("products", () => {
  it("creates and edits a product; other facilities cannot (404)", async () => {
    const { owner, facilityId, productId } = await setup();
    await updateProduct({ actorId: owner.id, productId, name: "Khay mây", groupNo: 1, description: "Mới" });
    const [row] = await db().select().from(products).where(eq(products.id, productId));
    expect(row.name).toBe("Khay mây");
    const other = await createTestUser();
    await expect(updateProduct({ actorId: other.id, productId, name: "x", groupNo: 1, description: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(createProduct({ actorId: other.id, facilityId, name: "x", groupNo: 1, description: "x" })).rejects.toMatchObject({ status: 404 });
  });

  it("refuses empty and over-long names and a group outside 1–4", async () => {
    const { owner, facilityId } = await setup();
    const error = await createProduct({ actorId: owner.id, facilityId, name: "x".repeat(201), groupNo: 5, description: "" }).catch((e) => e);
    expect(error.fields).toEqual({
      name: "Tên sản phẩm dài quá 200 ký tự.",
      groupNo: "Vui lòng chọn nhóm sản phẩm (1–4).",
      description: "Vui lòng nhập mô tả sản phẩm.",
    });
  });
});

describe("product route uploads", () => {
  it("refuses anonymous (302), other roles (403), other facilities (404)", async () => {
    const { params } = await setup();
    expect((await call(productRoute.loader, requestAs(null, "/x"), params)).status).toBe(302);
    const organizer = await createTestUser({ roles: ["organizer"] });
    expect((await call(productRoute.loader, requestAs(organizer, "/x"), params)).status).toBe(403);
    expect((await call(productRoute.action, requestAs(organizer, "/x", { form: { intent: "photos" } }), params)).status).toBe(403);
    const other = await createTestUser();
    expect((await call(productRoute.loader, requestAs(other, "/x"), params)).status).toBe(404);
    expect((await call(productRoute.action, requestAs(other, "/x", { form: { intent: "photos", photos: file("camera-3.jpg", "image/jpeg") } }), params)).status).toBe(404);
    expect(storedFiles()).toEqual([]);
  });

  it("uploads several photos at once and a PDF; each bad file gets its own message", async () => {
    const { owner, params, productId } = await setup();
    const form = new FormData();
    form.append("intent", "photos");
    form.append("photos", file("camera-portrait.jpg", "image/jpeg"));
    form.append("photos", file("not-an-image.jpg", "image/jpeg"));
    form.append("photos", file("camera-landscape.jpg", "image/jpeg"));
    const res = await call(productRoute.action, requestAs(owner, "/x", { body: form }), params);
    const toast = await toastOf(res);
    expect(toast).toMatchObject({ kind: "error", message: "Đã lưu 2 ảnh." });
    expect(toast.details?.[0]).toContain("“not-an-image.jpg” không phải là ảnh");

    const svg = await call(productRoute.action, requestAs(owner, "/x", { form: { intent: "photos", photos: file("drawing.svg", "image/svg+xml") } }), params);
    expect(svg.status).toBe(400);
    expect((await jsonOf(svg)).formError).toContain("Không nhận ảnh SVG");

    const fake = await call(productRoute.action, requestAs(owner, "/x", { form: { intent: "document", docType: "business_registration", document: file("fake.pdf", "application/pdf") } }), params);
    expect(fake.status).toBe(400);
    expect((await jsonOf(fake)).fields.document).toContain("không phải là PDF thật");
    const pdf = await call(productRoute.action, requestAs(owner, "/x", { form: { intent: "document", docType: "business_registration", document: file("registration.pdf", "application/pdf") } }), params);
    expect((await toastOf(pdf)).message).toBe("Đã lưu tài liệu.");
    const rows = await db().select().from(media).where(eq(media.productId, productId));
    expect(rows.map((r) => r.kind).sort()).toEqual(["document", "photo", "photo"]);
  });

  it("a body that breaks off mid-upload stores nothing and says so", async () => {
    const { owner, params, productId } = await setup();
    const before = storedFiles().length;
    const boundary = "----cnnt-test";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nphotos\r\n--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
        controller.enqueue(new Uint8Array(fixture("camera-3.jpg").subarray(0, 5000)));
        controller.error(new Error("ECONNRESET"));
      },
    });
    const request = new Request(new URL("/x", BASE), {
      method: "POST",
      headers: { Cookie: owner.cookie, Origin: BASE, "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await call(productRoute.action, request, params);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).formError).toContain("Tải lên bị gián đoạn");
    expect(await db().select().from(media).where(eq(media.productId, productId))).toHaveLength(0);
    expect(storedFiles()).toHaveLength(before);
  });

  it("refuses a request body over 100 MB before reading it", async () => {
    const { owner, params } = await setup();
    const req = requestAs(owner, "/x", { form: { intent: "photos" }, headers: { "Content-Length": String(150 * 1024 * 1024) } });
    const res = await call(productRoute.action, req, params);
    expect(res.status).toBe(413);
    expect((await jsonOf(res)).formError).toContain("quá lớn (150,0 MB)");
  });
});
