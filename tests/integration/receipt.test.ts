import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { saveEntryDraft, submitEntry } from "../../app/models/entry/entry.server";
import * as pageRoute from "../../app/routes/facility.receipts.$entryId";
import * as pdfRoute from "../../app/routes/facility.receipts.$entryId_.bien-nhan[.pdf]";
import { canonicalJson } from "../../app/utils/canonical-json";
import { db } from "../../app/utils/db.server";
import { entries, facilityMembers } from "../../db/schema";
import { addCompleteMedia, createTestFacility, createTestProduct } from "../factories/facility";
import { call, createTestUser, jsonOf, requestAs } from "../factories/index";
import { createTestRound } from "../factories/round";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-receipt-"));
function pdfText(bytes: Uint8Array): string {
  const file = path.join(tmp, `${crypto.randomUUID()}.pdf`);
  fs.writeFileSync(file, bytes);
  return execFileSync("pdftotext", [file, "-"]).toString("utf-8").normalize("NFC");
}

const AT = new Date("2026-12-01T18:30:00Z");

async function submitted() {
  const round = await createTestRound({
    level: "district",
    provinceCode: "ninh-binh",
    regionCode: null,
    registrationOpensAt: new Date("2026-11-01T00:00:00Z"),
    registrationClosesAt: new Date("2026-12-31T10:00:00Z"),
    scoringClosesAt: new Date("2027-01-31T10:00:00Z"),
  });
  const owner = await createTestUser();
  const { id: facilityId } = await createTestFacility(owner.id);
  const { id: productId } = await createTestProduct(owner.id, facilityId);
  await addCompleteMedia(owner.id, facilityId, productId);
  const { id } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId, now: AT });
  // 01:30 on 02/12/2026 in Hà Nội is 18:30 on 01/12 in UTC: the receipt must say the Vietnam day.
  const { code } = await submitEntry({ actorId: owner.id, entryId: id, now: AT });
  const [entry] = await db().select().from(entries).where(eq(entries.id, id));
  return { owner, facilityId, entry, code };
}

describe("the receipt of a submitted dossier", () => {
  it("names the code, the time in Vietnam time, every field, photo and document, and the snapshot's SHA-256", async () => {
    const { owner, entry, code } = await submitted();
    const res = await call(pageRoute.loader, requestAs(owner, `/facility/receipts/${entry.id}`), { entryId: String(entry.id) });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const { receipt } = await jsonOf(res);
    expect(receipt.code).toBe(code);
    expect(receipt.submittedAt).toBe((entry.snapshot as { submittedAt: string }).submittedAt);
    expect(receipt.fields.find((f: { label: string }) => f.label === "Nguyên liệu chính").value).toBe("Mây, tre, giang");
    expect(receipt.photos).toHaveLength(3);
    expect(receipt.documents).toHaveLength(1);
    expect(receipt.documents[0]).toMatchObject({ name: "dang-ky-kinh-doanh.pdf", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const expected = crypto.createHash("sha256").update(canonicalJson(entry.snapshot)).digest("hex");
    expect(receipt.snapshotSha256).toBe(expected);

    const pdf = await call(pdfRoute.loader, requestAs(owner, `/facility/receipts/${entry.id}/bien-nhan.pdf`), { entryId: String(entry.id) });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    const text = pdfText(new Uint8Array(await pdf.arrayBuffer()));
    for (const s of ["GIẤY BIÊN NHẬN HỒ SƠ", `Mã số bình chọn: ${code}`, "(giờ Việt Nam)", "Mây, tre, giang", "camera-portrait.jpg", "dang-ky-kinh-doanh.pdf", expected]) {
      expect(text).toContain(s);
    }
    expect(text).toContain("01:30 ngày 02/12/2026");
  });

  it("canonical JSON does not depend on key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it("is for the facility's members only: anyone else gets 404, a draft has none, anonymous is sent to sign in", async () => {
    const { owner, facilityId, entry } = await submitted();
    const params = { entryId: String(entry.id) };
    const other = await createTestUser();
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const admin = await createTestUser({ roles: ["admin"] });
    for (const u of [other, organizer, admin]) {
      expect((await call(pageRoute.loader, requestAs(u, `/facility/receipts/${entry.id}`), params)).status).toBe(404);
      expect((await call(pdfRoute.loader, requestAs(u, `/facility/receipts/${entry.id}/bien-nhan.pdf`), params)).status).toBe(404);
    }
    expect((await call(pageRoute.loader, requestAs(null, `/facility/receipts/${entry.id}`), params)).status).toBe(302);
    expect((await call(pageRoute.loader, requestAs(owner, `/facility/receipts/abc`), { entryId: "abc" })).status).toBe(404);
    // A staff member of the facility may read it too.
    const staff = await createTestUser();
    await db().insert(facilityMembers).values({ facilityId, userId: staff.id, role: "staff" });
    expect((await call(pageRoute.loader, requestAs(staff, `/facility/receipts/${entry.id}`), params)).status).toBe(200);
    // A draft that was never submitted has no receipt.
    const round = await createTestRound({ level: "district", provinceCode: "ninh-binh", regionCode: null });
    const { id: p2 } = await createTestProduct(owner.id, facilityId, { name: "Sản phẩm chưa nộp" });
    const { id: draftId } = await saveEntryDraft({ actorId: owner.id, roundId: round.id, productId: p2 });
    expect((await call(pageRoute.loader, requestAs(owner, `/facility/receipts/${draftId}`), { entryId: String(draftId) })).status).toBe(404);
  });
});
