/**
 * Read models over entries: the secretariat's screening list (filters, diacritic-free search,
 * likely duplicates), one entry as the secretariat sees it, the owner's dashboard and the owner's
 * entry page. The rules that change entries live in entry.server.ts.
 */
import { and, asc, desc, eq, gt, inArray, isNull, lte, ne, notInArray, sql } from "drizzle-orm";

import { entries, facilities, facilityMembers, media, productGroups, products, provinces, provinces2025, rounds, type Round } from "../../../db/schema";
import { ownerEntryStatus, SCREENING_STATUSES } from "../../schemas/dossier";
import { type Database, db } from "../../utils/db.server";
import { notFound } from "../../utils/errors";
import { sortByName } from "../../utils/vi-text";
import { listMyFacilities } from "../facility/facility.server";
import { requireProductMember } from "../facility/product.server";
import { missingItems, requireRoundInScope } from "./entry.server";


/** Similarity (pg_trgm over folded names) from which two products of a facility look like one. */
export const DUPLICATE_SIMILARITY = 0.6;

/**
 * The round's dossiers for screening, filtered by group, province (current unit) and status, and
 * searched without diacritics over product name, facility name and code.
 * @throws AppError 404 when the round is outside the organiser's scope.
 */
export async function listScreening(
  input: { userId: string; slug: string; groupNo?: number | null; provinceCode?: string | null; status?: string | null; q?: string | null },
  tx: Database = db(),
) {
  const round = await requireRoundInScope({ userId: input.userId, slug: input.slug }, tx);
  const q = input.q?.trim();
  const conditions = [eq(entries.roundId, round.id), ne(entries.status, "draft")];
  if (input.groupNo) conditions.push(eq(entries.groupNo, input.groupNo));
  if (input.provinceCode) conditions.push(eq(facilities.provinceCode, input.provinceCode));
  if (input.status && (SCREENING_STATUSES as readonly string[]).includes(input.status)) conditions.push(eq(entries.status, input.status as never));
  if (q) {
    conditions.push(
      sql`(vn_fold(${products.name}) like '%' || vn_fold(${q}) || '%' or vn_fold(${facilities.name}) like '%' || vn_fold(${q}) || '%' or lower(coalesce(${entries.code}, '')) like '%' || lower(${q}) || '%')`,
    );
  }
  const other = sql.raw("other");
  const rows = await tx
    .select({
      id: entries.id,
      code: entries.code,
      status: entries.status,
      submittedAt: entries.submittedAt,
      screeningNote: entries.screeningNote,
      groupNo: entries.groupNo,
      productName: products.name,
      facilityId: facilities.id,
      facilityName: facilities.name,
      provinceName: provinces2025.name,
      legacyProvinceName: provinces.name,
      duplicateOf: sql<string | null>`(
        select string_agg(coalesce(${other}.code, '#' || ${other}.id::text), ', ')
        from entries ${other} join products op on op.id = ${other}.product_id
        where ${other}.round_id = ${entries.roundId} and ${other}.facility_id = ${entries.facilityId} and ${other}.id <> ${entries.id}
          and ${other}.status not in ('draft', 'withdrawn')
          and similarity(vn_fold(op.name), vn_fold(${products.name})) >= ${DUPLICATE_SIMILARITY}
      )`,
    })
    .from(entries)
    .innerJoin(products, eq(products.id, entries.productId))
    .innerJoin(facilities, eq(facilities.id, entries.facilityId))
    .innerJoin(provinces2025, eq(provinces2025.code, facilities.provinceCode))
    .leftJoin(provinces, eq(provinces.code, facilities.legacyProvinceCode))
    .where(and(...conditions))
    .orderBy(asc(entries.code), asc(entries.id));
  const counts = await tx
    .select({ status: entries.status, n: sql<number>`count(*)::int` })
    .from(entries)
    .where(and(eq(entries.roundId, round.id), ne(entries.status, "draft")))
    .groupBy(entries.status);
  const provinceOptions = await tx
    .selectDistinct({ code: provinces2025.code, name: provinces2025.name })
    .from(entries)
    .innerJoin(facilities, eq(facilities.id, entries.facilityId))
    .innerJoin(provinces2025, eq(provinces2025.code, facilities.provinceCode))
    .where(and(eq(entries.roundId, round.id), ne(entries.status, "draft")));
  return {
    round,
    entries: rows,
    counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Record<string, number>,
    provinceOptions: sortByName(provinceOptions),
  };
}

/**
 * One dossier as submitted (the snapshot), for the secretariat.
 * @throws AppError 404 outside the organiser's scope, for drafts and for entries of other rounds.
 */
export async function getScreeningEntry(input: { userId: string; slug: string; entryId: number }, tx: Database = db()) {
  const round = await requireRoundInScope({ userId: input.userId, slug: input.slug }, tx);
  if (!Number.isInteger(input.entryId)) throw notFound("Không tìm thấy hồ sơ.");
  const [entry] = await tx
    .select()
    .from(entries)
    .where(and(eq(entries.id, input.entryId), eq(entries.roundId, round.id), ne(entries.status, "draft")));
  if (!entry) throw notFound("Không tìm thấy hồ sơ.");
  return { round, entry };
}

/** Rounds that take entries now. */
export async function listOpenRounds(now = new Date(), tx: Database = db()) {
  return tx
    .select()
    .from(rounds)
    .where(and(eq(rounds.status, "registration"), lte(rounds.registrationOpensAt, now), gt(rounds.registrationClosesAt, now)))
    .orderBy(asc(rounds.registrationClosesAt));
}

/**
 * The owner's dashboard: each facility, each product, its entries in every round with status,
 * what is missing, the secretariat's note and the result once published; and the open rounds.
 */
export async function facilityDashboard(input: { userId: string; now?: Date }, tx: Database = db()) {
  const mine = await listMyFacilities({ userId: input.userId }, tx);
  const facilityIds = mine.map((f) => f.id);
  const productRows = facilityIds.length
    ? await tx
        .select({ product: products, groupName: productGroups.name })
        .from(products)
        .innerJoin(productGroups, eq(productGroups.no, products.groupNo))
        .where(inArray(products.facilityId, facilityIds))
        .orderBy(desc(products.updatedAt))
    : [];
  const productIds = productRows.map((p) => p.product.id);
  const entryRows = productIds.length
    ? await tx
        .select({ entry: entries, round: rounds })
        .from(entries)
        .innerJoin(rounds, eq(rounds.id, entries.roundId))
        .where(inArray(entries.productId, productIds))
        .orderBy(desc(rounds.year), asc(rounds.id))
    : [];
  const mediaRows = productIds.length
    ? await tx
        .select({ id: media.id, productId: media.productId, kind: media.kind, docType: media.docType, variants: media.variants })
        .from(media)
        .where(and(inArray(media.productId, productIds), isNull(media.deletedAt)))
        .orderBy(asc(media.createdAt))
    : [];
  const openRounds = await listOpenRounds(input.now ?? new Date(), tx);
  return {
    facilities: mine,
    openRounds,
    products: productRows.map(({ product, groupName }) => {
      const own = mediaRows.filter((m) => m.productId === product.id);
      const photos = own.filter((m) => m.kind === "photo");
      const documents = own.filter((m) => m.kind === "document");
      return {
        id: product.id,
        facilityId: product.facilityId,
        name: product.name,
        groupNo: product.groupNo,
        groupName,
        photoCount: photos.length,
        documentCount: documents.length,
        coverId: photos[0]?.id ?? null,
        entries: entryRows
          .filter((e) => e.entry.productId === product.id)
          .map(({ entry, round }) => ({
            id: entry.id,
            code: entry.code,
            status: ownerEntryStatus(entry.status, round.status),
            screeningNote: entry.screeningNote,
            submittedAt: entry.submittedAt,
            round: { slug: round.slug, title: round.title, status: round.status, registrationClosesAt: round.registrationClosesAt },
            published: round.status === "published",
            rank: round.status === "published" ? entry.rank : null,
            meanScore: round.status === "published" ? entry.meanScore : null,
            missing:
              entry.status === "draft" || entry.status === "returned"
                ? missingItems({ round, product, photos, documents, lowerCertificate: entry.lowerCertificate, lowerCertificateId: entry.lowerCertificateId })
                : [],
          })),
      };
    }),
  };
}

/**
 * Everything the owner's entry page needs: round, product, the entry (if any), live media and what
 * is missing. Rounds that never took entries (draft) are not found.
 * @throws AppError 404 outside the user's facilities or for an unknown round.
 */
export async function entryPage(input: { userId: string; productId: number; slug: string }, tx: Database = db()) {
  const { product, facility } = await requireProductMember({ userId: input.userId, productId: input.productId }, tx);
  const [round] = await tx.select().from(rounds).where(and(eq(rounds.slug, input.slug), notInArray(rounds.status, ["draft"])));
  if (!round) throw notFound("Không tìm thấy đợt bình chọn.");
  const [entry] = await tx.select().from(entries).where(and(eq(entries.roundId, round.id), eq(entries.productId, product.id)));
  const all = await tx
    .select()
    .from(media)
    .where(and(eq(media.productId, product.id), isNull(media.deletedAt)))
    .orderBy(asc(media.createdAt), asc(media.id));
  const photos = all.filter((m) => m.kind === "photo");
  const documents = all.filter((m) => m.kind === "document");
  const missing = missingItems({
    round,
    product,
    photos,
    documents,
    lowerCertificate: entry?.lowerCertificate ?? null,
    lowerCertificateId: entry?.lowerCertificateId ?? null,
  });
  // The outcome stays out of the owner's reach until publication (issue 13, point 5).
  const shown = entry
    ? { ...entry, status: ownerEntryStatus(entry.status, round.status) as typeof entry.status, ...(round.status === "published" ? {} : { meanScore: null, rank: null }) }
    : null;
  return { round: round as Round, product, facility, entry: shown, photos, documents, missing };
}

/** Whether the user is a member of the facility of the entry (for links from elsewhere). */
export async function isEntryMember(input: { userId: string; entryId: number }, tx: Database = db()) {
  const rows = await tx
    .select({ id: entries.id })
    .from(entries)
    .innerJoin(facilityMembers, and(eq(facilityMembers.facilityId, entries.facilityId), eq(facilityMembers.userId, input.userId)))
    .where(eq(entries.id, input.entryId));
  return rows.length > 0;
}

/** The rounds a product has entries in, with status and code (the caller checked membership). */
export async function listProductEntries(input: { productId: number }, tx: Database = db()) {
  const rows = await tx
    .select({ slug: rounds.slug, title: rounds.title, status: entries.status, roundStatus: rounds.status, code: entries.code })
    .from(entries)
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .where(eq(entries.productId, input.productId))
    .orderBy(desc(rounds.year));
  return rows.map(({ roundStatus, ...r }) => ({ ...r, status: ownerEntryStatus(r.status, roundStatus) }));
}
