/**
 * The snapshot of an entry at submission (issue 13): what the council judged, and therefore what is
 * certified. One shape, written by entry.server (submitEntry) and read by the certificates, the
 * public pages, the jury and the screening pages. Names and provinces are those of the submission
 * day; a later rename or facility edit never reaches a reader of the snapshot.
 */
import { z } from "zod";

const text = z.string().nullish();

export const SnapshotFacilitySchema = z
  .object({
    id: z.number().int().optional(),
    name: z.string(),
    legalForm: text,
    registrationNo: text,
    /** The post-2025 unit and its name on the submission day. */
    provinceCode: text,
    provinceName: text,
    /** The 63-unit province (before 1 July 2025), where known. */
    legacyProvinceCode: text,
    legacyProvinceName: text,
    district: text,
    commune: text,
    address: text,
    phone: text,
    representative: text,
    representativeTitle: text,
  })
  .passthrough();

export const SnapshotPhotoSchema = z
  .object({
    id: z.string(),
    width: z.number().nullish(),
    height: z.number().nullish(),
    variants: z.array(z.unknown()).optional(),
    originalName: text,
  })
  .passthrough();

export const SnapshotDocumentSchema = z
  .object({ id: z.string(), docType: text, originalName: text, sizeBytes: z.number().nullish(), sha256: text })
  .passthrough();

export const EntrySnapshotSchema = z
  .object({
    version: z.number().int().optional(),
    submittedAt: z.string().optional(),
    round: z.object({ id: z.number(), slug: z.string(), title: z.string(), level: z.string() }).partial().optional(),
    product: z
      .object({
        id: z.number().int().optional(),
        name: z.string(),
        groupNo: z.number().int().nullish(),
        groupName: text,
        description: text,
      })
      .passthrough(),
    facility: SnapshotFacilitySchema.optional(),
    dossier: z.record(z.string(), z.unknown()).nullish(),
    photos: z.array(SnapshotPhotoSchema).default([]),
    documents: z.array(SnapshotDocumentSchema).default([]),
    lowerCertificate: z.unknown().optional(),
    lowerCertificateId: z.unknown().optional(),
  })
  .passthrough();

export type EntrySnapshot = z.infer<typeof EntrySnapshotSchema>;
export type EntrySnapshotInput = z.input<typeof EntrySnapshotSchema>;

/** The typed snapshot, or null for a row without one (a draft) or of an unknown shape. */
export function parseSnapshot(value: unknown): EntrySnapshot | null {
  if (!value || typeof value !== "object") return null;
  const parsed = EntrySnapshotSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
