/**
 * A published round with recognised products, inserted directly (the round lifecycle is another
 * model's business): facilities, products, photos, entries with snapshots and final figures,
 * certificates — then the round is finalised, in the order the finalisation lock allows.
 */
import crypto from "node:crypto";

import { eq, inArray, sql } from "drizzle-orm";

import { createProductCertificates } from "../../app/models/certificate/certificate.server";
import { canonicalFinalTable } from "../../app/models/results/results.server";
import { type Database, db } from "../../app/utils/db.server";
import { sha256 } from "../../app/utils/hash.server";
import { commitFolder, copyFolder, newMediaId, preparePhoto, type ProcessedPhoto } from "../../app/utils/uploads.server";
import { certificates, entries, facilities, media, products, provinces, rounds } from "../../db/schema";
import { fixture } from "./facility";

export interface ProductSpec {
  name: string;
  facility: string;
  /** 2016-era province name. */
  province: string;
  groupNo?: number;
  meanScore?: number;
  status?: "selected" | "not_selected" | "ineligible" | "eligible" | "submitted";
  description?: string;
  photos?: number;
}

let seq = 0;

let processed: Promise<ProcessedPhoto & { id: string }> | undefined;
/** A fixture photo through the real pipeline (sniff, decode, variants), stored once per test file. */
function processedPhoto() {
  processed ??= (async () => {
    const id = newMediaId();
    const photo = await preparePhoto(id, fixture("camera-landscape.jpg"), "anh.jpg");
    await commitFolder(id);
    return { ...photo, id };
  })();
  return processed;
}

async function provinceByName(name: string, tx: Database) {
  const [p] = await tx.select().from(provinces).where(eq(provinces.name, name));
  if (!p) throw new Error(`unknown province ${name}`);
  return p;
}

/** Inserts a round (published unless told otherwise) with the given products; returns ids and codes. */
export async function createPublishedRound(
  options: {
    slug?: string;
    title?: string;
    year?: number;
    level?: "district" | "province" | "region" | "national";
    regionCode?: string;
    status?: "published" | "deliberation" | "scoring";
    decisionDate?: string;
    products?: ProductSpec[];
    /** Reuse existing products (by id) as entries of this round, e.g. for a product's history. */
    existing?: { productId: number; meanScore?: number; photoIds?: string[] }[];
    certificates?: boolean;
  } = {},
  tx: Database = db(),
) {
  seq++;
  const year = options.year ?? 2016;
  const decisionDate = options.decisionDate ?? `${year}-10-07`;
  const slug = options.slug ?? `${year}-vong-thu-${seq}-${crypto.randomBytes(3).toString("hex")}`;
  const status = options.status ?? "published";
  const [round] = await tx
    .insert(rounds)
    .values({
      slug,
      title: options.title ?? `Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Bắc năm ${year}`,
      level: options.level ?? "region",
      regionCode: options.regionCode ?? "BAC",
      year,
      registrationOpensAt: new Date(`${year}-05-01T00:00:00+07:00`),
      registrationClosesAt: new Date(`${year}-07-31T17:00:00+07:00`),
      scoringClosesAt: new Date(`${year}-09-30T17:00:00+07:00`),
      authority: "Cục Công nghiệp địa phương",
      status,
      decisionNo: `${100 + seq}/QĐ-CTĐP`,
      decisionDate,
      decisionSigner: "Ngô Quang Trung",
      publishedAt: status === "published" ? new Date(`${decisionDate}T09:00:00+07:00`) : null,
      publicVersion: status === "published" ? 1 : 0,
    })
    .returning();

  const specs = options.products ?? [];
  const created: { productId: number; entryId: number; facilityId: number; name: string; status: string; photoIds: string[] }[] = [];
  let rank = 0;
  const sorted = [...specs].map((s, i) => ({ s, i })).sort((a, b) => (b.s.meanScore ?? 80) - (a.s.meanScore ?? 80));
  const rankOf = new Map<number, number>();
  for (const { s, i } of sorted) if ((s.status ?? "selected") === "selected") rankOf.set(i, ++rank);

  for (const [i, spec] of specs.entries()) {
    const province = await provinceByName(spec.province, tx);
    const [facility] = await tx
      .insert(facilities)
      .values({
        name: spec.facility,
        legalForm: "htx",
        registrationNo: `REG-${seq}-${i}-${crypto.randomBytes(4).toString("hex")}`,
        provinceCode: province.currentCode,
        legacyProvinceCode: province.code,
        address: "Thôn Đông",
        representative: "Nguyễn Văn Đại Diện",
      })
      .returning();
    const [product] = await tx
      .insert(products)
      .values({ facilityId: facility.id, name: spec.name, groupNo: spec.groupNo ?? 2, description: "Mô tả đang sửa (chưa nộp)" })
      .returning();
    const photoIds: string[] = [];
    const photo = await processedPhoto();
    for (let k = 0; k < (spec.photos ?? 1); k++) {
      // The files and variants the real pipeline made (one photo processed per test file, copied).
      const id = newMediaId();
      await copyFolder(photo.id, id);
      await tx.insert(media).values({
        id,
        facilityId: facility.id,
        productId: product.id,
        kind: "photo",
        mime: photo.mime,
        sizeBytes: photo.sizeBytes,
        sha256: photo.sha256,
        width: photo.width,
        height: photo.height,
        originalName: `anh-${k}.jpg`,
        storageKey: id,
        variants: photo.variants,
      });
      photoIds.push(id);
    }
    const entryStatus = spec.status ?? "selected";
    const [entry] = await tx
      .insert(entries)
      .values({
        roundId: round.id,
        productId: product.id,
        facilityId: facility.id,
        code: `E${seq}-${String(i + 1).padStart(3, "0")}`,
        status: entryStatus,
        groupNo: spec.groupNo ?? 2,
        // The shape entry.server.ts records at submission.
        snapshot: {
          product: { id: product.id, name: spec.name, groupNo: spec.groupNo ?? 2, description: spec.description ?? `Mô tả đã nộp của ${spec.name}` },
          dossier: { story: `Câu chuyện của ${spec.name}`, markets: "Toàn quốc", annualRevenue: "850" },
          photos: photoIds.map((id) => ({ id, width: photo.width, height: photo.height, variants: photo.variants, originalName: "anh.jpg" })),
        },
        submittedAt: new Date(`${year}-07-01T10:00:00+07:00`),
        meanScore: String(spec.meanScore ?? 80),
        rank: rankOf.get(i) ?? null,
      })
      .returning();
    created.push({ productId: product.id, entryId: entry.id, facilityId: facility.id, name: spec.name, status: entryStatus, photoIds });
  }

  for (const [k, ex] of (options.existing ?? []).entries()) {
    const [p] = await tx.select().from(products).where(eq(products.id, ex.productId));
    const [entry] = await tx
      .insert(entries)
      .values({
        roundId: round.id,
        productId: p.id,
        facilityId: p.facilityId,
        code: `X${seq}-${k}`,
        status: "selected",
        groupNo: p.groupNo,
        snapshot: { product: { id: p.id, name: p.name, description: `Mô tả năm ${year}` }, photos: (ex.photoIds ?? []).map((id) => ({ id })) },
        submittedAt: new Date(`${year}-07-01T10:00:00+07:00`),
        meanScore: String(ex.meanScore ?? 85),
        rank: ++rank,
      })
      .returning();
    created.push({ productId: p.id, entryId: entry.id, facilityId: p.facilityId, name: p.name, status: "selected", photoIds: ex.photoIds ?? [] });
  }

  if (options.certificates !== false && status === "published") await createProductCertificates({ roundId: round.id, actorId: null }, tx);
  // Finalised as results.server does it: with the hash of the final table (the database refuses a
  // finalisation without one).
  const finalHash = sha256(await canonicalFinalTable(round.id, tx));
  await tx.update(rounds).set({ finalisedAt: new Date(), finalHash }).where(eq(rounds.id, round.id));

  const certs = created.length
    ? await tx.select().from(certificates).where(inArray(certificates.entryId, created.map((c) => c.entryId)))
    : [];
  const certOf = new Map(certs.map((c) => [c.entryId, c]));
  return {
    round: { id: round.id, slug },
    products: created.map((c) => ({ ...c, certificate: certOf.get(c.entryId) ?? null })),
  };
}

/** Reopens a round through the database's only door (audited), as the round model does. */
export async function reopenRound(roundId: number, tx: Database = db()) {
  await tx.execute(sql`select cnnt_reopen_round(${roundId}, null, 'Mở lại đợt để kiểm thử', '{}'::integer[])`);
}

/** Revokes a certificate directly (the ministry model does it with its audit). */
export async function revokeCertificate(certificateId: number, reason = "Cơ sở vi phạm quy định về chất lượng sản phẩm", tx: Database = db()) {
  await tx.update(certificates).set({ revokedAt: new Date("2026-03-02T09:00:00+07:00"), revokedReason: reason }).where(eq(certificates.id, certificateId));
}

/** A standard set: "Nước mắm" etc. across provinces and groups, with one of each hidden status. */
export const SAMPLE_PRODUCTS: ProductSpec[] = [
  { name: "Nước mắm cốt nhĩ Cát Hải", facility: "HTX Chế biến hải sản Cát Hải", province: "Hải Phòng", groupNo: 2, meanScore: 91.5 },
  { name: "Gốm Bát Tràng men lam", facility: "Công ty TNHH Gốm sứ Bát Tràng", province: "Hà Nội", groupNo: 1, meanScore: 88 },
  { name: "Cà phê bột nguyên chất", facility: "Cơ sở cà phê Buôn Ma Thuột", province: "Đắk Lắk", groupNo: 2, meanScore: 84.25 },
  { name: "Đậu phụ Mơ", facility: "Hộ kinh doanh Đậu Mơ", province: "Ninh Bình", groupNo: 2, meanScore: 77 },
  { name: "Mây tre đan xuất khẩu", facility: "HTX Mây tre Phú Vinh", province: "Hà Nội", groupNo: 1, meanScore: 72.5 },
  { name: "Máy tuốt lúa mini", facility: "Xưởng cơ khí Đông Anh", province: "Bắc Ninh", groupNo: 3, meanScore: 71 },
  { name: "Rượu bí mật chưa đạt", facility: "Cơ sở rượu Không Đạt", province: "Ninh Bình", groupNo: 2, meanScore: 60, status: "not_selected" },
  { name: "Nước mắm không hợp lệ", facility: "Cơ sở bị loại", province: "Hải Phòng", groupNo: 2, meanScore: 0, status: "ineligible" },
];
