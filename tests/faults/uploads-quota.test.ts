/**
 * The uploads storage fills up (UPLOADS_QUOTA_MB): the owner gets a clear Vietnamese message, and
 * nothing is half-written — no media row, no file, no temporary folder for the refused upload.
 */
import path from "node:path";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type DatabaseHandle } from "../../app/utils/db.server";
import { media } from "../../db/schema";
import { createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { createTestUser } from "../factories/index";
import { acknowledgedByRedirect, type AppProcess, listFiles, mediaFolder, PHOTO_FILES, photoForm, PRODUCT_ROUTE_DATA, type FaultWorld, startFaultWorld, stopFaultWorld } from "./lib";

let scratch: FaultWorld["scratch"];
let app: AppProcess;
let handle: DatabaseHandle;
let tmp: string;
let uploadsDir: string;

beforeAll(async () => {
  ({ scratch, tmp, uploadsDir, app, handle } = await startFaultWorld("cnnt-fault-quota-", { UPLOADS_QUOTA_MB: "0.4" }));
});

afterAll(async () => {
  await stopFaultWorld({ app, handle, scratch, tmp });
});

const FULL = /Bộ nhớ lưu trữ tệp đã đầy/;

describe("uploads quota full", () => {
  it("refuses the upload with a Vietnamese message and writes nothing", async () => {
    const owner = await createTestUser({ roles: ["facility"] });
    const facility = await createTestFacility(owner.id);
    const product = await createTestProduct(owner.id, facility.id);
    const url = `${app.baseUrl}/facility/products/${product.id}?_data=${encodeURIComponent(PRODUCT_ROUTE_DATA)}`;
    const post = (body: FormData) => fetch(url, { method: "POST", headers: { Cookie: owner.cookie, Origin: app.baseUrl }, body });
    const photo = fixture("camera-landscape.jpg");

    let accepted = 0;
    let refusal: { status: number; json: { formError?: string; fields?: Record<string, string> } } | null = null;
    for (let i = 0; i < 11 && !refusal; i++) {
      const res = await post(photoForm(photo, `anh-${i}.jpg`));
      if (acknowledgedByRedirect(res)) accepted++;
      else refusal = { status: res.status, json: (await res.json()) as { formError?: string; fields?: Record<string, string> } };
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refusal, "the quota was never reached").not.toBeNull();
    expect(refusal!.status).toBe(400);
    expect(refusal!.json.formError).toMatch(FULL);
    expect(refusal!.json.fields?.photos).toMatch(FULL);

    const rowsAtRefusal = await handle.db.select({ id: media.id }).from(media).where(eq(media.productId, product.id));
    expect(rowsAtRefusal).toHaveLength(accepted);
    const filesAtRefusal = listFiles(uploadsDir);

    // A document is refused the same way (its own status: 507 Insufficient Storage).
    const doc = new FormData();
    doc.append("intent", "document");
    doc.append("docType", "business_registration");
    doc.append("document", new Blob([new Uint8Array(fixture("registration.pdf"))], { type: "application/pdf" }), "dang-ky.pdf");
    const docRes = await post(doc);
    expect(docRes.status).toBe(507);
    expect(((await docRes.json()) as { formError: string }).formError).toMatch(FULL);

    // The page itself says it to a person without JavaScript.
    const html = await (
      await fetch(`${app.baseUrl}/facility/products/${product.id}`, {
        method: "POST",
        headers: { Cookie: owner.cookie, Origin: app.baseUrl },
        body: photoForm(photo, "them.jpg"),
      })
    ).text();
    expect(html).toMatch(FULL);

    // Nothing half-written: the same rows, the same files, every row complete, no temporary folder.
    const rows = await handle.db.select({ id: media.id }).from(media).where(eq(media.productId, product.id));
    expect(rows.map((r) => r.id).sort()).toEqual(rowsAtRefusal.map((r) => r.id).sort());
    expect(listFiles(uploadsDir)).toEqual(filesAtRefusal);
    for (const r of rows) expect(listFiles(mediaFolder(uploadsDir, r.id))).toEqual(PHOTO_FILES);
    expect(listFiles(path.join(uploadsDir, "tmp"))).toEqual([]);
    console.log(
      `Uploads quota 0,4 MB: ${accepted} photos accepted, then refused (${refusal!.status}) with “${refusal!.json.formError}”`,
    );
  });
});
