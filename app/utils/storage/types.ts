/**
 * Where uploaded and generated files live (photos with their variants, documents, certificate and
 * commendation PDFs, previews): one interface, two backends — a local folder (`UPLOADS_DIR`, the
 * default) and S3-compatible object storage (`S3_ENDPOINT` + `S3_BUCKET`). Keys are relative paths
 * with forward slashes (`media/ab/abcdef…/640.webp`, `certificates/BK-2016-0001-….pdf`).
 */
import type { Readable } from "node:stream";

export interface StoredObject {
  /** The full key. */
  key: string;
  size: number;
  mtimeMs: number;
}

/** Inclusive byte positions, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface FileStorage {
  readonly kind: "local" | "s3";
  /**
   * Whether `moveFolder` is one atomic step (a rename on one file system). Object storage copies
   * each object, so callers write straight to the final keys there and rely on the stray sweep.
   */
  readonly atomicMove: boolean;
  /** Writes a whole object; a reader never sees a half-written one (local: temporary file + rename). */
  put(key: string, body: Buffer | Uint8Array, options?: { contentType?: string }): Promise<void>;
  /** Writes an object from a stream of known length (restores, large files). */
  putStream(key: string, body: Readable, size: number, options?: { contentType?: string }): Promise<void>;
  /** Size and modification time, or null when there is no such object. */
  stat(key: string): Promise<StoredObject | null>;
  /** A stream of the object's bytes (or of one range of them), or null when there is none. */
  read(key: string, range?: ByteRange): Promise<Readable | null>;
  /** The whole object in memory (for work that needs every byte: stamping, merging), or null. */
  readAll(key: string): Promise<Buffer | null>;
  /** Removes one object (nothing happens when it is absent). */
  remove(key: string): Promise<void>;
  /** Removes every object under `prefix/`. */
  removeFolder(prefix: string): Promise<void>;
  /** Copies every object under `from/` to the same names under `to/`. */
  copyFolder(from: string, to: string): Promise<void>;
  /** Moves every object under `from/` to `to/` (see `atomicMove`). */
  moveFolder(from: string, to: string): Promise<void>;
  /** Every object under `prefix/` (recursively), in no particular order. */
  list(prefix: string): Promise<StoredObject[]>;
  /**
   * The folders `depth` levels below `prefix/` (`media`, 2 → `ab/abcdef…`), each with the latest
   * modification time of what it holds (local: the folder's own time).
   */
  folders(prefix: string, depth: number): Promise<{ name: string; mtimeMs: number }[]>;
}

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/**
 * Refuses a key that could leave the storage root or name something odd: no `..`, no leading
 * slash or dot, no empty segment, only [A-Za-z0-9._-] in each segment.
 * @throws Error (a programming error: keys are made by the app, never taken from a request as is)
 */
export function checkKey(key: string): string {
  if (!KEY.test(key) || key.split("/").some((s) => s === "." || s === "..")) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  return key;
}
