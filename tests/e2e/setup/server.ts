/**
 * Starts the production build once for all browser tests: a fresh embedded database in a temporary
 * folder (or a fresh PostgreSQL database when E2E_DATABASE_URL is set), demo data, a free port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

let child: ChildProcess | undefined;
let tmp: string | undefined;

export default async function setup(project: TestProject) {
  const port = await freePort();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-e2e-"));
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = fs.createWriteStream(path.join(tmp, "server.log"));
  child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: path.join(tmp, "data"),
      UPLOADS_DIR: path.join(tmp, "uploads"),
      PUBLIC_URL: baseUrl,
      SEED_DEMO: "1",
      RATE_LIMIT_FACTOR: "20",
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${fs.readFileSync(path.join(tmp, "server.log"), "utf8")}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("server did not start within 240 s");
    await new Promise((r) => setTimeout(r, 300));
  }
  project.provide("baseUrl", baseUrl);
  project.provide("serverLog", path.join(tmp, "server.log"));
  return async () => {
    child?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    child?.kill("SIGKILL");
    if (tmp && !process.env.KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    serverLog: string;
  }
}
