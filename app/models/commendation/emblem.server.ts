/**
 * The emblem an issuer prints at the top of its Bằng khen. Uploaded by a ministry officer through
 * the upload pipeline (streamed multipart within the limits, real type sniffed, size and pixels
 * checked by checkPhoto, the quota), stored as a PNG made by sharp (metadata stripped, at most
 * 600 px), one per issuer; certificates rendered afterwards carry it (stored PDFs never change).
 */
import crypto from "node:crypto";

import { sql } from "drizzle-orm";
import sharp, { type OutputInfo } from "sharp";

import { issuerEmblems } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { storage } from "../../utils/storage/index.server";
import { checkPhoto, cleanFileName } from "../../utils/uploads.server";
import { recordAudit } from "../shared/audit.server";

const EMBLEM_PX = 600;

/**
 * Stores the emblem of `authority` from an uploaded image, replacing the one before.
 * @throws AppError 400 (field `emblem`) for a file that is not an acceptable image.
 */
export async function storeEmblem(input: { authority: string; bytes: Buffer; fileName: string; actorId: string }, tx: Database = db()) {
  const authority = input.authority.normalize("NFC").replace(/\s+/g, " ").trim();
  if (authority.length < 3 || authority.length > 200) throw new AppError(400, "Nhập tên cơ quan ban hành (3–200 ký tự).", { authority: "Nhập tên cơ quan ban hành." });
  let checked: Awaited<ReturnType<typeof checkPhoto>>;
  try {
    checked = await checkPhoto(input.bytes, input.fileName);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(400, error.message, { emblem: error.message });
    throw error;
  }
  if (checked.width < 64 || checked.height < 64) {
    const message = `Ảnh biểu trưng quá nhỏ (${checked.width}×${checked.height} điểm ảnh); cần ít nhất 64×64 để in rõ.`;
    throw new AppError(400, message, { emblem: message });
  }
  let png: { data: Buffer; info: OutputInfo };
  try {
    png = await sharp(input.bytes).rotate().resize(EMBLEM_PX, EMBLEM_PX, { fit: "inside", withoutEnlargement: true }).png().toBuffer({ resolveWithObject: true });
  } catch {
    const message = `Ảnh “${cleanFileName(input.fileName)}” bị hỏng hoặc chưa tải lên hết. Hãy chọn lại ảnh gốc.`;
    throw new AppError(400, message, { emblem: message });
  }
  const hash = crypto.createHash("sha256").update(png.data).digest("hex");
  const key = `emblems/${hash.slice(0, 32)}.png`;
  // Through the file storage (local folder or S3): a reader never sees a half-written object.
  await storage().put(key, png.data, { contentType: "image/png" });
  const row = { authority, storageKey: key, sha256: hash, width: png.info.width, height: png.info.height, originalName: cleanFileName(input.fileName), uploadedBy: input.actorId, uploadedAt: new Date() };
  await tx.transaction(async (t) => {
    await t.insert(issuerEmblems).values(row).onConflictDoUpdate({ target: issuerEmblems.authority, set: row });
    await recordAudit({ actorId: input.actorId, action: "commendation.emblem_upload", entity: "issuer_emblem", entityId: authority, after: { sha256: hash, originalName: row.originalName } }, t);
  });
  return row;
}

/** The stored emblem PNG of an issuer, or null (no emblem uploaded, or its file is gone). */
export async function emblemPng(authority: string, tx: Database = db()): Promise<Buffer | null> {
  const [row] = await tx.select().from(issuerEmblems).where(sql`lower(${issuerEmblems.authority}) = lower(${authority})`);
  if (!row) return null;
  return storage().readAll(row.storageKey);
}

export async function listEmblems(tx: Database = db()) {
  return tx.select({ authority: issuerEmblems.authority, width: issuerEmblems.width, height: issuerEmblems.height, uploadedAt: issuerEmblems.uploadedAt, originalName: issuerEmblems.originalName }).from(issuerEmblems);
}
