/**
 * The producer's receipt of a submitted dossier ("Giấy biên nhận hồ sơ"): the entry code, the time
 * of submission, what was submitted (fields, photos, documents, lower-level certificate) and the
 * SHA-256 of the stored snapshot as canonical JSON, so the facility can later show exactly which
 * dossier it handed in. Only members of the facility see it; anyone else gets 404.
 */

import { and, eq } from "drizzle-orm";

import { entries, facilityMembers, rounds } from "../../../db/schema";
import { DOC_TYPES, DOSSIER_FIELDS } from "../../schemas/dossier";
import { canonicalJson } from "../../utils/canonical-json";
import { type Database, db, isDbId } from "../../utils/db.server";
import { notFound } from "../../utils/errors";
import { sha256 } from "../../utils/hash.server";

interface StoredSnapshot {
  version?: number;
  submittedAt?: string;
  round?: { title?: string };
  product?: { name?: string; groupNo?: number; groupName?: string | null };
  facility?: { name?: string; registrationNo?: string; provinceName?: string; legacyProvinceName?: string | null };
  dossier?: Record<string, string>;
  photos?: { id: string; originalName?: string }[];
  documents?: { id: string; docType?: string; originalName?: string; sizeBytes?: number; sha256?: string }[];
  lowerCertificate?: Record<string, string> | null;
}

export interface EntryReceipt {
  entryId: number;
  code: string;
  status: string;
  submittedAt: string;
  roundTitle: string;
  productName: string;
  group: string;
  facilityName: string;
  facilityRegistrationNo: string;
  province: string;
  fields: { label: string; value: string }[];
  photos: { name: string }[];
  documents: { name: string; type: string; sizeBytes: number | null; sha256: string | null }[];
  lowerCertificate: string | null;
  snapshotSha256: string;
}

/** SHA-256 (hex) of the snapshot as canonical JSON. */
export function snapshotSha256(snapshot: unknown): string {
  return sha256(canonicalJson(snapshot));
}

/**
 * The receipt of the entry's latest submission.
 * @throws AppError 404 when the entry does not exist, was never submitted, or the user is not a
 *   member of its facility.
 */
export async function getEntryReceipt(input: { userId: string; entryId: number }, tx: Database = db()): Promise<EntryReceipt> {
  if (!isDbId(input.entryId)) throw notFound("Không tìm thấy hồ sơ.");
  const [row] = await tx
    .select({ entry: entries, roundTitle: rounds.title })
    .from(entries)
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .where(eq(entries.id, input.entryId));
  if (!row) throw notFound("Không tìm thấy hồ sơ.");
  const [member] = await tx
    .select({ userId: facilityMembers.userId })
    .from(facilityMembers)
    .where(and(eq(facilityMembers.facilityId, row.entry.facilityId), eq(facilityMembers.userId, input.userId)));
  if (!member) throw notFound("Không tìm thấy hồ sơ.");
  const snap = row.entry.snapshot as StoredSnapshot | null;
  if (!snap || !row.entry.code || !snap.submittedAt) throw notFound("Hồ sơ chưa được nộp nên chưa có giấy biên nhận.");
  const lc = snap.lowerCertificate;
  const lcText =
    lc && Object.values(lc).some(Boolean)
      ? [`số ${lc.serial || "—"}`, lc.issuer, lc.year ? `năm ${lc.year}` : "", lc.decisionNo ? `quyết định ${lc.decisionNo}` : ""].filter(Boolean).join(", ")
      : null;
  return {
    entryId: row.entry.id,
    code: row.entry.code,
    status: row.entry.status,
    submittedAt: snap.submittedAt,
    roundTitle: snap.round?.title ?? row.roundTitle,
    productName: snap.product?.name ?? "",
    group: snap.product?.groupNo ? `${snap.product.groupNo}${snap.product.groupName ? `. ${snap.product.groupName}` : ""}` : "",
    facilityName: snap.facility?.name ?? "",
    facilityRegistrationNo: snap.facility?.registrationNo ?? "",
    province: snap.facility?.provinceName ?? "",
    fields: DOSSIER_FIELDS.map((f) => ({ label: f.label, value: snap.dossier?.[f.name] ?? "" })),
    photos: (snap.photos ?? []).map((p, i) => ({ name: p.originalName || `Ảnh ${i + 1}` })),
    documents: (snap.documents ?? []).map((d) => ({
      name: d.originalName || "Tài liệu",
      type: DOC_TYPES[d.docType as keyof typeof DOC_TYPES] ?? "Tài liệu khác",
      sizeBytes: d.sizeBytes ?? null,
      sha256: d.sha256 ?? null,
    })),
    lowerCertificate: lcText,
    snapshotSha256: snapshotSha256(row.entry.snapshot),
  };
}
