/**
 * The S3-compatible backend (@aws-sdk/client-s3): MinIO, Ceph, Garage, SeaweedFS, a cloud bucket —
 * anything that speaks the S3 API, addressed path-style (`endpoint/bucket/key`) by default. A
 * PutObject is atomic (readers see the old object or the whole new one); folders are key prefixes.
 */
import { Readable } from "node:stream";

import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";

import { type ByteRange, checkKey, type FileStorage, type StoredObject } from "./types";

export interface S3Settings {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

const notFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
};

/** Runs `fn` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function s3Storage(settings: S3Settings): FileStorage & { client: S3Client } {
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
    // Checksums only where the API demands them: older S3-compatible servers do not read the
    // aws-chunked trailers the SDK otherwise sends with every upload.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const Bucket = settings.bucket;
  const folder = (prefix: string) => (prefix ? `${checkKey(prefix)}/` : "");

  async function list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: folder(prefix), ContinuationToken }));
      for (const o of page.Contents ?? []) {
        if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, mtimeMs: o.LastModified?.getTime() ?? 0 });
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return out;
  }

  async function remove(key: string) {
    await client.send(new DeleteObjectCommand({ Bucket, Key: checkKey(key) }));
  }

  async function removeFolder(prefix: string) {
    await eachLimited(await list(prefix), 8, (o) => remove(o.key));
  }

  async function copyFolder(from: string, to: string) {
    const source = folder(from);
    await eachLimited(await list(from), 8, async (o) => {
      const Key = checkKey(`${to}/${o.key.slice(source.length)}`);
      await client.send(new CopyObjectCommand({ Bucket, Key, CopySource: `${Bucket}/${o.key.split("/").map(encodeURIComponent).join("/")}` }));
    });
  }

  return {
    kind: "s3",
    atomicMove: false,
    client,
    async put(key, body, options) {
      await client.send(new PutObjectCommand({ Bucket, Key: checkKey(key), Body: body, ContentLength: body.length, ContentType: options?.contentType }));
    },
    async putStream(key, body, size, options) {
      await client.send(new PutObjectCommand({ Bucket, Key: checkKey(key), Body: body, ContentLength: size, ContentType: options?.contentType }));
    },
    async stat(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: checkKey(key) }));
        return { key, size: head.ContentLength ?? 0, mtimeMs: head.LastModified?.getTime() ?? 0 };
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },
    async read(key, range?: ByteRange) {
      try {
        const got = await client.send(new GetObjectCommand({ Bucket, Key: checkKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
        const body = got.Body;
        if (!body) return null;
        return body instanceof Readable ? body : Readable.fromWeb((body as { transformToWebStream(): ReadableStream }).transformToWebStream() as never);
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },
    async readAll(key) {
      try {
        const got = await client.send(new GetObjectCommand({ Bucket, Key: checkKey(key) }));
        if (!got.Body) return null;
        return Buffer.from(await got.Body.transformToByteArray());
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },
    remove,
    removeFolder,
    copyFolder,
    async moveFolder(from, to) {
      await copyFolder(from, to);
      await removeFolder(from);
    },
    list,
    async folders(prefix, depth) {
      const start = folder(prefix).length;
      const latest = new Map<string, number>();
      for (const o of await list(prefix)) {
        const parts = o.key.slice(start).split("/");
        if (parts.length <= depth) continue; // an object at that level, not inside a folder
        const name = parts.slice(0, depth).join("/");
        latest.set(name, Math.max(latest.get(name) ?? 0, o.mtimeMs));
      }
      return [...latest].map(([name, mtimeMs]) => ({ name, mtimeMs }));
    },
  };
}
