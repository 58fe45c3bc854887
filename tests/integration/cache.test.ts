import { beforeAll, describe, expect, it } from "vitest";

import * as home from "../../app/routes/_index";
import * as apiCert from "../../app/routes/api.v1.certificates.$code";
import * as winnersApi from "../../app/routes/api.v1.rounds.$slug.winners";
import * as productPage from "../../app/routes/products.$id";
import * as roundPage from "../../app/routes/rounds.$slug";
import * as csv from "../../app/routes/rounds.$slug.winners[.csv]";
import * as verifyPage from "../../app/routes/verify.$code";
import { PUBLIC_CACHE_CONTROL } from "../../app/utils/cache.server";
import { db } from "../../app/utils/db.server";
import { rounds } from "../../db/schema";
import { call, requestAs } from "../factories";
import { createPublishedRound, reopenRound, revokeCertificate } from "../factories/published";

let round: Awaited<ReturnType<typeof createPublishedRound>>;
const slug = "2016-khu-vuc-phia-bac";

beforeAll(async () => {
  round = await createPublishedRound({
    slug,
    products: [
      { name: "Nước mắm cốt nhĩ Cát Hải", facility: "HTX Cát Hải", province: "Hải Phòng", meanScore: 90 },
      { name: "Gốm Bát Tràng", facility: "Gốm sứ Bát Tràng", province: "Hà Nội", meanScore: 85 },
    ],
  });
});

async function etagOf(loader: Parameters<typeof call>[0], path: string, params: Record<string, string> = {}) {
  const res = await call(loader, requestAs(null, path), params);
  expect(res.status).toBe(200);
  return res.headers.get("ETag")!;
}

describe("conditional requests", () => {
  it("answer 304 with the same ETag and CDN-friendly Cache-Control", async () => {
    const etag = await etagOf(roundPage.loader, `/rounds/${slug}`, { slug });
    const res = await call(roundPage.loader, requestAs(null, `/rounds/${slug}`, { headers: { "If-None-Match": etag } }), { slug });
    expect(res.status).toBe(304);
    expect(res.headers.get("ETag")).toBe(etag);
    expect(res.headers.get("Cache-Control")).toBe(PUBLIC_CACHE_CONTROL);
    expect(await res.text()).toBe("");
    // Route `headers` keep the cache headers on the thrown 304.
    const h = roundPage.headers({ loaderHeaders: new Headers(), errorHeaders: res.headers, parentHeaders: new Headers(), actionHeaders: new Headers() } as never) as Headers;
    expect(h.get("ETag")).toBe(etag);
    const other = await call(roundPage.loader, requestAs(null, `/rounds/${slug}`, { headers: { "If-None-Match": 'W/"something-else"' } }), { slug });
    expect(other.status).toBe(200);
  });

  it("differ between representations and query strings", async () => {
    const page = await etagOf(roundPage.loader, `/rounds/${slug}`, { slug });
    const filtered = await etagOf(roundPage.loader, `/rounds/${slug}?group=1`, { slug });
    const file = await etagOf(csv.loader, `/rounds/${slug}/winners.csv`, { slug });
    expect(new Set([page, filtered, file]).size).toBe(3);
  });

  it("are never answered 304 for Remix data requests", async () => {
    const path = `/rounds/${slug}?_data=routes%2Frounds.%24slug`;
    const etag = await etagOf(roundPage.loader, path, { slug });
    const res = await call(roundPage.loader, requestAs(null, path, { headers: { "If-None-Match": etag } }), { slug });
    expect(res.status).toBe(200);
  });
});

describe("caches see revocation and reopening", () => {
  it("a revoked certificate changes the ETag of its verify page, the API and the product page", async () => {
    const p = round.products[1];
    const code = p.certificate!.code;
    const before = {
      verify: await etagOf(verifyPage.loader, `/verify/${code}`, { code }),
      api: await etagOf(apiCert.loader, `/api/v1/certificates/${code}`, { code }),
      product: await etagOf(productPage.loader, `/products/${p.productId}`, { id: String(p.productId) }),
    };
    await revokeCertificate(p.certificate!.id);
    const res = await call(verifyPage.loader, requestAs(null, `/verify/${code}`, { headers: { "If-None-Match": before.verify } }), { code });
    expect(res.status).toBe(200);
    expect(await etagOf(apiCert.loader, `/api/v1/certificates/${code}`, { code })).not.toBe(before.api);
    expect(await etagOf(productPage.loader, `/products/${p.productId}`, { id: String(p.productId) })).not.toBe(before.product);
    // The memoised read of the product is not served for the new state either.
    const after = await (await call(productPage.loader, requestAs(null, `/products/${p.productId}`), { id: String(p.productId) })).json();
    expect(after.product.recognitions[0].certificate.status).toBe("revoked");
  });

  it("a reopened round is no longer served from a stale validator, and its pages answer 404", async () => {
    const etag = await etagOf(winnersApi.loader, `/api/v1/rounds/${slug}/winners`, { slug });
    await reopenRound(round.round.id);
    const res = await call(winnersApi.loader, requestAs(null, `/api/v1/rounds/${slug}/winners`, { headers: { "If-None-Match": etag } }), { slug });
    expect(res.status).toBe(404);
    expect((await call(roundPage.loader, requestAs(null, `/rounds/${slug}`), { slug })).status).toBe(404);
  });
});

describe("the home page's validator", () => {
  it("changes when a round opens for registration", async () => {
    const before = await etagOf(home.loader, "/");
    const year = new Date().getFullYear() + 1;
    await db()
      .insert(rounds)
      .values({
        slug: `${year}-mo-dang-ky`,
        title: `Bình chọn năm ${year}`,
        level: "region",
        regionCode: "BAC",
        year,
        registrationOpensAt: new Date(Date.now() - 86400_000),
        registrationClosesAt: new Date(Date.now() + 30 * 86400_000),
        scoringClosesAt: new Date(Date.now() + 60 * 86400_000),
        authority: "Cục Công nghiệp địa phương",
        status: "registration",
      });
    const res = await call(home.loader, requestAs(null, "/", { headers: { "If-None-Match": before } }));
    expect(res.status).toBe(200);
    expect((await res.json()).open.map((r: { slug: string }) => r.slug)).toContain(`${year}-mo-dang-ky`);
  });
});
