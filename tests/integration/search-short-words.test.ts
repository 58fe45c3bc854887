/**
 * Short words: a folded word matches as a word (or the start of one) before trigram similarity
 * applies, so "gốm" (pottery) never finds "gỗ" (wood); what matched is highlighted, also when the
 * match is the facility's name. Products as in the demo's 2016 Northern round.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { foldVi, highlight, termPattern } from "../../app/models/public/search-text";
import { searchPublic } from "../../app/models/public/search.server";
import { createPublishedRound } from "../factories/published";

beforeAll(async () => {
  await createPublishedRound({
    products: [
      { name: "Bình gốm men rạn Thổ Hà", facility: "Làng nghề gốm Thổ Hà – Hộ Nguyễn Văn Đông", province: "Bắc Giang" },
      { name: "Chum gốm Hương Canh", facility: "HTX Gốm Hương Canh", province: "Vĩnh Phúc" },
      { name: "Đĩa gốm Chu Đậu vẽ tay", facility: "HTX Gốm Chu Đậu", province: "Hải Dương" },
      { name: "Sập thờ gỗ mít", facility: "Cơ sở Mộc mỹ nghệ Đồng Hỷ", province: "Thái Nguyên" },
      { name: "Tủ chè gỗ hương Đồng Kỵ", facility: "Công ty TNHH Đồ gỗ Đồng Kỵ", province: "Bắc Ninh" },
      { name: "Bộ bàn ghế gỗ mỡ ghép thanh", facility: "Công ty TNHH Gỗ Bắc Kạn", province: "Bắc Kạn" },
      { name: "Tượng gỗ Bảo Hà", facility: "HTX Tạc tượng Bảo Hà", province: "Hải Phòng" },
      { name: "Miến tỏi đen Trường Thọ", facility: "HTX dịch vụ sản xuất miến dong Việt Cường", province: "Thái Nguyên" },
      { name: "Mỳ gạo Chũ", facility: "HTX Mỳ Chũ", province: "Bắc Giang" },
      { name: "Cốm làng Vòng", facility: "Công ty TNHH Bánh Cốm Hàng Than", province: "Hà Nội" },
      { name: "Gạo Séng Cù Mường Thanh", facility: "HTX Gạo Mường Thanh", province: "Điện Biên" },
    ],
  });
});

const marked = (text: string, q: string) => highlight(text, q).some((s) => s.hit);

describe("short words", () => {
  it('"gốm" finds the pottery only, never wood, noodles or cốm', async () => {
    const r = await searchPublic("gốm");
    const names = r.products.map((p) => p.name).sort();
    expect(names).toEqual(["Bình gốm men rạn Thổ Hà", "Chum gốm Hương Canh", "Đĩa gốm Chu Đậu vẽ tay"]);
    expect(r.facilities.map((f) => f.name).every((n) => foldVi(n).includes("gom"))).toBe(true);
  });

  it('"gỗ" finds wood, never pottery', async () => {
    const names = (await searchPublic("gỗ")).products.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["Sập thờ gỗ mít", "Tủ chè gỗ hương Đồng Kỵ", "Bộ bàn ghế gỗ mỡ ghép thanh", "Tượng gỗ Bảo Hà"]));
    expect(names.filter((n) => foldVi(n).includes("gom"))).toEqual([]);
    expect(names).not.toContain("Gạo Séng Cù Mường Thanh");
  });

  it("every hit shows what matched, in its name or in its facility's name", async () => {
    for (const q of ["gốm", "gỗ", "mien dong", "bat trang"]) {
      for (const p of (await searchPublic(q)).products) expect(marked(p.name, q) || marked(p.facilityName, q), `${q}: ${p.name}`).toBe(true);
    }
    // The noodle product matched through its facility ("… miến dong Việt Cường"): the facility is marked.
    const hit = (await searchPublic("mien dong")).products.find((p) => p.name === "Miến tỏi đen Trường Thọ")!;
    expect(hit).toBeTruthy();
    expect(marked(hit.name, "mien dong")).toBe(true);
    expect(highlight(hit.facilityName, "mien dong").filter((s) => s.hit).map((s) => s.text)).toEqual(["miến", "dong"]);
  });

  it("a long word still tolerates a typo", async () => {
    expect((await searchPublic("tuong go bao ha")).products[0]?.name).toBe("Tượng gỗ Bảo Hà");
    expect((await searchPublic("huong cahn")).products.map((p) => p.name)).toContain("Chum gốm Hương Canh");
  });
});

describe("the word rule, as the page highlights it", () => {
  it("marks a short term only as a whole word and a longer one at a word's start", () => {
    expect(highlight("Gốm sứ", "go").some((s) => s.hit)).toBe(false);
    expect(highlight("Đồ gỗ", "go")).toEqual([
      { text: "Đồ ", hit: false },
      { text: "gỗ", hit: true },
    ]);
    expect(highlight("Bánh Cốm", "om").some((s) => s.hit)).toBe(false);
    expect(highlight("Hương Canh", "huon")).toEqual([
      { text: "Hươn", hit: true },
      { text: "g Canh", hit: false },
    ]);
    expect(termPattern("go")).toBe("\\mgo\\M");
    expect(termPattern("gom")).toBe("\\mgom");
  });
});
