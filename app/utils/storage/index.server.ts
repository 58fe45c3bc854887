/**
 * The file storage of this process, chosen by the configuration: S3-compatible object storage when
 * `S3_ENDPOINT` and `S3_BUCKET` are set, else the local folder `UPLOADS_DIR`. Every read, write and
 * removal of an uploaded or generated file goes through it (uploads.server.ts, media.server.ts,
 * certificate-pdf.server.ts, storage-cleanup.server.ts, db/backup.ts).
 */
import { env, flag } from "../env.server";
import { localStorage } from "./local.server";
import { s3Storage } from "./s3.server";
import type { FileStorage } from "./types";

export type { ByteRange, FileStorage, StoredObject } from "./types";
export { localStorage } from "./local.server";
export { s3Storage, type S3Settings } from "./s3.server";

let current: { config: string; storage: FileStorage } | undefined;

/** The storage for the current configuration (tests change UPLOADS_DIR per file; the handle follows). */
export function storage(): FileStorage {
  const e = env();
  const s3 =
    e.S3_ENDPOINT && e.S3_BUCKET
      ? {
          endpoint: e.S3_ENDPOINT,
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE === undefined || flag(e.S3_FORCE_PATH_STYLE),
        }
      : null;
  const config = JSON.stringify(s3 ?? e.uploadsDir);
  if (current?.config !== config) current = { config, storage: s3 ? s3Storage(s3) : localStorage(e.uploadsDir) };
  return current.storage;
}

/** Where files are kept, for logs and the admin's eyes (never the secret). */
export function storageDescription(): string {
  const e = env();
  return e.S3_ENDPOINT && e.S3_BUCKET ? `S3 ${e.S3_ENDPOINT} bucket ${e.S3_BUCKET}` : `thư mục ${e.uploadsDir}`;
}
