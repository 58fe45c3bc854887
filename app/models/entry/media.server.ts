/**
 * Photos and documents of a product. A media row and its files exist together or not at all:
 * files are written under a temporary folder, the row is inserted and the folder renamed into
 * place inside one transaction, and every failure removes what was written.
 *
 * Who may read a file (`mediaAccess`): photos of an entry selected in a published round are public;
 * otherwise the facility's members, organisers whose scope covers a round the product was submitted
 * to, and jurors assigned to one of the product's entries. Everyone else gets 404. The original
 * photo is never public.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";

import { assignments, entries, media, rounds, type Media } from "../../../db/schema";
import { DOC_TYPE_KEYS, type DocType } from "../../schemas/dossier";
import type { SessionUser } from "../../utils/auth.server";
import { type Database, db, pgConstraint, rowsOf } from "../../utils/db.server";
import { env } from "../../utils/env.server";
import { AppError, notFound } from "../../utils/errors";
import {
  cleanFileName,
  commitFolder,
  copyFolder,
  listStoredIds,
  newMediaId,
  prepareDocument,
  preparePhoto,
  removeFolders,
} from "../../utils/uploads.server";
import { notConflicted } from "../council/conflict-sql.server";
import { requireProductMember } from "../facility/product.server";
import { organizerCoversProduct } from "../round/organizer-scope.server";
import { JUDGING_STATUSES } from "../round/rules";
import { recordAudit } from "../shared/audit.server";

export const MAX_PHOTOS_PER_PRODUCT = 12;
export const MAX_DOCUMENTS_PER_PRODUCT = 20;

/** Test seam: lets a test make the store fail between writing the files and committing the row. */
export const uploadFaults: { beforeCommit?: () => void | Promise<void> } = {};

async function checkOwnership(input: { actorId: string; facilityId: number; productId: number }, tx: Database) {
  const { product } = await requireProductMember({ userId: input.actorId, productId: input.productId }, tx);
  if (product.facilityId !== input.facilityId) throw notFound("Không tìm thấy sản phẩm.");
  return product;
}

async function countLive(productId: number, kind: "photo" | "document", tx: Database) {
  const [{ n }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(media)
    .where(and(eq(media.productId, productId), eq(media.kind, kind), isNull(media.deletedAt)));
  return n;
}

/** Inserts the row and moves the folder into place in one transaction; cleans up on any failure. */
async function commitMedia(row: typeof media.$inferInsert, actorId: string): Promise<Media> {
  try {
    return await db().transaction(async (tx) => {
      const [saved] = await tx.insert(media).values(row).returning();
      await recordAudit(
        {
          actorId,
          action: `media.${row.kind}_add`,
          entity: "product",
          entityId: String(row.productId),
          after: { mediaId: row.id, originalName: row.originalName, sizeBytes: row.sizeBytes },
        },
        tx,
      );
      await uploadFaults.beforeCommit?.();
      await commitFolder(row.id);
      return saved;
    });
  } catch (error) {
    await removeFolders(row.id);
    throw error;
  }
}

/** Bytes the stored uploads take: every original and document, plus each photo's variants. */
export async function uploadsUsedBytes(tx: Database = db()): Promise<number> {
  const variantBytes = sql`coalesce((select sum((v ->> 'bytes')::bigint) from jsonb_array_elements(case when jsonb_typeof(${media.variants}) = 'array' then ${media.variants} else '[]'::jsonb end) v), 0)`;
  const [{ n }] = await tx.select({ n: sql<string>`coalesce(sum(${media.sizeBytes} + ${variantBytes}), 0)` }).from(media);
  return Number(n);
}

const storageFull = (field: "photos" | "document") => {
  const message =
    "Bộ nhớ lưu trữ tệp đã đầy nên chưa lưu tệp này (không có gì được ghi). Vui lòng báo quản trị viên hệ thống để mở rộng dung lượng, rồi gửi lại.";
  return new AppError(507, message, { [field]: message });
};

/**
 * Refuses an upload that would take the stored files past UPLOADS_QUOTA_MB, before anything is
 * written (a photo's variants are counted once stored, so the budget may be passed by one photo).
 * @throws AppError 507 with a Vietnamese message.
 */
async function assertRoomFor(bytes: number, field: "photos" | "document") {
  const quotaMb = env().UPLOADS_QUOTA_MB;
  if (!quotaMb) return;
  if ((await uploadsUsedBytes()) + bytes > quotaMb * 1024 * 1024) throw storageFull(field);
}

/** A full disk (ENOSPC) or a file-system quota (EDQUOT) while writing becomes the same message. */
async function orStorageFull<T>(field: "photos" | "document", fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ENOSPC" || code === "EDQUOT") throw storageFull(field);
    throw error;
  }
}

let lastSweep = 0;

/**
 * Stores a product photo: sniffed, checked, auto-rotated, stripped of metadata, variants written.
 * @throws AppError 404 outside the user's facilities; 400 for a file that is not an acceptable photo
 *   (type, size, pixels, damage — each with its own message) or when the product has 12 photos.
 */
export async function storePhoto(input: {
  actorId: string;
  facilityId: number;
  productId: number;
  bytes: Buffer;
  fileName: string;
  /** The page's key for this file: a retry with the same key returns the photo already stored. */
  uploadKey?: string;
}): Promise<Media> {
  const product = await checkOwnership(input, db());
  const uploadKey = checkUploadKey(input.uploadKey);
  if (uploadKey) {
    const done = await findUpload(product.id, uploadKey);
    if (done) return done;
  }
  if ((await countLive(product.id, "photo", db())) >= MAX_PHOTOS_PER_PRODUCT) {
    throw new AppError(400, `Mỗi sản phẩm có tối đa ${MAX_PHOTOS_PER_PRODUCT} ảnh. Hãy xoá bớt ảnh cũ trước.`, { photos: "Đã đủ số ảnh tối đa." });
  }
  if (Date.now() - lastSweep > 10 * 60 * 1000) {
    lastSweep = Date.now();
    await sweepStrayUploads({ olderThanMs: 60 * 60 * 1000 }).catch(() => {});
  }
  await assertRoomFor(input.bytes.length, "photos");
  const id = newMediaId();
  const photo = await orStorageFull("photos", () => preparePhoto(id, input.bytes, input.fileName));
  const row: typeof media.$inferInsert = {
    id,
    facilityId: product.facilityId,
    productId: product.id,
    kind: "photo",
    mime: photo.mime,
    sizeBytes: photo.sizeBytes,
    sha256: photo.sha256,
    width: photo.width,
    height: photo.height,
    originalName: cleanFileName(input.fileName),
    storageKey: id,
    variants: photo.variants,
    createdBy: input.actorId,
    uploadKey,
  };
  try {
    return await orStorageFull("photos", () => commitMedia(row, input.actorId));
  } catch (error) {
    // The same upload retried while the first attempt was still processing: the first one won.
    if (uploadKey && pgConstraint(error) === "media_upload_key_unique") {
      const done = await findUpload(product.id, uploadKey);
      if (done) return done;
    }
    throw error;
  }
}

const UPLOAD_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/** @throws AppError 400 for a key the page would not make. */
function checkUploadKey(key: string | undefined): string | null {
  if (key === undefined || key === "") return null;
  if (!UPLOAD_KEY.test(key)) throw new AppError(400, "Mã tải lên không hợp lệ. Vui lòng tải lại trang rồi chọn ảnh lại.", { photos: "Mã tải lên không hợp lệ." });
  return key;
}

async function findUpload(productId: number, uploadKey: string): Promise<Media | null> {
  const [row] = await db().select().from(media).where(and(eq(media.productId, productId), eq(media.uploadKey, uploadKey)));
  return row ?? null;
}

/**
 * Stores a PDF document of a product.
 * @throws AppError 404 outside the user's facilities; 400 for an unknown document type, a file that
 *   is not a real PDF, or one over 20 MB.
 */
export async function storeDocument(input: {
  actorId: string;
  facilityId: number;
  productId: number;
  bytes: Buffer;
  fileName: string;
  docType: string;
}): Promise<Media> {
  if (!DOC_TYPE_KEYS.includes(input.docType as DocType)) {
    throw new AppError(400, "Vui lòng chọn loại tài liệu.", { docType: "Vui lòng chọn loại tài liệu." });
  }
  const product = await checkOwnership(input, db());
  if ((await countLive(product.id, "document", db())) >= MAX_DOCUMENTS_PER_PRODUCT) {
    throw new AppError(400, `Mỗi sản phẩm có tối đa ${MAX_DOCUMENTS_PER_PRODUCT} tài liệu.`, { document: "Đã đủ số tài liệu tối đa." });
  }
  await assertRoomFor(input.bytes.length, "document");
  const id = newMediaId();
  const doc = await orStorageFull("document", () => prepareDocument(id, input.bytes, input.fileName));
  const row: typeof media.$inferInsert = {
    id,
    facilityId: product.facilityId,
    productId: product.id,
    kind: "document",
    docType: input.docType,
    mime: doc.mime,
    sizeBytes: doc.sizeBytes,
    sha256: doc.sha256,
    originalName: cleanFileName(input.fileName),
    storageKey: id,
    createdBy: input.actorId,
  };
  return orStorageFull("document", () => commitMedia(row, input.actorId));
}

/**
 * FOR DEMO SEEDING ONLY: gives a product a new photo row that reuses an already processed photo's
 * files (copied under the new id), so seeding 110 products does not run sharp 330 times. Real
 * uploads always go through `storePhoto`.
 * @throws AppError 404 when the source photo or the product is unknown to the actor.
 */
export async function attachExistingPhoto(
  input: { actorId: string; facilityId: number; productId: number; fromMediaId: string },
  tx: Database = db(),
): Promise<Media> {
  const product = await checkOwnership(input, tx);
  const [source] = await tx.select().from(media).where(and(eq(media.id, input.fromMediaId), eq(media.kind, "photo")));
  if (!source) throw notFound("Không tìm thấy ảnh nguồn.");
  const id = newMediaId();
  await copyFolder(source.id, id);
  try {
    const [row] = await tx
      .insert(media)
      .values({
        ...source,
        id,
        facilityId: product.facilityId,
        productId: product.id,
        storageKey: id,
        createdBy: input.actorId,
        createdAt: new Date(),
        deletedAt: null,
      })
      .returning();
    return row;
  } catch (error) {
    await removeFolders(id);
    throw error;
  }
}

/**
 * Removes a photo or document from the product (soft delete: a submitted snapshot may still name
 * it, and jurors keep seeing what was submitted).
 * @throws AppError 404 outside the user's facilities.
 */
export async function deleteMedia(input: { actorId: string; mediaId: string }, tx: Database = db()) {
  await tx.transaction(async (t) => {
    const [row] = await t.select().from(media).where(and(eq(media.id, input.mediaId), isNull(media.deletedAt)));
    if (!row || !row.productId) throw notFound("Không tìm thấy tệp.");
    await requireProductMember({ userId: input.actorId, productId: row.productId }, t);
    await t.update(media).set({ deletedAt: new Date() }).where(eq(media.id, row.id));
    await recordAudit(
      { actorId: input.actorId, action: `media.${row.kind}_remove`, entity: "product", entityId: String(row.productId), before: { mediaId: row.id } },
      t,
    );
  });
}

const inSnapshot = (mediaId: string) =>
  sql`(${entries.snapshot} -> 'photos' @> ${JSON.stringify([{ id: mediaId }])}::jsonb or ${entries.snapshot} -> 'documents' @> ${JSON.stringify([{ id: mediaId }])}::jsonb)`;

/** Whether a photo is in the snapshot of an entry selected in a published round. */
export async function isPublicPhoto(mediaId: string, tx: Database = db()) {
  const rows = await tx
    .select({ id: entries.id })
    .from(entries)
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .where(and(eq(entries.status, "selected"), eq(rounds.status, "published"), sql`${entries.snapshot} -> 'photos' @> ${JSON.stringify([{ id: mediaId }])}::jsonb`))
    .limit(1);
  return rows.length > 0;
}

/**
 * The media row if the viewer may read the given file, with whether it may be cached publicly.
 * @throws AppError 404 for an unknown file or a viewer without access (never 403: existence is private).
 */
export async function mediaAccess(input: { mediaId: string; file: "variant" | "original" | "document"; user: Pick<SessionUser, "id" | "roles"> | null }, tx: Database = db()) {
  const [row] = await tx.select().from(media).where(eq(media.id, input.mediaId));
  if (!row) throw notFound("Không tìm thấy tệp.");
  if ((input.file === "document") !== (row.kind === "document")) throw notFound("Không tìm thấy tệp.");
  const referenced = async () => (await tx.select({ id: entries.id }).from(entries).where(inSnapshot(row.id)).limit(1)).length > 0;
  if (row.deletedAt && !(await referenced())) throw notFound("Không tìm thấy tệp.");

  if (input.file === "variant" && (await isPublicPhoto(row.id, tx))) return { media: row, isPublic: true };
  const user = input.user;
  if (!user) throw notFound("Không tìm thấy tệp.");

  const member = await tx.execute(sql`select 1 from facility_members where facility_id = ${row.facilityId} and user_id = ${user.id}`);
  if (Array.isArray(member) ? member.length : (member as { rows: unknown[] }).rows.length) return { media: row, isPublic: false };

  if (row.productId) {
    if (await organizerCoversProduct(user.roles, row.productId, tx)) return { media: row, isPublic: false };
    // A juror reads what they judge (issue 13): the stripped variants and the documents named in the
    // snapshot of an entry assigned to them, while its round is scored or deliberated — never an
    // original (EXIF/GPS), never a file the product got later. After publication, what the public sees.
    if (input.file !== "original" && user.roles.some((r) => r.role === "juror")) {
      const assigned = await tx
        .select({ id: entries.id })
        .from(assignments)
        .innerJoin(entries, eq(entries.id, assignments.entryId))
        .innerJoin(rounds, eq(rounds.id, entries.roundId))
        .where(
          and(
            eq(assignments.jurorId, user.id),
            inArray(rounds.status, [...JUDGING_STATUSES]),
            inSnapshot(row.id),
            // A conflict that arose after a submitted sheet keeps the assignment on record; the
            // entry's files are then as closed to the juror as the entry itself (getSheetForJuror).
            notConflicted({ roundId: entries.roundId, jurorId: user.id, entryId: entries.id, facilityId: entries.facilityId }),
          ),
        )
        .limit(1);
      if (assigned.length) return { media: row, isPublic: false };
    }
  }
  throw notFound("Không tìm thấy tệp.");
}

/**
 * Removes what an interrupted upload may leave: temporary folders older than `olderThanMs`, and
 * stored folders without a media row. Returns what was removed.
 */
export async function sweepStrayUploads(input: { olderThanMs?: number } = {}, tx: Database = db()) {
  const { tmp, media: stored } = await listStoredIds();
  const cutoff = Date.now() - (input.olderThanMs ?? 60 * 60 * 1000);
  const removed: string[] = [];
  for (const t of tmp) {
    if (t.mtimeMs < cutoff) {
      await removeFolders(t.id);
      removed.push(t.id);
    }
  }
  // Only old folders: a young one may belong to an upload whose transaction is still open.
  const old = stored.filter((s) => s.mtimeMs < cutoff).map((s) => s.id);
  const known = new Set<string>();
  for (let i = 0; i < old.length; i += 500) {
    const chunk = old.slice(i, i + 500);
    if (!chunk.length) continue;
    for (const r of await tx.select({ id: media.id }).from(media).where(inArray(media.id, chunk))) known.add(r.id);
    // Signed founding decisions and complaint attachments (issue 14, also those waiting for their e-mail link) are stored the same way.
    for (const r of rowsOf<{ id: string }>(
      await tx.execute(sql`select pdf_id as id from round_bodies where pdf_id = any(${`{${chunk.join(",")}}`}::text[])
                           union select pdf_id from complaints where pdf_id = any(${`{${chunk.join(",")}}`}::text[])
                           union select pdf_id from complaint_requests where pdf_id = any(${`{${chunk.join(",")}}`}::text[])`),
    ))
      known.add(r.id);
  }
  for (const id of old) {
    if (!known.has(id)) {
      await removeFolders(id);
      removed.push(id);
    }
  }
  return removed;
}
