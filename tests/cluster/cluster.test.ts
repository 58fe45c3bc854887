/**
 * The deployment of deploy/ on loopback (`npm run test:cluster`, issue 18 §3): Debian's nginx with
 * deploy/nginx-cnnt.conf in front of two app processes, a scratch PostgreSQL database reached as
 * the restricted app role (migrations as the owner), and S3-compatible storage — the environment's
 * S3_* when given, else s3rver started here — with an uploads folder of its own for each process
 * (no shared disk, as on two machines). Checks: an upload through one process is served through the
 * other, from the bucket, and nothing reaches either local folder; a revocation through one is seen
 * through the other within 1 s; SIGKILL of the process running a certificate batch → the other
 * finishes it, no certificate issued or recorded twice, every PDF in the bucket; a sign-in limit
 * holds across both.
 */
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openPostgres, rowsOf, setDatabase, type DatabaseHandle } from "../../app/utils/db.server";
import { type FileStorage, s3Storage } from "../../app/utils/storage/index.server";
import { mediaFileKey } from "../../app/utils/uploads.server";
import { certificates, jobs, media } from "../../db/schema";
import { createOfficer, createTestDecision } from "../factories/commendation";
import { createTestFacility, createTestProduct, fixture } from "../factories/facility";
import { createTestUser } from "../factories/index";
import { createPublishedRound, type ProductSpec } from "../factories/published";
import { type AppProcess, freePort, startApp } from "../setup/app-process";
import { startS3 } from "../setup/s3";

const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const OWNER_ROLE = "cnnt_test_owner";
const APP_ROLE = "cnnt_test_app";
const PRODUCT_ROUTE_DATA = "routes/facility.products.$productId";

let tmp: string;
let dbName: string;
let handle: DatabaseHandle;
const apps: AppProcess[] = [];
let nginx: ChildProcess | undefined;
let proxyUrl: string;
let storage: { source: string; env: Record<string, string>; bucket: FileStorage; stop(): Promise<void> };
let appEnv: Record<string, string>;
let appUrl: string;

const urlAs = (user: string, database: string) => {
  const u = new URL(PG_ADMIN_URL);
  u.username = user;
  u.password = "";
  u.pathname = `/${database}`;
  return u.toString();
};

async function ensureRole(admin: postgres.Sql, name: string) {
  const [exists] = await admin`select 1 from pg_roles where rolname = ${name}`;
  if (exists) return;
  await admin
    .unsafe(`create role "${name}" login nosuperuser nocreatedb nocreaterole noreplication`)
    .catch((error: { code?: string }) => {
      if (error.code !== "42710" && error.code !== "23505") throw error;
    });
}

/**
 * The processes' shared storage: the environment's S3-compatible bucket when S3_ENDPOINT and
 * S3_BUCKET are given (with the rest of its S3_*), else s3rver started here on loopback.
 */
async function startStorage(): Promise<typeof storage> {
  const bucketOf = (env: Record<string, string>) =>
    s3Storage({
      endpoint: env.S3_ENDPOINT,
      bucket: env.S3_BUCKET,
      region: env.S3_REGION ?? "us-east-1",
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: !["0", "false"].includes(env.S3_FORCE_PATH_STYLE ?? ""),
    });
  if (process.env.S3_ENDPOINT && process.env.S3_BUCKET) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith("S3_") && v !== undefined)) as Record<string, string>;
    return { source: `the environment's S3 ${env.S3_ENDPOINT} bucket ${env.S3_BUCKET}`, env, bucket: bucketOf(env), stop: async () => {} };
  }
  const s3 = await startS3("cnnt-cluster");
  return { source: `s3rver ${s3.endpoint} started here`, env: s3.env, bucket: bucketOf(s3.env), stop: () => s3.stop() };
}

/** Every file under a local folder (none is expected: the files live in the bucket). */
const localFiles = (root: string): string[] =>
  fs.existsSync(root)
    ? fs
        .readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => path.join(d.parentPath, d.name))
    : [];

/** deploy/nginx-cnnt.conf with the two app ports and a loopback port, inside a minimal main config. */
function nginxConfig(dir: string, listenPort: number, upstreamPorts: number[]) {
  let site = fs.readFileSync("deploy/nginx-cnnt.conf", "utf8");
  const servers = [...site.matchAll(/^\s*server 127\.0\.0\.1:\d+ .*;$/gm)];
  expect(servers).toHaveLength(2);
  servers.forEach((m, i) => (site = site.replace(m[0], m[0].replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${upstreamPorts[i]}`))));
  site = site.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${listenPort};`);
  const n = path.join(dir, "nginx");
  fs.mkdirSync(n, { recursive: true, mode: 0o777 });
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(n, 0o777);
  fs.writeFileSync(path.join(n, "cnnt.conf"), site);
  fs.writeFileSync(
    path.join(n, "nginx.conf"),
    `daemon off;
worker_processes 1;
pid ${n}/nginx.pid;
error_log ${n}/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path ${n}/body;
    proxy_temp_path ${n}/proxy;
    fastcgi_temp_path ${n}/fastcgi;
    uwsgi_temp_path ${n}/uwsgi;
    scgi_temp_path ${n}/scgi;
    include ${n}/cnnt.conf;
}
`,
  );
  return n;
}

async function startNginx(dir: string, port: number, upstreamPorts: number[]) {
  const n = nginxConfig(dir, port, upstreamPorts);
  const child = spawn("/usr/sbin/nginx", ["-p", n, "-c", path.join(n, "nginx.conf"), "-e", path.join(n, "error.log")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${out}\n${fs.readFileSync(path.join(n, "error.log"), "utf8")}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.end(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) throw new Error(`nginx did not listen: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-cluster-"));
  dbName = `cnnt_cluster_${crypto.randomBytes(4).toString("hex")}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await ensureRole(admin, OWNER_ROLE);
    await ensureRole(admin, APP_ROLE);
    await admin.unsafe(`create database "${dbName}" owner "${OWNER_ROLE}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  storage = await startStorage();
  const ports = [await freePort(), await freePort()];
  const proxyPort = await freePort();
  proxyUrl = `http://127.0.0.1:${proxyPort}`;
  appUrl = urlAs(APP_ROLE, dbName);
  appEnv = {
    // The production set-up: the app as the restricted role, migrations as the owner.
    MIGRATION_DATABASE_URL: urlAs(OWNER_ROLE, dbName),
    ALLOW_OWNER_ROLE: "",
    PUBLIC_URL: proxyUrl,
    TRUST_PROXY: "loopback",
    RATE_LIMIT_FACTOR: "1",
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    // A short lease, so the takeover after SIGKILL fits in a test (the default is 60 s).
    JOB_LEASE_SECONDS: "6",
    JOB_MAINTENANCE_SECONDS: "1",
    ...storage.env,
  };
  // Each process has a folder of its own (no shared disk): what one stores, the other finds only in the bucket.
  const uploads = (i: number) => path.join(tmp, `uploads-${i + 1}`);
  // The first one migrates; the second finds it done.
  for (const i of [0, 1]) apps.push(await startApp({ databaseUrl: appUrl, uploadsDir: uploads(i), port: ports[i], env: appEnv }));
  nginx = await startNginx(tmp, proxyPort, ports);
  handle = openPostgres(appUrl, { max: 4 });
  setDatabase(handle);
  console.log(
    `cluster: nginx ${proxyUrl} → ${apps.map((a) => a.baseUrl).join(", ")}; storage: ${storage.source}, uploads folders ${apps.map((a) => a.uploadsDir).join(", ")}`,
  );
}, 240_000);

afterAll(async () => {
  nginx?.kill("SIGTERM");
  for (const a of apps) await a.stop().catch(() => {});
  await handle?.close().catch(() => {});
  await storage?.stop().catch(() => {});
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`).catch(() => {});
  await admin.end({ timeout: 5 });
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("two app processes behind nginx", () => {
  it("answers through nginx from both processes, as the restricted role", async () => {
    for (const base of [proxyUrl, ...apps.map((a) => a.baseUrl)]) {
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(200);
    }
    const [me] = rowsOf<{ me: string }>(await handle.db.execute(sql`select current_user as me`));
    expect(me.me).toBe(APP_ROLE);
    // Both processes hold connections to the database, each named after its pid.
    const names = rowsOf<{ name: string }>(
      await handle.db.execute(
        sql`select distinct application_name as name from pg_stat_activity where datname = current_database()`,
      ),
    ).map((r) => r.name);
    for (const a of apps) expect(names).toContain(`cnnt-${a.child.pid}`);
  });

  it("an upload through one process is served through the other, from the bucket; neither keeps it on its disk", async () => {
    const owner = await createTestUser({ roles: ["facility"] });
    const facility = await createTestFacility(owner.id);
    const product = await createTestProduct(owner.id, facility.id, { name: "Sản phẩm tải qua tiến trình một" });
    const body = new FormData();
    body.append("intent", "photos");
    body.append("photos", new Blob([new Uint8Array(fixture("camera-landscape.jpg"))], { type: "image/jpeg" }), "anh.jpg");
    const [one, two] = apps;
    const res = await fetch(`${one.baseUrl}/facility/products/${product.id}?_data=${encodeURIComponent(PRODUCT_ROUTE_DATA)}`, {
      method: "POST",
      headers: { Cookie: owner.cookie, Origin: one.baseUrl },
      body,
    });
    // Stored, then redirect-after-POST (204 with X-Remix-Redirect to a data request).
    expect([200, 204], await res.clone().text()).toContain(res.status);
    const [row] = await handle.db.select().from(media).where(eq(media.productId, product.id));
    expect(row).toBeTruthy();
    const viaOne = await fetch(`${one.baseUrl}/files/${row.id}/640.webp`, { headers: { Cookie: owner.cookie } });
    const viaTwo = await fetch(`${two.baseUrl}/files/${row.id}/640.webp`, { headers: { Cookie: owner.cookie } });
    const viaProxy = await fetch(`${proxyUrl}/files/${row.id}/640.webp`, { headers: { Cookie: owner.cookie } });
    expect([viaOne.status, viaTwo.status, viaProxy.status]).toEqual([200, 200, 200]);
    const bytes = Buffer.from(await viaOne.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(1000);
    expect(Buffer.from(await viaTwo.arrayBuffer()).equals(bytes)).toBe(true);
    expect(Buffer.from(await viaProxy.arrayBuffer()).equals(bytes)).toBe(true);
    // In the bucket, and on neither process's disk.
    expect(await storage.bucket.stat(mediaFileKey(row.id, "640.webp"))).toBeTruthy();
    for (const a of apps) expect(localFiles(a.uploadsDir), a.uploadsDir).toEqual([]);
    console.log(`upload via ${one.port}, served via ${two.port}: ${bytes.length} bytes, ${storage.source}`);
  });

  it("a revocation through one process is seen through the other within 1 s", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: 2, issue: true });
    const rows = rowsOf<{ recipient_id: number; code: string }>(
      await handle.db.execute(
        sql`select c.recipient_id, c.code from certificates c join commendation_recipients r on r.id = c.recipient_id where r.decision_id = ${d.id} order by c.id`,
      ),
    );
    const [one, two] = apps;
    const status = async () =>
      ((await (await fetch(`${two.baseUrl}/api/v1/certificates/${rows[0].code}`)).json()) as { status: string }).status;
    // The other process has served (and may have memoised) the valid certificate.
    expect(await status()).toBe("valid");
    const res = await fetch(`${one.baseUrl}/ministry/decisions/${d.id}`, {
      method: "POST",
      headers: { Cookie: officer.cookie, Origin: one.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: form({
        intent: "revoke",
        recipientId: String(rows[0].recipient_id),
        reason: "Thu hồi để kiểm tra hai tiến trình",
        confirm: "1",
      }),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    const revokedAt = Date.now();
    let seen = await status();
    while (seen !== "revoked" && Date.now() - revokedAt < 1000) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await status();
    }
    const ms = Date.now() - revokedAt;
    expect(seen).toBe("revoked");
    expect(ms).toBeLessThan(1000);
    const page = await (await fetch(`${two.baseUrl}/verify/${rows[0].code}`)).text();
    expect(page).toMatch(/thu hồi/i);
    console.log(`revocation via ${one.port} seen via ${two.port} after ${ms} ms`);
  });

  it("a sign-in limit holds across both processes", async () => {
    const [one, two] = apps;
    let n = 0;
    // The express limit's refusal (a plain-text 429 with Retry-After), not the sign-in form's own
    // per-account lock: each attempt names another (unknown) address.
    const attempt = async (base: string) => {
      const r = await fetch(`${base}/login`, {
        method: "POST",
        headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
        body: form({ email: `khong-co-${++n}@demo.cnnt.vn`, password: "sai-mat-khau-123" }),
        redirect: "manual",
      });
      const text = await r.text();
      return r.status === 429 && r.headers.get("retry-after") && /quá nhiều lần/.test(text) && !/<html/i.test(text)
        ? "limited"
        : String(r.status);
    };
    // 30 sign-ins per 5 minutes per client: 15 through each process are all let through …
    const statuses: string[] = [];
    for (let i = 0; i < 30; i++) statuses.push(await attempt(i % 2 ? two.baseUrl : one.baseUrl));
    expect(statuses.filter((s) => s === "limited")).toEqual([]);
    // … and the 31st is refused by either, and through nginx (which forwards the same client).
    expect(await attempt(one.baseUrl)).toBe("limited");
    expect(await attempt(two.baseUrl)).toBe("limited");
    expect(await attempt(proxyUrl)).toBe("limited");
  });

  it("SIGKILL of the process running a certificate batch: the other finishes it, nothing issued or rendered twice", async () => {
    const specs: ProductSpec[] = Array.from({ length: 30 }, (_, i) => ({
      name: `Sản phẩm cụm số ${i + 1}`,
      facility: `Cơ sở cụm số ${i + 1}`,
      province: ["Ninh Bình", "Hà Nội", "Hải Phòng"][i % 3],
      groupNo: (i % 4) + 1,
      meanScore: 95 - i / 2,
      photos: 0,
    }));
    const { round, products } = await createPublishedRound({ products: specs });
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const target = `round:${round.id}`;
    const startedAt = Date.now();
    const res = await fetch(`${proxyUrl}/organizer/rounds/${round.slug}/certificates`, {
      method: "POST",
      headers: { Cookie: organizer.cookie, Origin: proxyUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    const jobOf = async () => (await handle.db.select().from(jobs).where(eq(jobs.target, target)))[0];

    // Who holds the batch's advisory lock now (pg_locks → pg_stat_activity.application_name → pid).
    const holder = async (id: number) => {
      const [row] = rowsOf<{ name: string }>(
        await handle.db.execute(sql`
          select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and l.granted and l.objsubid = 1
            and ((l.classid::bigint << 32) | l.objid::bigint) = hashtext(${`batch:${id}`})::bigint`),
      );
      const pid = Number(/^cnnt-(\d+)$/.exec(row?.name ?? "")?.[1]);
      return apps.find((a) => a.child.pid === pid);
    };
    let job = await jobOf();
    let running: AppProcess | undefined;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      job = await jobOf();
      if (job && job.done >= 3 && job.status === "running") {
        running = await holder(job.id);
        if (running) break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(running, `no process held the batch: ${JSON.stringify(job)}`).toBeTruthy();
    await running!.kill();
    const killedAt = Date.now();
    job = await jobOf();
    const doneAtKill = job.done;
    expect(job.status).toBe("running");
    expect(doneAtKill).toBeLessThan(products.length);
    const survivor = apps.find((a) => a !== running)!;

    const finish = Date.now() + 120_000;
    while (job.status === "running" || job.status === "queued") {
      if (Date.now() > finish) throw new Error(`batch did not finish: ${JSON.stringify(job)}\n${survivor.log().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
      job = await jobOf();
    }
    const tookMs = Date.now() - killedAt;
    expect(job.status).toBe("done");
    expect(job.done).toBe(products.length);
    expect(await handle.db.select().from(jobs).where(eq(jobs.target, target))).toHaveLength(1);
    const certs = await handle.db.select().from(certificates).where(eq(certificates.roundId, round.id));
    expect(certs).toHaveLength(products.length);
    expect(new Set(certs.map((c) => c.entryId)).size).toBe(products.length);
    expect(new Set(certs.map((c) => c.serial)).size).toBe(products.length);
    for (const c of certs) expect(c.pdfKey, c.serial).toBeTruthy();
    // Every recorded PDF is in the bucket, and downloads through the survivor.
    const recorded = new Set(certs.map((c) => c.pdfKey!));
    for (const k of recorded) expect(await storage.bucket.stat(k), k).toBeTruthy();
    const pdf = await fetch(`${survivor.baseUrl}/certificates/by-code/${certs[0].code}.pdf`);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    // At most the one render the SIGKILL cut off is left unrecorded (the hourly sweep removes it):
    // among this batch's PDFs (its serials, written since it was started — a bucket of the
    // environment may hold earlier runs' files).
    const serials = certs.map((c) => `certificates/${c.serial.replace(/[^A-Za-z0-9-]/g, "_")}-`);
    const unrecorded = (await storage.bucket.list("certificates")).filter(
      (o) => o.key.endsWith(".pdf") && serials.some((p) => o.key.startsWith(p)) && o.mtimeMs >= startedAt - 60_000 && !recorded.has(o.key),
    );
    expect(unrecorded.length, unrecorded.map((o) => o.key).join(", ")).toBeLessThanOrEqual(1);
    for (const a of apps) expect(localFiles(a.uploadsDir), a.uploadsDir).toEqual([]);
    expect(survivor.log()).toMatch(new RegExp(`Lượt phát hành ${job.id}: tiến trình ${survivor.child.pid}`));
    console.log(
      `SIGKILL of ${running!.port} (pid ${running!.child.pid}) at ${doneAtKill}/${products.length}; ${survivor.port} finished ${job.done}/${job.total} ${(tookMs / 1000).toFixed(1)} s later (lease ${appEnv.JOB_LEASE_SECONDS} s)`,
    );
    // Bring the killed one back on the same port for whatever runs after.
    const i = apps.indexOf(running!);
    apps[i] = await startApp({ databaseUrl: appUrl, uploadsDir: running!.uploadsDir, port: running!.port, env: appEnv });
  });

  it("WEB_CONCURRENCY=2 on PostgreSQL runs two workers on one port; PGlite stays one process and says so", async () => {
    const clustered = await startApp({
      databaseUrl: appUrl,
      uploadsDir: path.join(tmp, "uploads-3"),
      env: { ...appEnv, WEB_CONCURRENCY: "2" },
    });
    try {
      const pids = new Set<number>();
      const deadline = Date.now() + 30_000;
      while (pids.size < 2 && Date.now() < deadline) {
        for (const m of clustered.log().matchAll(/tiến trình (\d+)\); PUBLIC_URL/g)) pids.add(Number(m[1]));
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(clustered.log()).toMatch(/Chạy 2 tiến trình \(WEB_CONCURRENCY=2\) trên PostgreSQL/);
      expect(pids.size).toBe(2);
      expect((await fetch(`${clustered.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await clustered.stop();
    }
    const embedded = await startApp({
      uploadsDir: path.join(tmp, "pglite-uploads"),
      dataDir: path.join(tmp, "pglite-data"),
      env: { WEB_CONCURRENCY: "2" },
    });
    try {
      expect(embedded.log()).toMatch(
        /WEB_CONCURRENCY=2: cơ sở dữ liệu nhúng PGlite chỉ mở được trong một tiến trình, máy chủ chạy 1 tiến trình/,
      );
      expect(embedded.log()).toMatch(/đang chạy tại .*\(PGlite /);
    } finally {
      await embedded.stop();
    }
  });
});
