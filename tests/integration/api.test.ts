import { beforeAll, describe, expect, it } from "vitest";

import * as commendations from "../../app/routes/api.v1.commendations";
import * as winners from "../../app/routes/api.v1.rounds.$slug.winners";
import * as rounds from "../../app/routes/api.v1.rounds._index";
import * as commendationsPage from "../../app/routes/commendations";
import { call, createTestUser, jsonOf, requestAs } from "../factories";
import { createCommendationDecision } from "../factories/commendations-public";
import { createPublishedRound, SAMPLE_PRODUCTS } from "../factories/published";

beforeAll(async () => {
  await createPublishedRound({ slug: "2016-khu-vuc-phia-bac", products: SAMPLE_PRODUCTS });
  await createPublishedRound({ slug: "2018-chua-cong-bo", year: 2018, status: "scoring", products: [] });
  await createCommendationDecision({
    recipients: [
      { kind: "collective", name: "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Thái Bình", organization: "Sở Công Thương Thái Bình", province: "Thái Bình" },
      { kind: "individual", name: "Nguyễn Thị Hương", position: "Giám đốc", organization: "Trung tâm Khuyến công Nam Định", province: "Nam Định" },
    ],
  });
  await createCommendationDecision({ number: "77/QĐ-BCT", status: "draft", recipients: [{ kind: "individual", name: "Người Trong Bản Nháp" }] });
});

describe("GET /api/v1/rounds", () => {
  it("lists published rounds only, with the contract's fields", async () => {
    const body = await jsonOf(await call(rounds.loader, requestAs(null, "/api/v1/rounds")));
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ slug: "2016-khu-vuc-phia-bac", level: "region", region: "bac", year: 2016, selectedCount: 6 });
    expect(Object.keys(body[0])).toEqual(expect.arrayContaining(["slug", "title", "level", "region", "province", "year", "publishedAt", "selectedCount"]));
  });
});

describe("GET /api/v1/rounds/:slug/winners", () => {
  it("answers the winners in rank order with the contract's shape", async () => {
    const res = await call(winners.loader, requestAs(null, "/api/v1/rounds/2016-khu-vuc-phia-bac/winners"), { slug: "2016-khu-vuc-phia-bac" });
    const body = await jsonOf(res);
    expect(body.round).toMatchObject({ slug: "2016-khu-vuc-phia-bac", level: "region", region: "bac", year: 2016, selectedCount: 6 });
    expect(body.winners).toHaveLength(6);
    expect(body.winners[0]).toEqual({
      rank: 1,
      productName: "Nước mắm cốt nhĩ Cát Hải",
      group: { no: 2, name: expect.any(String) },
      facility: { name: "HTX Chế biến hải sản Cát Hải", province: { name: "Hải Phòng", currentName: "TP. Hải Phòng" } },
      meanScore: 91.5,
      certificate: { serial: "KV-BAC-2016-001", code: expect.stringMatching(/^[2-9A-Z]{14}$/) },
      nomination: null,
    });
    expect(body.winners.map((w: { rank: number }) => w.rank)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("answers 404 for unknown or unpublished rounds", async () => {
    for (const slug of ["2018-chua-cong-bo", "nope"]) {
      expect((await call(winners.loader, requestAs(null, `/api/v1/rounds/${slug}/winners`), { slug })).status).toBe(404);
    }
  });
});

describe("GET /api/v1/commendations and /commendations", () => {
  it("lists issued decisions with recipients and certificates, never drafts", async () => {
    const body = await jsonOf(await call(commendations.loader, requestAs(null, "/api/v1/commendations")));
    expect(body.decisions).toHaveLength(1);
    const d = body.decisions[0];
    expect(d).toMatchObject({ number: "1234/QĐ-BCT", signedOn: "2016-10-06", signer: "Trần Tuấn Anh", period: { from: 2013, to: 2015 } });
    expect(d.recipients[0]).toEqual({
      kind: "collective",
      name: "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Thái Bình",
      position: null,
      organization: "Sở Công Thương Thái Bình",
      province: "Thái Bình",
      certificate: { serial: "BK-2016-0001", code: expect.any(String) },
    });
    expect(JSON.stringify(body)).not.toContain("Bản Nháp");
  });

  it("the page searches recipients without diacritics", async () => {
    const data = await jsonOf(await call(commendationsPage.loader, requestAs(null, "/commendations?q=nam%20dinh")));
    expect(data.total).toBe(1);
    expect(data.decisions[0].recipients.map((r: { name: string }) => r.name)).toEqual(["Nguyễn Thị Hương"]);
    const none = await jsonOf(await call(commendationsPage.loader, requestAs(null, "/commendations?q=%25_%5C")));
    expect(none.decisions).toEqual([]);
  });
});

describe("access", () => {
  it("public data is the same for anonymous and signed-in callers of every role, and nothing writes", async () => {
    const anon = await jsonOf(await call(rounds.loader, requestAs(null, "/api/v1/rounds")));
    for (const role of ["facility", "juror", "organizer", "ministry", "admin"] as const) {
      const user = await createTestUser({ roles: [role] });
      expect(await jsonOf(await call(rounds.loader, requestAs(user, "/api/v1/rounds")))).toEqual(anon);
    }
    // Resource routes export no action: a POST cannot reach a handler.
    expect("action" in rounds).toBe(false);
    expect("action" in winners).toBe(false);
    expect("action" in commendations).toBe(false);
  });
});
