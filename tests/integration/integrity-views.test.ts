/**
 * Issue 13, points 4–6: what was judged is what is certified; nothing leaks to owners before
 * publication; jurors read only the stripped files of what they judge, while they judge it.
 */
import crypto from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { verifyCertificateCode } from "../../app/models/certificate/verification.server";
import { mediaAccess } from "../../app/models/entry/media.server";
import { entryPage, facilityDashboard } from "../../app/models/entry/views.server";
import { getPublicProduct } from "../../app/models/public/catalogue.server";
import { finaliseRound, publishRound, recordDecision } from "../../app/models/results/results.server";
import { loader as certificateApi } from "../../app/routes/api.v1.certificates.$code";
import { db } from "../../app/utils/db.server";
import { certificates, entries, facilities, facilityMembers, media, products, rounds } from "../../db/schema";
import { createTestUser } from "../factories";
import { scoringRound, submitSheet } from "../factories/scoring";

async function photo(facilityId: number, productId: number) {
  const id = crypto.randomBytes(8).toString("hex");
  await db()
    .insert(media)
    .values({
      id,
      facilityId,
      productId,
      kind: "photo",
      mime: "image/jpeg",
      sizeBytes: 1000,
      sha256: crypto.randomBytes(32).toString("hex"),
      width: 1280,
      height: 960,
      originalName: "anh.jpg",
      storageKey: `${id}/original.jpg`,
      variants: [{ format: "webp", width: 640, height: 480, key: "640.webp", bytes: 1000 }],
    });
  return id;
}

/** A scored round (one entry, 2 jurors at 85), the entry's snapshot naming one photo; an owner. */
async function judged() {
  const ctx = await scoringRound({ entryCount: 1, jurorCount: 2 });
  const entry = ctx.entries[0];
  const [product] = await db().select().from(products).where(eq(products.id, entry.productId));
  const owner = await createTestUser({ roles: ["facility"] });
  await db().insert(facilityMembers).values({ facilityId: entry.facilityId, userId: owner.id, role: "owner" });
  const judgedPhoto = await photo(entry.facilityId, product.id);
  const snapshot = { ...(entry.snapshot as object), photos: [{ id: judgedPhoto, width: 1280, height: 960 }] };
  await db().update(entries).set({ snapshot }).where(eq(entries.id, entry.id));
  for (const juror of ctx.jurors) await submitSheet({ roundId: ctx.round.id, entryId: entry.id, jurorId: juror.id, total: 85 });
  const decide = async () => {
    await finaliseRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
    await recordDecision({ roundId: ctx.round.id, actorId: ctx.organizer.id, decisionNo: "77/QĐ-CNĐP", decisionDate: "2026-10-01", decisionSigner: "Ngô Quang Trung" });
  };
  const publish = () => publishRound({ roundId: ctx.round.id, actorId: ctx.organizer.id });
  return { ...ctx, entry, product, owner, judgedPhoto, decide, publish };
}

describe("what was judged is what is certified", () => {
  it("a rename of the product and the facility after finalisation never reaches the certificate, /verify, the API or the product page", async () => {
    const w = await judged();
    const [facility] = await db().select().from(facilities).where(eq(facilities.id, w.entry.facilityId));
    await w.decide();
    await db().update(products).set({ name: "Tên mới sau khi chốt" }).where(eq(products.id, w.product.id));
    await db().update(facilities).set({ name: "Cơ sở đổi tên", address: "Địa chỉ mới" }).where(eq(facilities.id, facility.id));
    await w.publish();
    const [cert] = await db().select().from(certificates).where(eq(certificates.entryId, w.entry.id));
    expect(cert.subjectName).toBe(w.product.name);
    expect(cert.subject).toMatchObject({ productName: w.product.name, facilityName: facility.name, provinceName: "Ninh Bình" });
    const verified = await verifyCertificateCode({ code: cert.code });
    expect(verified?.subject).toMatchObject({ name: w.product.name, facilityName: facility.name });
    const api = await certificateApi({ request: new Request(`http://localhost:3000/api/v1/certificates/${cert.code}`), params: { code: cert.code }, context: {} } as never);
    const body = JSON.stringify(await (api as Response).json());
    expect(body).toContain(w.product.name);
    expect(body).not.toContain("Tên mới sau khi chốt");
    expect(body).not.toContain("Cơ sở đổi tên");
    const page = await getPublicProduct(w.product.id);
    expect(page).toMatchObject({ name: w.product.name, facility: { name: facility.name } });
    expect(JSON.stringify(page)).not.toContain("Địa chỉ mới");
  });
});

describe("nothing leaks before it is decided", () => {
  it("the owner sees 'đang chấm' during deliberation, and the outcome, rank and mean only after publication", async () => {
    const w = await judged();
    await w.decide();
    const [row] = await db().select().from(entries).where(eq(entries.id, w.entry.id));
    expect(row.status).toBe("selected");
    const [round] = await db().select().from(rounds).where(eq(rounds.id, w.round.id));
    const before = await facilityDashboard({ userId: w.owner.id });
    const mine = before.products.flatMap((p) => p.entries).find((e) => e.id === w.entry.id)!;
    expect(mine).toMatchObject({ status: "judging", rank: null, meanScore: null });
    const page = await entryPage({ userId: w.owner.id, productId: w.product.id, slug: round.slug });
    expect(page.entry).toMatchObject({ status: "judging", rank: null, meanScore: null });
    await w.publish();
    const after = await facilityDashboard({ userId: w.owner.id });
    expect(after.products.flatMap((p) => p.entries).find((e) => e.id === w.entry.id)).toMatchObject({ status: "selected", rank: 1 });
  });
});

describe("jurors read only what they judge", () => {
  it("stripped variants of the judged snapshot while judging; never an original, a later file, or after publication beyond the public", async () => {
    const w = await judged();
    const juror = { id: w.jurors[0].id, roles: [{ role: "juror" }] } as never;
    const read = (mediaId: string, file: "variant" | "original") =>
      mediaAccess({ mediaId, file, user: juror }).then(
        () => 200,
        (e: { status?: number }) => e.status ?? 500,
      );
    const later = await photo(w.entry.facilityId, w.product.id);
    expect(await read(w.judgedPhoto, "variant")).toBe(200);
    expect(await read(w.judgedPhoto, "original")).toBe(404);
    expect(await read(later, "variant")).toBe(404);
    await w.decide();
    await w.publish();
    // After publication: the published snapshot's variants (public), nothing else.
    expect(await read(w.judgedPhoto, "variant")).toBe(200);
    expect(await read(w.judgedPhoto, "original")).toBe(404);
    const newer = await photo(w.entry.facilityId, w.product.id);
    expect(await read(newer, "variant")).toBe(404);
    expect(await read(later, "variant")).toBe(404);
  });
});
