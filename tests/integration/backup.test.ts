/** A backup restored into an empty database holds every row and every file. */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";

import { createUser } from "../../app/models/account/user.server";
import { recordAudit } from "../../app/models/shared/audit.server";
import { type Database, type DatabaseHandle, databaseHandle, openPglite, openPostgres, rowsOf, setDatabase } from "../../app/utils/db.server";
import { backup, restore } from "../../db/backup";
import { prepareDatabase } from "../../db/migrate";
import { postgresTemplateName, withDatabase } from "../setup/template";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-backup-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function tableCounts(database: Database) {
  const tables = rowsOf<{ table_name: string }>(
    await database.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`),
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) {
    out[table_name] = rowsOf<{ n: number }>(await database.execute(sql.raw(`select count(*)::int as n from "${table_name}"`)))[0].n;
  }
  return out;
}

async function fillWithData(handle: DatabaseHandle, uploads: string) {
  const original = databaseHandle();
  setDatabase(handle);
  try {
    await createUser({ email: "sao-luu@example.vn", password: "mot-mat-khau-dai", fullName: "Người Sao Lưu" });
    await recordAudit({ actorId: null, action: "backup.test", entity: "test", entityId: 1, after: { tên: "Đặng Thị Ánh" } });
  } finally {
    setDatabase(original);
  }
  fs.mkdirSync(path.join(uploads, "media", "ab"), { recursive: true });
  fs.writeFileSync(path.join(uploads, "media", "ab", "anh.webp"), crypto.randomBytes(50_000));
  fs.writeFileSync(path.join(uploads, "ho-so.pdf"), "%PDF-1.7\n% thử\n");
}

function sameFiles(a: string, b: string) {
  const list = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)).map((x) => path.join(e.name, x)) : [e.name]));
  const files = list(a).sort();
  expect(list(b).sort()).toEqual(files);
  for (const f of files) expect(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f)))).toBe(true);
  return files.length;
}

describe("backup and restore", () => {
  it("embedded database: restores every row and file into an empty folder", async () => {
    const src = { dataDir: path.join(tmp, "src-data"), uploadsDir: path.join(tmp, "src-uploads") };
    const handle = await openPglite(src.dataDir);
    await prepareDatabase(handle);
    await fillWithData(handle, src.uploadsDir);
    const before = await tableCounts(handle.db);
    await handle.close();

    await backup(src, path.join(tmp, "b1"));
    const dst = { dataDir: path.join(tmp, "dst-data"), uploadsDir: path.join(tmp, "dst-uploads") };
    await restore(dst, path.join(tmp, "b1"));
    const restored = await openPglite(dst.dataDir);
    expect(await tableCounts(restored.db)).toEqual(before);
    const [row] = rowsOf<{ after: { tên: string } }>(await restored.db.execute(sql`select after from audit_events where action = 'backup.test'`));
    expect(row.after.tên).toBe("Đặng Thị Ánh");
    await restored.close();
    expect(sameFiles(src.uploadsDir, dst.uploadsDir)).toBe(2);
    // A restore never overwrites a database silently.
    await expect(restore(dst, path.join(tmp, "b1"))).rejects.toThrow(/đã có dữ liệu/);
  }, 120_000);

  it.runIf(!!process.env.DATABASE_URL)("PostgreSQL: pg_dump, then pg_restore into an empty database", async () => {
    const url = process.env.DATABASE_URL!;
    const suffix = crypto.randomBytes(4).toString("hex");
    const [srcName, dstName] = [`cnnt_t_bk_src_${suffix}`, `cnnt_t_bk_dst_${suffix}`];
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${srcName}" template "${postgresTemplateName()}"`);
    await admin.unsafe(`create database "${dstName}"`);
    try {
      const src = { databaseUrl: withDatabase(url, srcName), dataDir: "", uploadsDir: path.join(tmp, "pg-src-uploads") };
      const handle = openPostgres(src.databaseUrl, { max: 1 });
      await fillWithData(handle, src.uploadsDir);
      const before = await tableCounts(handle.db);
      await handle.close();

      await backup(src, path.join(tmp, "b2"));
      const dst = { databaseUrl: withDatabase(url, dstName), dataDir: "", uploadsDir: path.join(tmp, "pg-dst-uploads") };
      await restore(dst, path.join(tmp, "b2"));
      const restored = openPostgres(dst.databaseUrl, { max: 1 });
      expect(await tableCounts(restored.db)).toEqual(before);
      await restored.close();
      expect(sameFiles(src.uploadsDir, dst.uploadsDir)).toBe(2);
    } finally {
      for (const n of [srcName, dstName]) await admin.unsafe(`drop database if exists "${n}" with (force)`);
      await admin.end();
    }
  }, 120_000);
});
