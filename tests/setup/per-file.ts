import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";

import { setDatabase, type DatabaseHandle } from "../../app/utils/db.server";
import { resetEnv } from "../../app/utils/env.server";
import { openTestDatabase } from "./db";

let handle: DatabaseHandle;
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-uploads-"));

beforeAll(async () => {
  process.env.UPLOADS_DIR = uploads;
  process.env.PUBLIC_URL = "http://localhost:3000";
  resetEnv();
  handle = await openTestDatabase();
  setDatabase(handle);
});

afterAll(async () => {
  await handle?.close();
  setDatabase(undefined);
  fs.rmSync(uploads, { recursive: true, force: true });
});

// Any console.error is a defect the test must see (Epic Stack's rule): it fails the test.
let errorSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errorSpy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error was called: ${args.map(String).join(" ")}`);
  });
});
afterEach(() => {
  errorSpy.mockRestore();
});
