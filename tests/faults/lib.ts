/**
 * Shared pieces of the fault tests (and the load bench): a fresh PostgreSQL database created and
 * dropped by the caller, the production server as a real child process that can be SIGKILLed and
 * started again on the same port, database and uploads folder, and the test process's own
 * connection to that database (the factories write through the models).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import postgres from "postgres";

import { openPostgres, setDatabase, type DatabaseHandle } from "../../app/utils/db.server";
import { type AppProcess, startApp } from "../setup/app-process";

export { type AppOptions, type AppProcess, freePort, startApp } from "../setup/app-process";

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A new, empty database on the local PostgreSQL; `drop()` removes it (closing its connections). */
export async function createScratchDatabase(
  prefix = "cnnt_fault",
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const a = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}

/** Opens the test process's own connection to the database and makes it the models' `db()`. */
export function useDatabase(url: string): DatabaseHandle {
  const handle = openPostgres(url, { max: 4 });
  setDatabase(handle);
  return handle;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file under a folder, as paths relative to it. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(root, full));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out.sort();
}

/** Sets the modification time of every folder and file under `root` to `ms` ago. */
export function age(root: string, ms: number) {
  const when = new Date(Date.now() - ms);
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    fs.utimesSync(p, when, when);
  };
  if (fs.existsSync(root)) walk(root);
}

/** The multipart photo upload of /facility/products/:id, as the no-JavaScript form sends it. */
export function photoForm(bytes: Buffer, fileName: string, type = "image/jpeg"): FormData {
  const form = new FormData();
  form.append("intent", "photos");
  form.append("photos", new Blob([new Uint8Array(bytes)], { type }), fileName);
  return form;
}

/**
 * A `?_data` POST the route acknowledged with its redirect-after-POST: Remix answers a data request's
 * redirect with 204 and `X-Remix-Redirect` (the page would follow it and show the toast).
 */
export function acknowledgedByRedirect(res: Response): boolean {
  return res.status === 204 && res.headers.has("x-remix-redirect");
}

export const PRODUCT_ROUTE_DATA = "routes/facility.products.$productId";
export const JURY_ROUTE_DATA = "routes/jury.entries.$entryId";

/** The folder a media id's files live in (uploads.server.ts `mediaDir`). */
export function mediaFolder(uploadsDir: string, id: string) {
  return path.join(uploadsDir, "media", id.slice(0, 2), id);
}

/** The files every stored photo has: the private original and 3 widths × 3 formats. */
export const PHOTO_FILES = [
  "original",
  ...[320, 640, 1280].flatMap((w) => ["webp", "avif", "jpg"].map((f) => `${w}.${f}`)),
].sort();

/** What every fault test runs against: a scratch database, a temporary uploads folder, the server. */
export interface FaultWorld {
  scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  tmp: string;
  uploadsDir: string;
  app: AppProcess;
  handle: DatabaseHandle;
}

export async function startFaultWorld(prefix: string, env: Record<string, string> = {}): Promise<FaultWorld> {
  const scratch = await createScratchDatabase();
  const tmp = tempDir(prefix);
  const uploadsDir = path.join(tmp, "uploads");
  const app = await startApp({ databaseUrl: scratch.url, uploadsDir, env });
  const handle = useDatabase(scratch.url);
  return { scratch, tmp, uploadsDir, app, handle };
}

/** Stops the server (the one running now: tests restart it), closes, drops and removes everything. */
export async function stopFaultWorld(world: Partial<FaultWorld>) {
  await world.app?.stop();
  await world.handle?.close().catch(() => {});
  await world.scratch?.drop();
  if (world.tmp) fs.rmSync(world.tmp, { recursive: true, force: true });
}
