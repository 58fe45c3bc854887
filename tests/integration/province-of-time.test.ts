/**
 * Every public place names a facility's province as it was called on the day of the recognition
 * decision: "Bắc Kạn" for 2016, "Thái Nguyên" (the merged unit) for a decision after 1 July 2025 —
 * as the certificate and /verify already do.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { getPublicProduct, listWinners } from "../../app/models/public/catalogue.server";
import { searchPublic } from "../../app/models/public/search.server";
import { publicStatistics } from "../../app/models/public/statistics.server";
import { provinceAsOf, recognitionDay } from "../../app/models/shared/province-rules";
import * as winnersApi from "../../app/routes/api.v1.rounds.$slug.winners";
import * as winnersCsv from "../../app/routes/rounds.$slug.winners[.csv]";
import * as stats from "../../app/routes/stats";
import { call, jsonOf, requestAs } from "../factories";
import { createPublishedRound } from "../factories/published";

let old: Awaited<ReturnType<typeof createPublishedRound>>;
let merged: Awaited<ReturnType<typeof createPublishedRound>>;

beforeAll(async () => {
  old = await createPublishedRound({ year: 2016, products: [{ name: "Miến dong Na Rì", facility: "HTX Nông nghiệp Thanh Vận", province: "Bắc Kạn" }] });
  merged = await createPublishedRound({
    year: 2026,
    decisionDate: "2026-08-14",
    products: [{ name: "Miến dong Côn Minh", facility: "HTX Miến dong Côn Minh", province: "Bắc Kạn" }],
  });
});

describe("the rule", () => {
  it("names the 2016-era province before 1 July 2025 and the merged unit from that day", () => {
    const names = { legacy: "Bắc Kạn", current: "Thái Nguyên" };
    expect(provinceAsOf("2016-10-07", names)).toBe("Bắc Kạn");
    expect(provinceAsOf("2025-06-30", names)).toBe("Bắc Kạn");
    expect(provinceAsOf("2025-07-01", names)).toBe("Thái Nguyên");
    expect(provinceAsOf("2026-08-14", { legacy: null, current: "Thái Nguyên" })).toBe("Thái Nguyên");
    expect(provinceAsOf(null, names)).toBe("Bắc Kạn");
    // 30 June 2025 at 20:00 UTC is already 1 July in Vietnam.
    expect(recognitionDay({ decisionDate: null, publishedAt: "2025-06-30T20:00:00Z", year: 2025 })).toBe("2025-07-01");
    expect(recognitionDay({ decisionDate: null, publishedAt: null, year: 2016 })).toBe("2016-12-31");
  });
});

describe("public places", () => {
  it("winners list, CSV and API", async () => {
    const [w2016] = await listWinners(old.round.id);
    expect(w2016.provinceName).toBe("Bắc Kạn");
    expect(w2016.currentProvinceName).toBe("Thái Nguyên");
    const [w2026] = await listWinners(merged.round.id);
    expect(w2026.provinceName).toBe("Thái Nguyên");
    expect(w2026.provinceCode).toBe(w2026.currentProvinceCode);

    const csv = await (await call(winnersCsv.loader, requestAs(null, `/rounds/${merged.round.slug}/winners.csv`), { slug: merged.round.slug })).text();
    const line = csv.split("\r\n").find((l) => l.includes("Miến dong Côn Minh"))!;
    expect(line).toContain("Thái Nguyên,Thái Nguyên");
    expect(csv).not.toContain("Bắc Kạn");

    const api = await jsonOf(await call(winnersApi.loader, requestAs(null, `/api/v1/rounds/${merged.round.slug}/winners`), { slug: merged.round.slug }));
    expect(api.winners[0].facility.province).toEqual({ name: "Thái Nguyên", currentName: "Thái Nguyên" });
    const api2016 = await jsonOf(await call(winnersApi.loader, requestAs(null, `/api/v1/rounds/${old.round.slug}/winners`), { slug: old.round.slug }));
    expect(api2016.winners[0].facility.province).toEqual({ name: "Bắc Kạn", currentName: "Thái Nguyên" });
  });

  it("statistics count the 2026 product under Thái Nguyên and the 2016 one under Bắc Kạn", async () => {
    const s = await publicStatistics();
    expect(s.byProvince).toEqual(expect.arrayContaining([{ name: "Thái Nguyên", count: 1 }, { name: "Bắc Kạn", count: 1 }]));
  });

  it("statistics across the merger group the old province under its successor on request (/stats?group=successor)", async () => {
    const s = await publicStatistics(undefined, { grouping: "successor" });
    expect(s.byProvince.find((p) => p.name === "Thái Nguyên")?.count).toBe(2);
    expect(s.byProvince.some((p) => p.name === "Bắc Kạn")).toBe(false);
    const page = await jsonOf(await call(stats.loader, requestAs(null, "/stats?group=successor")));
    expect(page.grouping).toBe("successor");
    expect((await call(stats.loader, requestAs(null, "/stats?group=khac"))).status).toBe(400);
  });

  it("search and the product page", async () => {
    const hit = (await searchPublic("mien dong con minh")).products.find((p) => p.name === "Miến dong Côn Minh")!;
    expect(hit.provinceName).toBe("Thái Nguyên");
    const oldHit = (await searchPublic("mien dong na ri")).products.find((p) => p.name === "Miến dong Na Rì")!;
    expect(oldHit).toMatchObject({ provinceName: "Bắc Kạn", currentProvinceName: "Thái Nguyên" });
    const facility = (await searchPublic("htx mien dong con minh")).facilities.find((f) => f.name === "HTX Miến dong Côn Minh")!;
    expect(facility.provinceName).toBe("Thái Nguyên");

    const page = await getPublicProduct(merged.products[0].productId);
    expect(page?.facility).toMatchObject({ provinceName: "Thái Nguyên", provinceChanged: false });
    const oldPage = await getPublicProduct(old.products[0].productId);
    expect(oldPage?.facility).toMatchObject({ provinceName: "Bắc Kạn", currentProvinceName: "Thái Nguyên", provinceChanged: true });
  });
});
