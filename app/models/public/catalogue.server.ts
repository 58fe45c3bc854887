/**
 * The public read model: published rounds, their recognised products, product pages. Only
 * entries with status "selected" in rounds with status "published" are ever read here, and a
 * product's description comes from the dossier snapshot of such an entry — never from the
 * product as edited later, nor from an unpublished or ineligible dossier. Filtering and paging of
 * winners in browse.ts, the statistics page in statistics.server.ts.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";

import {
  certificates,
  entries,
  facilities,
  media,
  productGroups,
  products,
  provinces,
  provinces2025,
  regions,
  rounds,
} from "../../../db/schema";
import { parseSnapshot } from "../../schemas/snapshot";
import { type Database, db } from "../../utils/db.server";
import { certificateStatus } from "../certificate/rules";
import { LEVEL_NAMES, LEVEL_ORDER } from "../round/rules";
import { provinceAsOf, recognitionDay } from "../shared/province-rules";

/** Dossier fields that describe the product to the public (figures such as revenue stay private). */
const PUBLIC_DOSSIER_FIELDS = [
  { name: "story", label: "Câu chuyện sản phẩm" },
  { name: "rawMaterials", label: "Nguyên liệu chính" },
  { name: "standards", label: "Tiêu chuẩn, chứng nhận" },
  { name: "markets", label: "Thị trường tiêu thụ" },
];


export interface PublicPhoto {
  id: string;
  alt: string;
  width: number | null;
  height: number | null;
  variants: { format: string; width: number; height: number; key?: string }[];
}

/** Text at the first present path ("product.name") of a dossier snapshot. */
export function snapshotText(snapshot: unknown, paths: string[]): string | null {
  for (const path of paths) {
    let value: unknown = snapshot;
    for (const key of path.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value === "string" && value.trim()) return value.trim();
  }
  return null;
}

/** Where the entry model's snapshot keeps the product name and description (older shapes after). */
export const SNAPSHOT_NAME = ["product.name", "productName", "name"];
export const SNAPSHOT_DESCRIPTION = ["product.description", "description"];

/** Media ids a snapshot names as its photos (the dossier keeps them as ids or as {id} objects). */
export function snapshotPhotoIds(snapshot: unknown): string[] | null {
  if (!snapshot || typeof snapshot !== "object") return null;
  const record = snapshot as Record<string, unknown>;
  for (const key of ["photoIds", "photos", "mediaIds", "media", "images"]) {
    const value = record[key];
    if (!Array.isArray(value)) continue;
    return value
      .map((v) => (typeof v === "string" ? v : v && typeof v === "object" ? String((v as Record<string, unknown>).id ?? (v as Record<string, unknown>).mediaId ?? "") : ""))
      .filter(Boolean);
  }
  return null;
}

/** Recognised entries of published rounds: the only rows the public read model reads. */
export const publishedSelected = and(eq(rounds.status, "published"), eq(entries.status, "selected"));

// ───────────────────────────── rounds ─────────────────────────────

/** Published rounds, newest first, with their recognised and registered counts. */
export async function listPublishedRounds(tx: Database = db()) {
  return publishedRoundsWhere(tx);
}

/** Rounds open for registration now, soonest deadline first. */
export async function listOpenRounds(tx: Database = db()) {
  return tx
    .select({
      slug: rounds.slug,
      title: rounds.title,
      level: rounds.level,
      year: rounds.year,
      registrationOpensAt: rounds.registrationOpensAt,
      registrationClosesAt: rounds.registrationClosesAt,
    })
    .from(rounds)
    .where(and(eq(rounds.status, "registration"), sql`${rounds.registrationClosesAt} > now()`))
    .orderBy(asc(rounds.registrationClosesAt))
    .limit(10);
}

/** A published round by slug, or null (draft, running and reopened rounds are not public). */
export async function findPublishedRound(slug: string, tx: Database = db()) {
  if (!slug || slug.length > 200) return null;
  const [round] = await publishedRoundsWhere(tx, eq(rounds.slug, slug));
  return round ?? null;
}

/** The one query behind the round list and the round page. */
async function publishedRoundsWhere(tx: Database, where?: ReturnType<typeof eq>) {
  const rows = await tx
    .select({
      id: rounds.id,
      slug: rounds.slug,
      title: rounds.title,
      level: rounds.level,
      regionCode: rounds.regionCode,
      regionName: regions.name,
      regionSlug: regions.slug,
      provinceCode: rounds.provinceCode,
      provinceName: sql<string | null>`coalesce(${provinces.name}, (select p.name from provinces_2025 p where p.code = ${rounds.provinceCode}))`,
      year: rounds.year,
      passMark: rounds.passMark,
      quota: rounds.quota,
      authority: rounds.authority,
      decisionNo: rounds.decisionNo,
      decisionDate: rounds.decisionDate,
      decisionSigner: rounds.decisionSigner,
      publishedAt: rounds.publishedAt,
      publicVersion: rounds.publicVersion,
      finalHash: rounds.finalHash,
      selectedCount: sql<number>`(select count(*)::int from entries e where e.round_id = ${rounds.id} and e.status = 'selected')`,
      registeredCount: sql<number>`(select count(*)::int from entries e where e.round_id = ${rounds.id} and e.submitted_at is not null)`,
    })
    .from(rounds)
    .leftJoin(regions, eq(regions.code, rounds.regionCode))
    .leftJoin(provinces, eq(provinces.code, rounds.provinceCode))
    .where(and(eq(rounds.status, "published"), where))
    .orderBy(desc(rounds.year), desc(rounds.publishedAt), asc(rounds.id));
  return rows.map((r) => ({
    ...r,
    levelName: LEVEL_NAMES[r.level] ?? r.level,
    scopeName: r.regionName ?? r.provinceName ?? "Toàn quốc",
    passMark: Number(r.passMark),
  }));
}

export type PublishedRound = NonNullable<Awaited<ReturnType<typeof findPublishedRound>>>;

// ───────────────────────────── winners ─────────────────────────────

export interface Winner {
  entryId: number;
  productId: number;
  rank: number | null;
  code: string | null;
  productName: string;
  groupNo: number;
  groupName: string;
  facilityName: string;
  /** The province as named on the day of the decision (code of its era) and its name. */
  provinceCode: string;
  provinceName: string;
  currentProvinceCode: string;
  currentProvinceName: string;
  meanScore: number | null;
  certificate: { serial: string; code: string } | null;
  photo: PublicPhoto | null;
}

/** Every recognised product of a published round, in rank order, each with its first photo. */
export async function listWinners(roundId: number, tx: Database = db()): Promise<Winner[]> {
  const rows = await tx
    .select({
      entryId: entries.id,
      productId: entries.productId,
      rank: entries.rank,
      code: entries.code,
      snapshot: entries.snapshot,
      productName: products.name,
      groupNo: entries.groupNo,
      groupName: productGroups.name,
      facilityName: facilities.name,
      legacyProvinceCode: facilities.legacyProvinceCode,
      legacyProvinceName: provinces.name,
      currentProvinceCode: facilities.provinceCode,
      currentProvinceName: provinces2025.name,
      decisionDate: rounds.decisionDate,
      publishedAt: rounds.publishedAt,
      year: rounds.year,
      meanScore: entries.meanScore,
      certSerial: certificates.serial,
      certCode: certificates.code,
    })
    .from(entries)
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .innerJoin(products, eq(products.id, entries.productId))
    .innerJoin(productGroups, eq(productGroups.no, entries.groupNo))
    .innerJoin(facilities, eq(facilities.id, entries.facilityId))
    .innerJoin(provinces2025, eq(provinces2025.code, facilities.provinceCode))
    .leftJoin(provinces, eq(provinces.code, facilities.legacyProvinceCode))
    .leftJoin(certificates, eq(certificates.entryId, entries.id))
    .where(and(eq(entries.roundId, roundId), publishedSelected))
    .orderBy(sql`${entries.rank} asc nulls last`, asc(entries.id));
  const photos = await firstPhotos(
    rows.map((r) => ({ key: r.entryId, snapshot: r.snapshot })),
    tx,
  );
  return rows.map((r) => {
    const productName = snapshotText(r.snapshot, SNAPSHOT_NAME) ?? r.productName;
    // The facility as submitted (a later edit never reaches the public list).
    const f = parseSnapshot(r.snapshot)?.facility;
    const photo = photos.get(r.entryId);
    const day = recognitionDay(r);
    return {
      entryId: r.entryId,
      productId: r.productId,
      rank: r.rank,
      code: r.code,
      productName,
      groupNo: r.groupNo,
      groupName: r.groupName,
      facilityName: f?.name ?? r.facilityName,
      // The province as named on the day of the decision (the merged unit from 1 July 2025), from the snapshot.
      provinceCode: provinceAsOf(day, { legacy: r.legacyProvinceCode, current: r.currentProvinceCode }),
      provinceName: provinceAsOf(day, { legacy: f?.legacyProvinceName ?? r.legacyProvinceName, current: f?.provinceName ?? r.currentProvinceName }),
      currentProvinceCode: r.currentProvinceCode,
      currentProvinceName: f?.provinceName ?? r.currentProvinceName,
      meanScore: r.meanScore === null ? null : Number(r.meanScore),
      certificate: r.certSerial && r.certCode ? { serial: r.certSerial, code: r.certCode } : null,
      photo: photo ? { ...photo, alt: productName } : null,
    };
  });
}

type PhotoRow = Omit<PublicPhoto, "alt">;

/**
 * The photos of dossiers as submitted: the media ids the snapshot names, in its order (the file
 * route serves a variant publicly only when a published snapshot names it, so nothing else is
 * ever linked).
 */
async function photosOf(items: { key: number; snapshot: unknown }[], tx: Database) {
  const out = new Map<number, PhotoRow[]>();
  const named = new Map<number, string[]>();
  const ids = new Set<string>();
  for (const item of items) {
    const list = snapshotPhotoIds(item.snapshot) ?? [];
    named.set(item.key, list);
    list.forEach((id) => ids.add(id));
  }
  const byId = new Map<string, PhotoRow>();
  if (ids.size) {
    const rows = await tx
      .select({ id: media.id, width: media.width, height: media.height, variants: media.variants })
      .from(media)
      .where(and(inArray(media.id, [...ids]), eq(media.kind, "photo")));
    for (const r of rows) {
      byId.set(r.id, { id: r.id, width: r.width, height: r.height, variants: (r.variants ?? []).map((v) => ({ format: v.format, width: v.width, height: v.height, key: v.key })) });
    }
  }
  for (const [key, list] of named) out.set(key, list.map((id) => byId.get(id)).filter((r): r is PhotoRow => !!r));
  return out;
}

async function firstPhotos(items: Parameters<typeof photosOf>[0], tx: Database) {
  const all = await photosOf(items, tx);
  const out = new Map<number, PhotoRow>();
  for (const [key, list] of all) if (list[0]) out.set(key, list[0]);
  return out;
}

// ───────────────────────────── products ─────────────────────────────

/**
 * The public page of a product: only when it was recognised in at least one published round.
 * Returns null otherwise (the route answers 404).
 */
export async function getPublicProduct(productId: number, tx: Database = db()) {
  if (!Number.isSafeInteger(productId) || productId <= 0) return null;
  const history = await tx
    .select({
      entryId: entries.id,
      productId: entries.productId,
      snapshot: entries.snapshot,
      rank: entries.rank,
      meanScore: entries.meanScore,
      groupNo: entries.groupNo,
      groupName: productGroups.name,
      roundSlug: rounds.slug,
      roundTitle: rounds.title,
      level: rounds.level,
      year: rounds.year,
      decisionNo: rounds.decisionNo,
      decisionDate: rounds.decisionDate,
      publishedAt: rounds.publishedAt,
      authority: rounds.authority,
      certSerial: certificates.serial,
      certCode: certificates.code,
      certValidUntil: certificates.validUntil,
      certRevokedAt: certificates.revokedAt,
    })
    .from(entries)
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .innerJoin(productGroups, eq(productGroups.no, entries.groupNo))
    .leftJoin(certificates, eq(certificates.entryId, entries.id))
    .where(and(eq(entries.productId, productId), publishedSelected));
  if (!history.length) return null;
  history.sort((a, b) => a.year - b.year || (LEVEL_ORDER[a.level] ?? 0) - (LEVEL_ORDER[b.level] ?? 0));
  const latest = history[history.length - 1];

  const [base] = await tx
    .select({
      id: products.id,
      name: products.name,
      description: products.description,
      nameEn: products.nameEn,
      descriptionEn: products.descriptionEn,
      facilityName: facilities.name,
      address: facilities.address,
      commune: facilities.commune,
      district: facilities.district,
      provinceName: provinces.name,
      currentProvinceName: provinces2025.name,
    })
    .from(products)
    .innerJoin(facilities, eq(facilities.id, products.facilityId))
    .innerJoin(provinces2025, eq(provinces2025.code, facilities.provinceCode))
    .leftJoin(provinces, eq(provinces.code, facilities.legacyProvinceCode))
    .where(eq(products.id, productId));
  if (!base) return null;

  // The photos of the most recent recognised dossier that has any.
  const allPhotos = await photosOf(history.map((h) => ({ key: h.entryId, snapshot: h.snapshot })), tx);
  const photos = [...history].reverse().map((h) => allPhotos.get(h.entryId) ?? []).find((list) => list.length) ?? [];
  const name = snapshotText(latest.snapshot, SNAPSHOT_NAME) ?? base.name;
  const description = snapshotText(latest.snapshot, SNAPSHOT_DESCRIPTION) ?? "";
  const details = PUBLIC_DOSSIER_FIELDS.map((f) => ({ label: f.label, text: snapshotText(latest.snapshot, [`dossier.${f.name}`, f.name]) })).filter(
    (d): d is { label: string; text: string } => !!d.text,
  );
  // Named as on the day of the latest recognition, like its certificate; the facility as in that
  // recognised snapshot (issue 13), the live row only for old shapes.
  const f = parseSnapshot(latest.snapshot)?.facility;
  const provinceName = provinceAsOf(recognitionDay(latest), { legacy: f?.legacyProvinceName ?? base.provinceName, current: f?.provinceName ?? base.currentProvinceName });
  const currentProvinceName = f?.provinceName ?? base.currentProvinceName;
  return {
    id: base.id,
    name,
    description,
    /**
     * The facility's own English texts (issue 19), from the product as it is now — not from the
     * snapshot: a translation is not what was judged, and may be added after recognition.
     */
    english: base.nameEn ? { name: base.nameEn, description: base.descriptionEn } : null,
    details,
    groupNo: latest.groupNo,
    groupName: latest.groupName,
    facility: {
      name: f?.name ?? base.facilityName,
      address: (f ? [f.address, f.commune, f.district] : [base.address, base.commune, base.district]).filter(Boolean).join(", "),
      provinceName,
      currentProvinceName,
      provinceChanged: provinceName !== currentProvinceName,
    },
    photos: photos.map((p) => ({ ...p, alt: name })),
    recognitions: history.map((h) => ({
      roundSlug: h.roundSlug,
      roundTitle: h.roundTitle,
      level: h.level,
      levelName: LEVEL_NAMES[h.level] ?? h.level,
      year: h.year,
      rank: h.rank,
      meanScore: h.meanScore === null ? null : Number(h.meanScore),
      decisionNo: h.decisionNo,
      decisionDate: h.decisionDate,
      authority: h.authority,
      certificate: h.certSerial && h.certCode
        ? { serial: h.certSerial, code: h.certCode, validUntil: h.certValidUntil, status: certificateStatus({ revokedAt: h.certRevokedAt, validUntil: h.certValidUntil }) }
        : null,
    })),
  };
}

export type PublicProduct = NonNullable<Awaited<ReturnType<typeof getPublicProduct>>>;

/** Ids of every publicly visible product (sitemap). */
export async function listPublicProductIds(tx: Database = db()) {
  const rows = await tx
    .selectDistinct({ id: entries.productId })
    .from(entries)
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .where(publishedSelected)
    .orderBy(asc(entries.productId));
  return rows.map((r) => r.id);
}
