/**
 * The start-up cleanup job: removes the files an interrupted process (a crash, SIGKILL, a full
 * disk) may leave under the uploads folder, so no file exists without the row that owns it.
 * - photos and documents: temporary folders and stored folders without a media row
 *   (media.server.ts `sweepStrayUploads`);
 * - certificate PDFs: half-written `*.tmp` files, and PDFs no certificate records (a render
 *   killed between writing its file and recording it). Revoked stamps and previews of a recorded
 *   certificate are kept.
 * Only files older than `olderThanMs` are touched: with several app servers on one folder, a young
 * file may belong to another server's upload whose transaction is still open.
 */
import fs from "node:fs/promises";
import path from "node:path";

import { isNotNull } from "drizzle-orm";

import { certificates } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { uploadsRoot } from "../../utils/uploads.server";
import { sweepStrayUploads } from "../entry/media.server";

/** Files younger than this are left alone at start-up. */
export const CLEANUP_MIN_AGE_MS = 5 * 60 * 1000;

async function sweepCertificateFiles(cutoff: number, tx: Database): Promise<string[]> {
  const dir = path.join(uploadsRoot(), "certificates");
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  if (!names.length) return [];
  const recorded = new Set(
    (await tx.select({ key: certificates.pdfKey }).from(certificates).where(isNotNull(certificates.pdfKey))).map((r) =>
      path.basename(r.key ?? ""),
    ),
  );
  const removed: string[] = [];
  for (const name of names) {
    const stray =
      name.endsWith(".tmp") ||
      (name.endsWith(".pdf") && !recorded.has(name) && !recorded.has(name.replace(/-thu-hoi\.pdf$/, ".pdf")));
    if (!stray) continue;
    const st = await fs.stat(path.join(dir, name)).catch(() => null);
    if (!st?.isFile() || st.mtimeMs >= cutoff) continue;
    await fs.rm(path.join(dir, name), { force: true });
    removed.push(`certificates/${name}`);
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
