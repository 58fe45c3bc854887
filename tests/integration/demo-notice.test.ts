/**
 * Issue 15 §8: while the demo data is loaded every page says "Dữ liệu minh họa". The flag is set by
 * the seed in the database (app_flags, migration 0016) and is part of the public state: through the
 * real express app with the LISTEN of server.ts running, a page cached before the flag is set is
 * never served after it (NOTIFY empties the cache, the ETag changes), and the notice then shows on
 * the public pages, anonymous or signed in.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isDemoData, markDemoData } from "../../app/models/shared/app-flags.server";
import { databaseHandle } from "../../app/utils/db.server";
import { freshPublicState, publicStateFingerprint, startPublicStateListener } from "../../app/utils/public-state.server";
import { createApp, loadBuild } from "../../server";
import { createTestUser } from "../factories";
import { createPublishedRound, SAMPLE_PRODUCTS } from "../factories/published";

let server: Server;
let base: string;
let slug: string;
let stopListening: () => Promise<void>;

beforeAll(async () => {
  stopListening = await startPublicStateListener(databaseHandle());
  server = (await createApp(await loadBuild())).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  slug = (await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(0, 1) })).round.slug;
}, 120_000);

afterAll(async () => {
  server?.close();
  await stopListening?.();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NOTICE = "Dữ liệu minh họa.";

async function settled() {
  for (let i = 0; i < 200 && !freshPublicState(); i++) await sleep(5);
  expect(freshPublicState()).not.toBeNull();
}

describe("the Dữ liệu minh họa notice", () => {
  it("is absent without the flag, shows on every public page once the seed sets it, and no cached copy outlives the change", async () => {
    const pages = ["/", "/rounds", `/rounds/${slug}`, "/commendations", "/verify", "/programme", "/stats"];
    await settled();
    expect(await isDemoData()).toBe(false);
    // Rendered and stored by the page cache without the notice.
    let hit = false;
    for (let i = 0; i < 200 && !hit; i++) {
      const res = await fetch(`${base}/`);
      expect(await res.text()).not.toContain(NOTICE);
      hit = res.headers.get("x-cache") === "HIT";
      if (!hit) await sleep(10);
    }
    expect(hit).toBe(true);
    const before = await fetch(`${base}/`);
    const etagBefore = before.headers.get("etag");
    await before.arrayBuffer();
    const fingerprint = await publicStateFingerprint();

    await markDemoData();
    expect(await isDemoData()).toBe(true);
    expect(await publicStateFingerprint()).not.toBe(fingerprint);
    // Within a second (NOTIFY at commit) the cached page is gone and every public page carries the notice.
    const since = Date.now();
    for (;;) {
      const res = await fetch(`${base}/`);
      const body = await res.text();
      if (body.includes(NOTICE)) {
        expect(res.headers.get("etag")).not.toBe(etagBefore);
        break;
      }
      if (Date.now() - since > 1000) throw new Error("the home page still has no demo notice after 1 s");
      await sleep(10);
    }
    for (const path of pages) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain(NOTICE);
    }
    // A conditional request with the old ETag is not answered 304.
    expect((await fetch(`${base}/`, { headers: { "If-None-Match": etagBefore! } })).status).toBe(200);
    // Signed in too.
    const user = await createTestUser();
    const signedIn = await fetch(`${base}/rounds`, { headers: { Cookie: user.cookie } });
    expect(await signedIn.text()).toContain(NOTICE);
  });
});
