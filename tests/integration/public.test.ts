import { beforeAll, describe, expect, it } from "vitest";

import * as home from "../../app/routes/_index";
import * as productPage from "../../app/routes/products.$id";
import * as productOg from "../../app/routes/products.$id.og[.png]";
import * as roundPage from "../../app/routes/rounds.$slug";
import * as roundOg from "../../app/routes/rounds.$slug.og[.png]";
import * as csv from "../../app/routes/rounds.$slug.winners[.csv]";
import * as xlsx from "../../app/routes/rounds.$slug.winners[.xlsx]";
import * as roundsIndex from "../../app/routes/rounds._index";
import * as sitemap from "../../app/routes/sitemap[.]xml";
import * as stats from "../../app/routes/stats";
import { call, createTestUser, jsonOf, requestAs } from "../factories";
import { createPublishedRound, SAMPLE_PRODUCTS } from "../factories/published";

let published: Awaited<ReturnType<typeof createPublishedRound>>;
let hidden: Awaited<ReturnType<typeof createPublishedRound>>;
const byName = (name: string) => published.products.find((p) => p.name === name)!;

beforeAll(async () => {
  published = await createPublishedRound({ slug: "2016-khu-vuc-phia-bac", products: SAMPLE_PRODUCTS });
  // A round still in deliberation: its "selected" entries are not public yet.
  hidden = await createPublishedRound({
    slug: "2018-chua-cong-bo",
    year: 2018,
    status: "deliberation",
    products: [{ name: "Bánh đa chưa công bố", facility: "Cơ sở Bánh đa", province: "Bắc Giang", meanScore: 90 }],
  });
});

describe("the round results page", () => {
  it("lists only the selected products of a published round, in rank order, to anonymous visitors", async () => {
    const res = await call(roundPage.loader, requestAs(null, "/rounds/2016-khu-vuc-phia-bac"), { slug: "2016-khu-vuc-phia-bac" });
    expect(res.status).toBe(200);
    const data = await jsonOf(res);
    expect(data.total).toBe(6);
    expect(data.items.map((w: { productName: string }) => w.productName)).toEqual([
      "Nước mắm cốt nhĩ Cát Hải",
      "Gốm Bát Tràng men lam",
      "Cà phê bột nguyên chất",
      "Đậu phụ Mơ",
      "Mây tre đan xuất khẩu",
      "Máy tuốt lúa mini",
    ]);
    expect(JSON.stringify(data)).not.toContain("chưa đạt");
    expect(JSON.stringify(data)).not.toContain("không hợp lệ");
    const photo = published.products[0].photoIds[0];
    expect(data.items[0].img).toEqual({ src: `/files/${photo}/320.jpg`, srcSet: `/files/${photo}/320.webp 320w, /files/${photo}/640.webp 640w, /files/${photo}/1280.webp 1280w`, w: 320, h: 240 });
    expect(data.items[0].href).toBe(`/products/${published.products[0].productId}-nuoc-mam-cot-nhi-cat-hai`);
    expect(res.headers.get("Cache-Control")).toContain("public");
    expect(res.headers.get("ETag")).toMatch(/^W\/"/);
  });

  it("filters by group and province, sorts by name, and ignores unknown values with a note", async () => {
    const g = await jsonOf(await call(roundPage.loader, requestAs(null, "/rounds/x?group=1&sort=name"), { slug: "2016-khu-vuc-phia-bac" }));
    expect(g.items.map((w: { productName: string }) => w.productName)).toEqual(["Gốm Bát Tràng men lam", "Mây tre đan xuất khẩu"]);
    expect(g.notes).toEqual([]);
    const p = await jsonOf(await call(roundPage.loader, requestAs(null, "/rounds/x?province=DAK_LAK"), { slug: "2016-khu-vuc-phia-bac" }));
    const dakLak = p.options.provinces.find((o: { name: string }) => o.name === "Đắk Lắk");
    const p2 = await jsonOf(await call(roundPage.loader, requestAs(null, `/rounds/x?province=${dakLak.code}`), { slug: "2016-khu-vuc-phia-bac" }));
    expect(p2.items.map((w: { productName: string }) => w.productName)).toEqual(["Cà phê bột nguyên chất"]);
    const bad = await jsonOf(await call(roundPage.loader, requestAs(null, "/rounds/x?group=9&province=XX&sort=evil&page=-3"), { slug: "2016-khu-vuc-phia-bac" }));
    expect(bad.items).toHaveLength(6);
    expect(bad.notes).toHaveLength(4);
    expect(bad.page).toBe(1);
    const huge = await jsonOf(await call(roundPage.loader, requestAs(null, "/rounds/x?page=99999999999999999999"), { slug: "2016-khu-vuc-phia-bac" }));
    expect(huge.page).toBe(1);
    expect(huge.items).toHaveLength(6);
  });

  it("answers a Vietnamese 404 for unknown and unpublished rounds", async () => {
    for (const slug of ["khong-co", "2018-chua-cong-bo", "'; drop table rounds; --"]) {
      const res = await call(roundPage.loader, requestAs(null, `/rounds/${encodeURIComponent(slug)}`), { slug });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("Không tìm thấy");
    }
  });

  it("downloads the list as CSV with a BOM and as XLSX", async () => {
    const res = await call(csv.loader, requestAs(null, "/rounds/2016-khu-vuc-phia-bac/winners.csv"), { slug: "2016-khu-vuc-phia-bac" });
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(7);
    expect(lines[1]).toContain("Nước mắm cốt nhĩ Cát Hải");
    expect(lines[1]).toContain("KV-BAC-2016-001");
    const x = await call(xlsx.loader, requestAs(null, "/rounds/2016-khu-vuc-phia-bac/winners.xlsx"), { slug: "2016-khu-vuc-phia-bac" });
    expect(x.status).toBe(200);
    const zip = new Uint8Array(await x.arrayBuffer());
    expect(String.fromCharCode(zip[0], zip[1])).toBe("PK");
    const ExcelJS = (await import("exceljs")).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(zip.buffer as ArrayBuffer);
    expect(book.worksheets[0].getRow(4).getCell(2).value).toBe("Nước mắm cốt nhĩ Cát Hải");
    expect((await call(csv.loader, requestAs(null, "/rounds/2018-chua-cong-bo/winners.csv"), { slug: "2018-chua-cong-bo" })).status).toBe(404);
  });

  it("draws an Open Graph card", async () => {
    const res = await call(roundOg.loader, requestAs(null, "/rounds/2016-khu-vuc-phia-bac/og.png"), { slug: "2016-khu-vuc-phia-bac" });
    expect(res.headers.get("Content-Type")).toBe("image/png");
    const sharp = (await import("sharp")).default;
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 630]);
  });
});

describe("the product page", () => {
  it("shows the submitted description, photos, both province names and the certificate", async () => {
    const p = byName("Nước mắm cốt nhĩ Cát Hải");
    const res = await call(productPage.loader, requestAs(null, `/products/${p.productId}-nuoc-mam`), { id: `${p.productId}-nuoc-mam` });
    expect(res.status).toBe(200);
    const { product } = await jsonOf(res);
    expect(product.description).toBe("Mô tả đã nộp của Nước mắm cốt nhĩ Cát Hải");
    expect(JSON.stringify(product)).not.toContain("đang sửa");
    // Figures of the dossier such as revenue stay private.
    expect(JSON.stringify(product)).not.toContain("850");
    expect(product.photos.map((ph: { id: string }) => ph.id)).toEqual(p.photoIds);
    expect(product.facility.provinceName).toBe("Hải Phòng");
    expect(product.facility.currentProvinceName).toBe("TP. Hải Phòng");
    expect(product.recognitions).toHaveLength(1);
    expect(product.recognitions[0].certificate).toMatchObject({ serial: "KV-BAC-2016-001", status: "expired" });
    expect(product.details.map((d: { label: string }) => d.label)).toContain("Câu chuyện sản phẩm");
  });

  it("lists the recognitions from lower to higher level", async () => {
    const p = byName("Đậu phụ Mơ");
    await createPublishedRound({ slug: "2017-quoc-gia", year: 2017, level: "national", existing: [{ productId: p.productId }] });
    const { product } = await jsonOf(await call(productPage.loader, requestAs(null, `/products/${p.productId}`), { id: String(p.productId) }));
    expect(product.recognitions.map((r: { level: string; year: number }) => `${r.level}-${r.year}`)).toEqual(["region-2016", "national-2017"]);
  });

  it("never shows products that are not selected in a published round", async () => {
    const ids = [
      byName("Rượu bí mật chưa đạt").productId,
      published.products.find((p) => p.status === "ineligible")!.productId,
      hidden.products[0].productId,
      999999,
    ];
    for (const id of ids) {
      const res = await call(productPage.loader, requestAs(null, `/products/${id}`), { id: String(id) });
      expect(res.status).toBe(404);
      expect((await call(productOg.loader, requestAs(null, `/products/${id}/og.png`), { id: String(id) })).status).toBe(404);
    }
    for (const id of ["-1", "abc", "1e5", "99999999999999999999", "12/../13"]) {
      expect((await call(productPage.loader, requestAs(null, `/products/x`), { id })).status).toBe(404);
    }
  });
});

describe("home, rounds list, statistics, sitemap", () => {
  it("home lists published rounds with counts and hides unpublished ones", async () => {
    const data = await jsonOf(await call(home.loader, requestAs(null, "/")));
    const slugs = data.published.map((r: { slug: string }) => r.slug);
    expect(slugs).toContain("2016-khu-vuc-phia-bac");
    expect(slugs).not.toContain("2018-chua-cong-bo");
    expect(data.published.find((r: { slug: string }) => r.slug === "2016-khu-vuc-phia-bac").selectedCount).toBe(6);
    const list = await jsonOf(await call(roundsIndex.loader, requestAs(null, "/rounds")));
    expect(list.rounds.find((r: { slug: string }) => r.slug === "2016-khu-vuc-phia-bac")).toMatchObject({ selectedCount: 6, registeredCount: 8 });
  });

  it("statistics count recognised products by province, group, level and year", async () => {
    const s = await jsonOf(await call(stats.loader, requestAs(null, "/stats")));
    expect(s.byProvince.find((p: { name: string }) => p.name === "Hà Nội").count).toBe(2);
    expect(s.byGroup.find((g: { no: number }) => g.no === 1).count).toBe(2);
    expect(s.byLevelYear).toContainEqual(expect.objectContaining({ year: 2016, level: "region", count: 6 }));
    expect(s.perRound.find((r: { slug: string }) => r.slug === "2016-khu-vuc-phia-bac")).toMatchObject({ registered: 8, selected: 6 });
  });

  it("the sitemap lists public rounds and products only", async () => {
    const xml = await (await call(sitemap.loader, requestAs(null, "/sitemap.xml"))).text();
    expect(xml).toContain("/rounds/2016-khu-vuc-phia-bac</loc>");
    expect(xml).not.toContain("2018-chua-cong-bo");
    expect(xml).toContain(`/products/${byName("Gốm Bát Tràng men lam").productId}</loc>`);
    expect(xml).not.toContain(`/products/${byName("Rượu bí mật chưa đạt").productId}</loc>`);
  });

  it("the sitemap lists every page in Vietnamese and in English, each with the vi, en and x-default alternates", async () => {
    const xml = await (await call(sitemap.loader, requestAs(null, "/sitemap.xml"))).text();
    expect(xml).toMatch(/<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9" xmlns:xhtml="http:\/\/www\.w3\.org\/1999\/xhtml">/);
    const urls = [...xml.matchAll(/<url>([\s\S]*?)<\/url>/g)].map(([, body]) => ({
      loc: new URL(/<loc>([^<]+)<\/loc>/.exec(body)![1]).pathname,
      alternates: Object.fromEntries(
        [...body.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)].map(([, lang, href]) => [lang, new URL(href).pathname]),
      ),
    }));
    const product = `/products/${byName("Gốm Bát Tràng men lam").productId}`;
    const pairs: [string, string][] = [
      ["/", "/en"],
      ["/rounds", "/en/rounds"],
      ["/commendations", "/en/commendations"],
      ["/stats", "/en/stats"],
      ["/verify", "/en/verify"],
      ["/rounds/2016-khu-vuc-phia-bac", "/en/rounds/2016-khu-vuc-phia-bac"],
      [product, `/en${product}`],
    ];
    for (const [vi, en] of pairs) {
      const expected = { vi, en, "x-default": vi };
      // Each language version is its own <url> and names all of them, itself included.
      expect(urls.find((u) => u.loc === vi)?.alternates, vi).toEqual(expected);
      expect(urls.find((u) => u.loc === en)?.alternates, en).toEqual(expected);
    }
    // Nothing else: one English twin for every Vietnamese page, and no hidden round in either language.
    expect(urls.filter((u) => u.loc === "/en" || u.loc.startsWith("/en/")).length).toBe(urls.length / 2);
    expect(urls.every((u) => u.alternates.vi && u.alternates.en && u.alternates["x-default"] === u.alternates.vi)).toBe(true);
    expect(xml).not.toContain("2018-chua-cong-bo");
  });

  it("signed-in visitors get private copies", async () => {
    const user = await createTestUser({ roles: ["facility"] });
    const res = await call(roundPage.loader, requestAs(user, "/rounds/2016-khu-vuc-phia-bac"), { slug: "2016-khu-vuc-phia-bac" });
    expect(res.headers.get("Cache-Control")).toBe("private, no-cache");
  });
});
