/**
 * Backups of the database and the uploaded files.
 *   npm run backup [-- <folder>]          → backups/<timestamp>/ (or <folder>)
 *   npm run restore -- <folder> [--force]
 * PostgreSQL (DATABASE_URL): pg_dump custom format / pg_restore. Embedded PGlite: a data-dir dump
 * (the server must be stopped: PGlite allows one process per folder). Uploads are copied as files
 * with a manifest of sha256 sums, checked on restore; they are read from and restored to the
 * configured storage (UPLOADS_DIR, or the S3 bucket when S3_ENDPOINT and S3_BUCKET are set).
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";

import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";

import { type FileStorage, localStorage } from "../app/utils/storage/index.server";

export interface BackupTarget {
  databaseUrl?: string;
  dataDir: string;
  uploadsDir: string;
  /** Where the uploaded files live (S3 or a folder); default the local folder `uploadsDir`. */
  storage?: FileStorage;
}

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

export async function backup(target: BackupTarget, folder: string) {
  fs.mkdirSync(folder, { recursive: true });
  if (target.databaseUrl) {
    execFileSync("pg_dump", ["--format=custom", "--no-owner", "--file", path.join(folder, "database.dump"), target.databaseUrl], { stdio: "inherit" });
  } else {
    if (!fs.existsSync(target.dataDir)) throw new Error(`Không có cơ sở dữ liệu tại ${target.dataDir}`);
    const client = await PGlite.create(target.dataDir, { extensions: { unaccent, pg_trgm } });
    const dump = await client.dumpDataDir("gzip");
    await client.close();
    fs.writeFileSync(path.join(folder, "pglite-data.tar.gz"), Buffer.from(await dump.arrayBuffer()));
  }
  // Every stored object, streamed from the storage (local folder or S3) into uploads/<key>.
  const store = target.storage ?? localStorage(target.uploadsDir);
  const files = (await store.list("")).map((o) => o.key).sort();
  const manifest: Record<string, string> = {};
  for (const key of files) {
    const dest = path.join(folder, "uploads", ...key.split("/"));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const body = await store.read(key);
    if (!body) continue; // removed meanwhile (a stray file swept)
    await pipeline(body, fs.createWriteStream(dest));
    manifest[key] = sha256(dest);
  }
  fs.writeFileSync(
    path.join(folder, "manifest.json"),
    JSON.stringify({ createdAt: new Date().toISOString(), kind: target.databaseUrl ? "postgres" : "pglite", files: manifest }, null, 2),
  );
  return { files: files.length };
}

export async function restore(target: BackupTarget, folder: string, options: { force?: boolean } = {}) {
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, "manifest.json"), "utf8")) as { kind: string; files: Record<string, string> };
  if (target.databaseUrl) {
    if (manifest.kind !== "postgres") throw new Error("Bản sao lưu này của cơ sở dữ liệu nhúng (PGlite), không khôi phục vào PostgreSQL được.");
    execFileSync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--dbname", target.databaseUrl, path.join(folder, "database.dump")], { stdio: "inherit" });
    // The restore's rows fire no trigger: running servers are told that everything they hold in
    // memory (public state, signed-in users) may have changed.
    execFileSync("psql", ["--no-psqlrc", "--quiet", "--dbname", target.databaseUrl, "--command", "select pg_notify('cnnt_sessions', '*'), pg_notify('cnnt_public_state', 'restore')"], { stdio: "ignore" });
  } else {
    if (manifest.kind !== "pglite") throw new Error("Bản sao lưu này của PostgreSQL; đặt DATABASE_URL để khôi phục.");
    if (fs.existsSync(target.dataDir) && fs.readdirSync(target.dataDir).length > 0) {
      if (!options.force) throw new Error(`Thư mục ${target.dataDir} đã có dữ liệu; thêm --force để ghi đè.`);
      fs.rmSync(target.dataDir, { recursive: true, force: true });
    }
    fs.mkdirSync(target.dataDir, { recursive: true });
    const blob = new Blob([fs.readFileSync(path.join(folder, "pglite-data.tar.gz"))]);
    const client = await PGlite.create(target.dataDir, { loadDataDir: blob, extensions: { unaccent, pg_trgm } });
    await client.query("select 1");
    await client.close();
  }
  const store = target.storage ?? localStorage(target.uploadsDir);
  for (const [rel, sum] of Object.entries(manifest.files)) {
    const src = path.join(folder, "uploads", ...rel.split(/[\\/]/));
    if (sha256(src) !== sum) throw new Error(`Tệp ${rel} trong bản sao lưu bị hỏng (sai mã sha256).`);
    await store.putStream(rel.split(path.sep).join("/"), fs.createReadStream(src), fs.statSync(src).size);
  }
  return { files: Object.keys(manifest.files).length };
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { env } = await import("../app/utils/env.server");
  const config = env();
  const { storage } = await import("../app/utils/storage/index.server");
  const target = { databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, uploadsDir: config.uploadsDir, storage: storage() };
  const folder = rest.find((a) => !a.startsWith("--"));
  if (command === "backup") {
    const out = path.resolve(folder ?? path.join("backups", new Date().toISOString().replace(/[:.]/g, "-")));
    const { files } = await backup(target, out);
    console.log(`Đã sao lưu cơ sở dữ liệu và ${files} tệp vào ${out}`);
  } else if (command === "restore" && folder) {
    const { files } = await restore(target, path.resolve(folder), { force: rest.includes("--force") });
    console.log(`Đã khôi phục cơ sở dữ liệu và ${files} tệp từ ${folder}`);
  } else {
    console.log("Cách dùng: npm run backup [-- <thư mục>] | npm run restore -- <thư mục> [--force]");
    process.exit(2);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
