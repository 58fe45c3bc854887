/**
 * Issue 18, item 1, across processes: two real server processes on one PostgreSQL database, each
 * with its page cache and in-memory public state. A revocation, a reopening and a publication made
 * elsewhere (here by the test's own connection, as a third process would) are served by both
 * processes within 1 second — through NOTIFY/LISTEN, not a timer. PostgreSQL only (PGlite is one
 * process per data folder).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { databaseHandle, db } from "../../app/utils/db.server";
import { rounds } from "../../db/schema";
import { createPublishedRound, reopenRound, revokeCertificate, SAMPLE_PRODUCTS } from "../factories/published";
import { type AppProcess, startApp } from "../setup/app-process";
import { ownerDatabaseUrl } from "../setup/db";

const onPostgres = Boolean(process.env.DATABASE_URL);
const apps: AppProcess[] = [];
let root: string;
let published: Awaited<ReturnType<typeof createPublishedRound>>;

beforeAll(async () => {
  if (!onPostgres) return;
  published = await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(0, 2) });
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-two-"));
  const env = { NODE_ENV: "test", MIGRATION_DATABASE_URL: ownerDatabaseUrl()! };
  for (const name of ["a", "b"]) {
    apps.push(await startApp({ databaseUrl: databaseHandle().url, uploadsDir: path.join(root, name, "uploads"), env }));
  }
}, 240_000);

afterAll(async () => {
  for (const app of apps) await app.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Both processes hold the page in memory (X-Cache: HIT). */
async function cachedEverywhere(pathname: string) {
  for (const app of apps) {
    let hit = false;
    for (let i = 0; i < 100 && !hit; i++) {
      const res = await fetch(app.baseUrl + pathname);
      await res.arrayBuffer();
      hit = res.headers.get("x-cache") === "HIT";
      if (!hit) await sleep(20);
    }
    expect(hit, `${app.baseUrl}${pathname} from memory`).toBe(true);
  }
}

/** Milliseconds until every process answers as `seen` says, measured from the change. */
async function seenByAll(pathname: string, seen: (status: number, body: string) => boolean, since: number) {
  for (const app of apps) {
    for (;;) {
      const res = await fetch(app.baseUrl + pathname);
      if (seen(res.status, await res.text())) break;
      if (Date.now() - since > 1000) throw new Error(`${app.baseUrl}${pathname} still shows the old state after 1 s`);
      await sleep(10);
    }
  }
  return Date.now() - since;
}

describe.skipIf(!onPostgres)("two processes, one database", () => {
  it("a revocation is served by both processes within 1 s", async () => {
    const { code, id } = published.products[0].certificate!;
    await cachedEverywhere(`/verify/${code}`);
    const since = Date.now();
    await revokeCertificate(id);
    expect(await seenByAll(`/verify/${code}`, (s, body) => s === 200 && /đã bị thu hồi/.test(body), since)).toBeLessThan(1000);
  });

  it("a reopening, then a publication, are served by both processes within 1 s", async () => {
    const slug = published.round.slug;
    await cachedEverywhere(`/rounds/${slug}`);
    let since = Date.now();
    await reopenRound(published.round.id);
    expect(await seenByAll(`/rounds/${slug}`, (s) => s === 404, since)).toBeLessThan(1000);

    const other = await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(2, 3), status: "deliberation" });
    await cachedEverywhere("/rounds");
    since = Date.now();
    await db().update(rounds).set({ status: "published", publishedAt: new Date() }).where(eq(rounds.id, other.round.id));
    expect(await seenByAll("/rounds", (s, body) => s === 200 && body.includes(other.round.slug), since)).toBeLessThan(1000);
  });
});
