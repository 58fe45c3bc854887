/**
 * A CommonJS library loaded the first time it is used, not when the server starts (issue 18: the
 * memory of each worker). exceljs, fontkit, pdf-lib, qrcode, mailchecker, nodemailer and jszip were
 * ~27 MB of the ~47 MB of live heap that importing the Remix build left in every process, for
 * exports, imports, PDFs, mail and votes that most requests never make; V8's collector marks that
 * heap again on every full collection, and a process's memory limit is a multiple of it. Loaded
 * synchronously (`require`), so their callers keep their shape.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export function onFirstUse<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
