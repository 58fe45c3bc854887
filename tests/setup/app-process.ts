/**
 * The production server (`server.ts` on the `build/` folder) as a real child process on a free
 * port: used by the browser tests, the benchmarks and the fault tests. The benchmarks and the
 * cluster test run it as `npm start` does — the bundled `build/server/index.js` with node alone
 * (CNNT_APP_ENTRY=bundle, set by their npm scripts after `npm run build`); the other suites run
 * `server.ts` through tsx, so a change to the server needs no extra build step.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

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
  /** PostgreSQL; without it the server opens an embedded database in `dataDir`. */
  databaseUrl?: string;
  uploadsDir: string;
  dataDir?: string;
  port?: number;
  seedDemo?: boolean;
  env?: Record<string, string>;
  startTimeoutMs?: number;
  /** Extra node flags (e.g. `--cpu-prof` for the benchmark's profile). */
  nodeArgs?: string[];
  /** `bundle`: build/server/index.js with node alone; `source`: server.ts through tsx. Default: CNNT_APP_ENTRY, else source. */
  entry?: "source" | "bundle";
}

const BUNDLE = "build/server/index.js";

function entryArgs(entry: "source" | "bundle"): string[] {
  if (entry === "source") return ["--import", "tsx", "server.ts"];
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first.`);
  return [BUNDLE];
}

/** Starts the production build (`build/`) as a child process and waits for /healthz to answer 200. */
export async function startApp(options: AppOptions): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  fs.mkdirSync(options.uploadsDir, { recursive: true });
  const entry = options.entry ?? (process.env.CNNT_APP_ENTRY === "bundle" ? "bundle" : "source");
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entryArgs(entry)], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: options.databaseUrl ?? "",
      DATA_DIR: options.dataDir ?? path.join(options.uploadsDir, "..", "data"),
      UPLOADS_DIR: options.uploadsDir,
      PUBLIC_URL: baseUrl,
      SEED_DEMO: options.seedDemo ? "1" : "0",
      RATE_LIMIT_FACTOR: "1000",
      // These processes get a scratch database of their own as its owner (they run migrations);
      // the restricted-role start is tested in tests/integration/roles.test.ts.
      ALLOW_OWNER_ROLE: options.databaseUrl ? "1" : "",
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

