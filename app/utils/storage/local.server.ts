/**
 * The local-folder backend: every key is a file under the root (UPLOADS_DIR). Writes go to a
 * temporary `*.tmp` file beside the target and are renamed into place; folders move by rename.
 */
import crypto from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { type ByteRange, checkKey, type FileStorage, type StoredObject } from "./types";

export function localStorage(root: string): FileStorage {
  const base = path.resolve(root);
  const full = (key: string) => {
    const p = path.resolve(base, checkKey(key));
    if (!p.startsWith(base + path.sep)) throw new Error("storage key outside the uploads folder");
    return p;
  };
  const temp = (target: string) => `${target}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  const missing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";

  async function walk(dir: string, out: StoredObject[]) {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error) => {
      if (missing(error)) return [];
      throw error;
    });
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p, out);
      else if (e.isFile()) {
        const st = await fs.stat(p).catch(() => null);
        if (st) out.push({ key: path.relative(base, p).split(path.sep).join("/"), size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  }

  return {
    kind: "local",
    atomicMove: true,
    async put(key, body) {
      const target = full(key);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const tmp = temp(target);
      try {
        await fs.writeFile(tmp, body);
        await fs.rename(tmp, target);
      } catch (error) {
        await fs.rm(tmp, { force: true });
        throw error;
      }
    },
    async putStream(key, body: Readable) {
      const target = full(key);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const tmp = temp(target);
      try {
        await pipeline(body, createWriteStream(tmp));
        await fs.rename(tmp, target);
      } catch (error) {
        await fs.rm(tmp, { force: true });
        throw error;
      }
    },
    async stat(key) {
      const st = await fs.stat(full(key)).catch((error) => {
        if (missing(error) || (error as NodeJS.ErrnoException).code === "ENOTDIR") return null;
        throw error;
      });
      return st?.isFile() ? { key, size: st.size, mtimeMs: st.mtimeMs } : null;
    },
    async read(key, range?: ByteRange) {
      const p = full(key);
      // Open first, so a missing file is a null here rather than an error in the middle of a response.
      const handle = await fs.open(p, "r").catch((error) => {
        if (missing(error)) return null;
        throw error;
      });
      if (!handle) return null;
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async readAll(key) {
      return fs.readFile(full(key)).catch((error) => {
        if (missing(error)) return null;
        throw error;
      });
    },
    async remove(key) {
      await fs.rm(full(key), { force: true });
    },
    async removeFolder(prefix) {
      await fs.rm(full(prefix), { recursive: true, force: true });
    },
    async copyFolder(from, to) {
      const target = full(to);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.cp(full(from), target, { recursive: true });
    },
    async moveFolder(from, to) {
      const target = full(to);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(full(from), target);
    },
    async list(prefix) {
      const out: StoredObject[] = [];
      await walk(prefix ? full(prefix) : base, out);
      return out;
    },
    async folders(prefix, depth) {
      const out: { name: string; mtimeMs: number }[] = [];
      const visit = async (rel: string, level: number) => {
        const dir = rel ? path.join(full(prefix), rel) : full(prefix);
        const names = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
        for (const e of names) {
          if (!e.isDirectory()) continue;
          const name = rel ? `${rel}/${e.name}` : e.name;
          if (level + 1 < depth) await visit(name, level + 1);
          else {
            const st = await fs.stat(path.join(dir, e.name)).catch(() => null);
            if (st) out.push({ name, mtimeMs: st.mtimeMs });
          }
        }
      };
      await visit("", 0);
      return out;
    },
  };
}
