/**
 * Issue 19, item 5: the public site in English under /en, through the real express app (page cache,
 * ETag/304, CSP by hash). The Vietnamese URLs answer as before; each /en page is its own
 * representation (own ETag, own page-cache entry), with lang="en", hreflang alternates, English
 * interface text, and a language switch that keeps the path and query string.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";


import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { updateProduct } from "../../app/models/facility/product.server";
import { databaseHandle, db } from "../../app/utils/db.server";
import { clearPageCache } from "../../app/utils/page-cache.server";
import { freshPublicState, startPublicStateListener } from "../../app/utils/public-state.server";
import { facilityMembers, products } from "../../db/schema";
import { createApp, loadBuild } from "../../server";
import { createTestUser } from "../factories";
import { createPublishedRound, SAMPLE_PRODUCTS } from "../factories/published";

let server: Server;
let base: string;
let slug: string;
let code: string;
let productId: number;
let stopListening: () => Promise<void>;

beforeAll(async () => {
  stopListening = await startPublicStateListener(databaseHandle());
  server = (await createApp(await loadBuild())).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const published = await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(0, 3) });
  slug = published.round.slug;
  code = published.products[0].certificate!.code;
  productId = published.products[0].productId;
}, 120_000);

afterAll(async () => {
  server?.close();
  await stopListening?.();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function settled() {
  for (let i = 0; i < 200 && !freshPublicState(); i++) await sleep(5);
}

async function page(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { headers, redirect: "manual" });
  return { res, html: await res.text() };
}

const decode = (s: string) => s.replace(/&amp;/g, "&");
/** The href of the language switch. */
const switchHref = (html: string) => decode(/href="([^"]*)"/.exec(/<a [^>]*data-testid="lang-switch"[^>]*>/.exec(html)?.[0] ?? "")?.[1] ?? "");

describe("the English mirror", () => {
  it("serves the round page in English with lang, hreflang and English metadata", async () => {
    const { res, html } = await page(`/en/rounds/${slug}`);
    expect(res.status).toBe(200);
    expect(html).toMatch(/<html lang="en"/);
    expect(html).toContain("Filter and sort");
    expect(html).toContain("3 products");
    expect(html).not.toContain("Lọc và sắp xếp");
    expect(html).toMatch(/<meta name="description" content="3 typical rural industrial products, regional level/);
    expect(html).toContain(`<link rel="canonical" href="http://localhost:3000/en/rounds/${slug}"`);
    for (const [lang, href] of [
      ["vi", `/rounds/${slug}`],
      ["en", `/en/rounds/${slug}`],
      ["x-default", `/rounds/${slug}`],
    ])
      expect(html).toContain(`<link rel="alternate" hrefLang="${lang}" href="http://localhost:3000${href}"/>`);
    // Links inside the page stay in English; downloads are the same files.
    expect(html).toMatch(new RegExp(`href="/en/products/${productId}-`));
    expect(html).toContain(`href="/rounds/${slug}/winners.csv"`);
  });

  it("keeps the Vietnamese page exactly Vietnamese, with the same alternates", async () => {
    const { res, html } = await page(`/rounds/${slug}`);
    expect(res.status).toBe(200);
    expect(html).toMatch(/<html lang="vi"/);
    expect(html).toContain("Lọc và sắp xếp");
    expect(html).not.toContain("Filter and sort");
    expect(html).toContain(`<link rel="alternate" hrefLang="en" href="http://localhost:3000/en/rounds/${slug}"/>`);
    expect(html).toMatch(new RegExp(`href="/products/${productId}-`));
  });

  it("the language switch leads to the same page in the other language, query string kept", async () => {
    const query = "?group=2&sort=name";
    const en = await page(`/en/rounds/${slug}${query}`);
    expect(switchHref(en.html)).toBe(`/rounds/${slug}${query}`);
    const vi = await page(`/rounds/${slug}${query}`);
    expect(switchHref(vi.html)).toBe(`/en/rounds/${slug}${query}`);
    const home = await page("/en");
    expect(home.html).toMatch(/<html lang="en"/);
    expect(switchHref(home.html)).toBe("/");
    expect(switchHref((await page("/")).html)).toBe("/en");
  });

  it("caches each language separately: own ETag, own page-cache entry, 304 on revalidation", async () => {
    clearPageCache();
    await settled();
    const path = `/rounds/${slug}`;
    const vi1 = await page(path);
    const en1 = await page(`/en${path}`);
    // Stored once compressed (after the response): ask until the copy is there, at most 1 s.
    const hit = async (p: string) => {
      for (let i = 0; ; i++) {
        const got = await page(p);
        if (got.res.headers.get("x-cache") === "HIT" || i > 50) return got;
        await sleep(20);
      }
    };
    const vi2 = await hit(path);
    const en2 = await hit(`/en${path}`);
    expect(vi2.res.headers.get("x-cache")).toBe("HIT");
    expect(en2.res.headers.get("x-cache")).toBe("HIT");
    expect(vi2.html).toMatch(/<html lang="vi"/);
    expect(en2.html).toMatch(/<html lang="en"/);
    const viTag = vi1.res.headers.get("etag")!;
    const enTag = en1.res.headers.get("etag")!;
    expect(viTag).toBeTruthy();
    expect(enTag).toBeTruthy();
    expect(enTag).not.toBe(viTag);
    expect((await page(`/en${path}`, { "If-None-Match": enTag })).res.status).toBe(304);
    // The Vietnamese ETag is not the English page's.
    expect((await page(`/en${path}`, { "If-None-Match": viTag })).res.status).toBe(200);
    // The English copy carries a CSP with script hashes, never a nonce.
    const csp = en2.res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src[^;]*'sha256-/);
    expect(csp).not.toMatch(/'nonce-/);
  });

  it("mirrors every public page path", async () => {
    const paths = [
      "/en",
      "/en/rounds",
      `/en/rounds/${slug}`,
      `/en/products/${productId}`,
      "/en/commendations",
      "/en/verify",
      `/en/verify/${code}`,
      "/en/stats",
      "/en/programme",
      "/en/programme/2016/bac",
      "/en/search?q=gom",
    ];
    for (const path of paths) {
      const { res, html } = await page(path);
      expect(res.status, path).toBe(200);
      expect(html, path).toMatch(/<html lang="en"/);
      expect(html, path).toContain('hrefLang="x-default"');
    }
    // A typed code goes to its English verification page.
    const typed = await page(`/en/verify?code=${code.toLowerCase()}`);
    expect(typed.res.status).toBe(302);
    expect(typed.res.headers.get("location")).toBe(`/en/verify/${code}`);
  });

  it("lists every English page in the sitemap, each a real mirror with the sitemap's alternates in its <head>", async () => {
    const { res, html: xml } = await page("/sitemap.xml");
    expect(res.status).toBe(200);
    const urls = [...xml.matchAll(/<url>([\s\S]*?)<\/url>/g)].map(([, body]) => ({
      loc: decode(/<loc>([^<]+)<\/loc>/.exec(body)![1]),
      alternates: [...body.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)].map(([, lang, href]) => [lang, decode(href)]),
    }));
    const english = urls.filter((u) => /^https?:\/\/[^/]+\/en(\/|$)/.test(u.loc));
    expect(english.map((u) => new URL(u.loc).pathname)).toEqual(expect.arrayContaining(["/en", "/en/rounds", `/en/rounds/${slug}`, `/en/products/${productId}`]));
    expect(english.length * 2).toBe(urls.length);
    for (const u of english) {
      const got = await page(new URL(u.loc).pathname);
      expect(got.res.status, u.loc).toBe(200);
      expect(got.html, u.loc).toMatch(/<html lang="en"/);
      // The page's own hreflang links say what the sitemap says.
      for (const [lang, href] of u.alternates) expect(got.html, `${u.loc} ${lang}`).toContain(`<link rel="alternate" hrefLang="${lang}" href="${href}"/>`);
    }
  });

  it("answers an unknown /en page and an unknown round with an English 404", async () => {
    const unknown = await page("/en/khong-co-trang-nay");
    expect(unknown.res.status).toBe(404);
    expect(unknown.html).toMatch(/<html lang="en"/);
    expect(unknown.html).toContain("Page not found");
    const round = await page("/en/rounds/khong-co-dot-nay");
    expect(round.res.status).toBe(404);
    expect(round.html).toContain("This selection round was not found");
    // The Vietnamese 404 is unchanged.
    expect((await page("/rounds/khong-co-dot-nay")).html).toContain("Không tìm thấy đợt bình chọn này");
  });
});

describe("the facility's English name and description", () => {
  async function owner() {
    const user = await createTestUser({ roles: ["facility"] });
    const [row] = await db().select({ facilityId: products.facilityId }).from(products).where(eq(products.id, productId));
    await db().insert(facilityMembers).values({ facilityId: row.facilityId, userId: user.id, role: "owner" });
    return user;
  }
  const stored = async () => (await db().select({ nameEn: products.nameEn, descriptionEn: products.descriptionEn }).from(products).where(eq(products.id, productId)))[0];
  const base = (actorId: string) => ({ actorId, productId, name: "Nước mắm cốt nhĩ Cát Hải", groupNo: 2, description: "Mô tả" });

  it("refuses bad English texts with a Vietnamese message and stores nothing", async () => {
    const user = await owner();
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ nameEn: "x".repeat(201), descriptionEn: "" }, "nameEn", /Tên tiếng Anh dài quá 200 ký tự/],
      [{ nameEn: "Fish sauce", descriptionEn: "y".repeat(5001) }, "descriptionEn", /Mô tả bằng tiếng Anh dài quá 5000 ký tự/],
      [{ nameEn: "", descriptionEn: "A fine sauce." }, "nameEn", /Vui lòng nhập tên tiếng Anh khi đã có mô tả bằng tiếng Anh/],
      [{ nameEn: "Рыбный соус", descriptionEn: "" }, "nameEn", /chỉ gồm chữ cái Latinh/],
    ];
    for (const [english, field, message] of cases) {
      const error = await updateProduct({ ...base(user.id), ...english }).catch((e: unknown) => e);
      expect(error, JSON.stringify(english).slice(0, 60)).toMatchObject({ status: 400 });
      expect((error as { fields: Record<string, string> }).fields[field]).toMatch(message);
    }
    expect(await stored()).toEqual({ nameEn: null, descriptionEn: null });
    // The database holds the same rule against a direct write.
    await expect(db().update(products).set({ descriptionEn: "No name" }).where(eq(products.id, productId))).rejects.toThrow();
  });

  it("shows them on /en only, marked as provided by the facility, and the cached pages follow", async () => {
    const user = await owner();
    const path = `/en/products/${productId}`;
    const before = await page(path);
    expect(before.html).not.toContain("Provided by the facility");
    const etag = before.res.headers.get("etag")!;

    await updateProduct({ ...base(user.id), nameEn: "  Cat Hai premium fish sauce  ", descriptionEn: "Made from anchovies and sea salt, aged twelve months." });
    expect(await stored()).toEqual({ nameEn: "Cat Hai premium fish sauce", descriptionEn: "Made from anchovies and sea salt, aged twelve months." });

    // The English texts are part of the public state: the old copy is neither served nor revalidated.
    let after = await page(path, { "If-None-Match": etag });
    for (let i = 0; i < 50 && after.res.status !== 200; i++) {
      await sleep(20);
      after = await page(path, { "If-None-Match": etag });
    }
    expect(after.res.status).toBe(200);
    expect(after.html).toMatch(/data-testid="english-name"[^>]*><span lang="en">Cat Hai premium fish sauce<\/span> <span class="badge">Provided by the facility<\/span>/);
    expect(after.html).toContain("Made from anchovies and sea salt, aged twelve months.");
    expect(after.html).toContain("<title>Cat Hai premium fish sauce — ");
    // The Vietnamese name stays the page's heading (what was judged), marked Vietnamese.
    expect(after.html).toContain('<h1 lang="vi">Nước mắm cốt nhĩ Cát Hải</h1>');
    const vi = await page(`/products/${productId}`);
    expect(vi.html).not.toContain("Cat Hai premium fish sauce");
    expect(vi.html).not.toContain("Provided by the facility");

    // Clearing them takes them off the English page.
    await updateProduct({ ...base(user.id), nameEn: "", descriptionEn: "" });
    expect(await stored()).toEqual({ nameEn: null, descriptionEn: null });
  });
});
