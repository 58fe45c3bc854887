/**
 * Starts the production build once for all browser tests: a fresh embedded database in a temporary
 * folder (or PostgreSQL when E2E_DATABASE_URL is set), demo data, a free port.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

import { startApp } from "../../setup/app-process";

export default async function setup(project: TestProject) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-e2e-"));
  const app = await startApp({
    databaseUrl: process.env.E2E_DATABASE_URL,
    dataDir: path.join(tmp, "data"),
    uploadsDir: path.join(tmp, "uploads"),
    seedDemo: true,
    // A loaded machine seeds slowly: E2E_START_TIMEOUT_MS lets a run wait longer.
    startTimeoutMs: Number(process.env.E2E_START_TIMEOUT_MS ?? 240_000),
    // Every journey signs in from the same address.
    env: { RATE_LIMIT_FACTOR: "20" },
  });
  project.provide("baseUrl", app.baseUrl);
  return async () => {
    await app.stop();
    if (process.env.KEEP_E2E) fs.writeFileSync(path.join(tmp, "server.log"), app.log());
    else fs.rmSync(tmp, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
