/**
 * Shared pieces of the fault tests (and the load bench): a fresh PostgreSQL database created and
 * dropped by the caller, the production server as a real child process that can be SIGKILLed and
 * started again on the same port, database and uploads folder, and the test process's own
 * connection to that database (the factories write through the models).
 */
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import postgres from "postgres";

import { openPostgres, setDatabase, type DatabaseHandle } from "../../app/utils/db.server";

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

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

export interface AppProcess {
  baseUrl: string;
  port: number;
  uploadsDir: string;
  child: ChildProcess;
  /** Everything the server printed (stdout and stderr). */
  log(): string;
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then SIGKILL after 3 s. */
  stop(): Promise<void>;
}

export interface AppOptions {
  databaseUrl: string;
  uploadsDir: string;
  port?: number;
  seedDemo?: boolean;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

/** Starts the production build (`build/`) as a child process and waits for /healthz to answer 200. */
export async function startApp(options: AppOptions): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  fs.mkdirSync(options.uploadsDir, { recursive: true });
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: path.join(options.uploadsDir, "..", "data"),
      UPLOADS_DIR: options.uploadsDir,
      PUBLIC_URL: baseUrl,
      SEED_DEMO: options.seedDemo ? "1" : "0",
      RATE_LIMIT_FACTOR: "1000",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited during start:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    port,
    uploadsDir: options.uploadsDir,
    child,
    log: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
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
