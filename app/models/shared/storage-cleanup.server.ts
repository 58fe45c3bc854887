/**
 * The start-up cleanup job: removes the files an interrupted process (a crash, SIGKILL, a full
 * disk) may leave in storage (the uploads folder or the S3 bucket), so no file exists without the
 * row that owns it.
 * - photos and documents: temporary folders and stored folders without a media row
 *   (media.server.ts `sweepStrayUploads`);
 * - certificate PDFs: half-written `*.tmp` files, and PDFs no certificate records (a render
 *   killed between writing its file and recording it). Revoked stamps and previews of a recorded
 *   certificate are kept.
 * Only files older than `olderThanMs` are touched: with several app servers on one folder, a young
 * file may belong to another server's upload whose transaction is still open.
 */
import { isNotNull } from "drizzle-orm";

import { certificates } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { storage } from "../../utils/storage/index.server";
import { sweepStrayUploads } from "../entry/media.server";

/** Files younger than this are left alone at start-up. */
export const CLEANUP_MIN_AGE_MS = 5 * 60 * 1000;

async function sweepCertificateFiles(cutoff: number, tx: Database): Promise<string[]> {
  // The files directly in certificates/ (previews/ below it are kept: they belong to recorded certificates).
  const files = (await storage().list("certificates")).filter((o) => !o.key.slice("certificates/".length).includes("/"));
  if (!files.length) return [];
  const recorded = new Set(
    (await tx.select({ key: certificates.pdfKey }).from(certificates).where(isNotNull(certificates.pdfKey))).map((r) => (r.key ?? "").split("/").pop()),
  );
  const removed: string[] = [];
  for (const file of files) {
    const name = file.key.slice("certificates/".length);
    const stray =
      name.endsWith(".tmp") ||
      (name.endsWith(".pdf") && !recorded.has(name) && !recorded.has(name.replace(/-thu-hoi\.pdf$/, ".pdf")));
    if (!stray || file.mtimeMs >= cutoff) continue;
    await storage().remove(file.key);
    removed.push(file.key);
  }
  return removed;
}

/**
 * Removes stray upload folders and certificate files older than `olderThanMs`.
 * @returns what was removed (media ids and certificate file keys).
 */
export async function cleanupStorage(input: { olderThanMs?: number } = {}, tx: Database = db()): Promise<string[]> {
  const olderThanMs = input.olderThanMs ?? CLEANUP_MIN_AGE_MS;
  const media = await sweepStrayUploads({ olderThanMs }, tx);
  const certificateFiles = await sweepCertificateFiles(Date.now() - olderThanMs, tx);
  return [...media, ...certificateFiles];
}
