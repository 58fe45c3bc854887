import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

import { highlight, normaliseQuery } from "../../app/models/public/search-text";
import { searchPublic } from "../../app/models/public/search.server";
import * as searchRoute from "../../app/routes/search";
import { db } from "../../app/utils/db.server";
import { commendationDecisions, commendationRecipients, provinces } from "../../db/schema";
import { call, jsonOf, requestAs } from "../factories";
import { createPublishedRound, SAMPLE_PRODUCTS } from "../factories/published";

beforeAll(async () => {
  await createPublishedRound({ slug: "2016-khu-vuc-phia-bac", products: SAMPLE_PRODUCTS });
  await createPublishedRound({
    slug: "2018-chua-cong-bo",
    year: 2018,
    status: "deliberation",
    products: [{ name: "Nước mắm chưa công bố", facility: "Cơ sở Ẩn", province: "Nam Định", meanScore: 95 }],
  });
  const [tb] = await db().select().from(provinces).where(eq(provinces.name, "Thái Bình"));
  for (const [status, number] of [["issued", "1234/QĐ-BCT"], ["draft", "999/QĐ-BCT"]] as const) {
    const [d] = await db()
      .insert(commendationDecisions)
      .values({
        number,
        signedOn: "2016-10-06",
        signerName: "Trần Tuấn Anh",
        signerTitle: "Bộ trưởng",
        authority: "Bộ Công Thương",
        periodFrom: 2013,
        periodTo: 2015,
        reason: "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015",
        status,
      })
      .returning();
    await db().insert(commendationRecipients).values({
      decisionId: d.id,
      kind: "individual",
      name: status === "issued" ? "Nguyễn Thị Hương" : "Lê Văn Nháp",
      position: "Giám đốc",
      organization: "Trung tâm Khuyến công Thái Bình",
      provinceCode: tb.code,
      achievement: "Hoàn thành xuất sắc nhiệm vụ",
      ordinal: 1,
    });
  }
});

const names = (r: Awaited<ReturnType<typeof searchPublic>>) => r.products.map((p) => p.name);

describe("diacritic-insensitive, typo-tolerant search", () => {
  it('"nuoc mam" finds "Nước mắm" first, and nothing unpublished', async () => {
    const r = await searchPublic("nuoc mam");
    expect(names(r)[0]).toBe("Nước mắm cốt nhĩ Cát Hải");
    expect(names(r)).not.toContain("Nước mắm không hợp lệ");
    expect(names(r)).not.toContain("Nước mắm chưa công bố");
  });

  it('"dak lak" finds products of Đắk Lắk; "gom bat trang" finds Gốm Bát Tràng; "ninh binh" and "dau phu"', async () => {
    expect(names(await searchPublic("dak lak"))).toEqual(["Cà phê bột nguyên chất"]);
    expect(names(await searchPublic("gom bat trang"))[0]).toBe("Gốm Bát Tràng men lam");
    expect(names(await searchPublic("ninh binh"))).toContain("Đậu phụ Mơ");
    expect(names(await searchPublic("dau phu"))[0]).toBe("Đậu phụ Mơ");
    expect(names(await searchPublic("ĐẬU PHỤ"))[0]).toBe("Đậu phụ Mơ");
  });

  it("tolerates a typo", async () => {
    expect(names(await searchPublic("nuoc mamm cat hai"))[0]).toBe("Nước mắm cốt nhĩ Cát Hải");
    expect(names(await searchPublic("bat trng"))).toContain("Gốm Bát Tràng men lam");
  });

  it("finds facilities and recipients of issued decisions only", async () => {
    const r = await searchPublic("htx che bien hai san");
    expect(r.facilities[0].name).toBe("HTX Chế biến hải sản Cát Hải");
    expect(r.facilities[0].products.map((p) => p.name)).toEqual(["Nước mắm cốt nhĩ Cát Hải"]);
    const h = await searchPublic("nguyen thi huong");
    expect(h.recipients.map((x) => x.name)).toEqual(["Nguyễn Thị Hương"]);
    expect((await searchPublic("le van nhap")).recipients).toEqual([]);
  });

  it("matches NFD input like NFC", async () => {
    expect(names(await searchPublic("Nước mắm".normalize("NFD")))[0]).toBe("Nước mắm cốt nhĩ Cát Hải");
  });

  it("treats %, _, quotes and backslashes literally and never fails", async () => {
    for (const q of ["%", "_", "%%", "\\", "'", '"', "' or 1=1 --", "nuoc%mam", "a_b", "\\%", "😀", "🇻🇳 nước mắm 😀", "\u0000", "   ", ""]) {
      const r = await searchPublic(q);
      expect(Array.isArray(r.products)).toBe(true);
    }
    expect(names(await searchPublic("%"))).toEqual([]);
    expect(names(await searchPublic("🇻🇳 nước mắm 😀"))[0]).toBe("Nước mắm cốt nhĩ Cát Hải");
  });

  it("caps 5,000 characters and answers through the route", async () => {
    const long = "nước mắm ".repeat(600);
    expect(Array.from(normaliseQuery(long)).length).toBeLessThanOrEqual(200);
    const res = await call(searchRoute.loader, requestAs(null, `/search?q=${encodeURIComponent(long)}`));
    expect(res.status).toBe(200);
    const data = await jsonOf(res);
    expect(data.truncated).toBe(true);
    expect(data.products[0].name).toBe("Nước mắm cốt nhĩ Cát Hải");
  });

  it("never raises for arbitrary input (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 300 }), async (q) => {
        const r = await searchPublic(q);
        expect(r.query.length).toBeLessThanOrEqual(800);
      }),
      { numRuns: 60 },
    );
  });
});

describe("highlights", () => {
  it("marks the matched words in the original text with diacritics", () => {
    expect(highlight("Nước mắm cốt nhĩ", "nuoc mam")).toEqual([
      { text: "Nước", hit: true },
      { text: " ", hit: false },
      { text: "mắm", hit: true },
      { text: " cốt nhĩ", hit: false },
    ]);
    expect(highlight("Đắk Lắk", "dak")).toEqual([
      { text: "Đắk", hit: true },
      { text: " Lắk", hit: false },
    ]);
    expect(highlight("abc", "%")).toEqual([{ text: "abc", hit: false }]);
  });
});
