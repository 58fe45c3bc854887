/**
 * Issue 19, item 5: every English string exists in Vietnamese and the other way round, with the same
 * interpolations; every page with an English mirror has its /en route file and only those; paths map
 * between the languages without touching the Vietnamese URLs.
 */
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { langFromPath, pathIn, stripLang, switchPath } from "../../app/i18n/config";
import { registerEnglish } from "../../app/i18n/english";
import en from "../../app/i18n/locales/en";
import vi from "../../app/i18n/locales/vi";
import { fixedT } from "../../app/i18n/t";
import { formatDate, formatDateTime, formatNumber } from "../../app/utils/format";

type Tree = { [key: string]: string | Tree };
function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}
const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("translation resources", () => {
  const viKeys = leaves(vi as unknown as Tree);
  const enKeys = leaves(en as unknown as Tree);

  it("have the same keys in both languages", () => {
    expect([...enKeys.keys()].filter((k) => !viKeys.has(k)), "English keys without Vietnamese").toEqual([]);
    expect([...viKeys.keys()].filter((k) => !enKeys.has(k)), "Vietnamese keys without English").toEqual([]);
    expect(viKeys.size).toBeGreaterThan(150);
  });

  it("use the same interpolations and leave no string empty", () => {
    const problems: string[] = [];
    for (const [key, text] of viKeys) {
      const english = enKeys.get(key) ?? "";
      if (!text.trim() || !english.trim()) problems.push(`${key}: empty`);
      if (vars(text).join() !== vars(english).join()) problems.push(`${key}: {{${vars(text)}}} vs {{${vars(english)}}}`);
    }
    expect(problems).toEqual([]);
  });

  it("translate in each language, Vietnamese the fallback; English only once its table is registered", () => {
    // A Vietnamese page's JavaScript carries no English table: until an English route registers it, Vietnamese.
    expect(fixedT("en")("round.filters")).toBe("Lọc và sắp xếp");
    registerEnglish();
    expect(fixedT("en")("round.filters")).toBe("Filter and sort");
    expect(fixedT("en")("no.such.key", { defaultValue: "Mặc định" })).toBe("Mặc định");
    expect(fixedT("vi")("round.filters")).toBe("Lọc và sắp xếp");
    expect(fixedT("en")("parts.rank", { rank: 3 })).toBe("Rank 3");
  });
});

describe("the /en mirror routes", () => {
  const dir = path.resolve("app/routes");
  const files = fs.readdirSync(dir).filter((f) => /\.tsx?$/.test(f));
  const mirrored = files.filter((f) => !f.startsWith("en.") && /export const handle = \{ english: true \}/.test(fs.readFileSync(path.join(dir, f), "utf8")));

  it("every page marked `handle.english` has its en.* alias re-exporting it, and every alias has a marked page", () => {
    expect(mirrored.length).toBeGreaterThanOrEqual(13);
    for (const f of mirrored) {
      const alias = path.join(dir, `en.${f}`);
      expect(fs.existsSync(alias), `app/routes/en.${f}`).toBe(true);
      const text = fs.readFileSync(alias, "utf8");
      expect(text, `en.${f}`).toContain(`from "./${f.replace(/\.tsx?$/, "")}"`);
      for (const name of ["default", "loader", "meta", "handle"]) expect(text, `en.${f} re-exports ${name}`).toMatch(new RegExp(`\\b${name}\\b`));
    }
    const aliases = files.filter((f) => f.startsWith("en.") && f !== "en.$.tsx");
    expect(aliases.map((f) => f.slice(3)).sort()).toEqual([...mirrored].sort());
  });
});

describe("paths between the languages", () => {
  it("reads the language from the path alone", () => {
    expect(langFromPath("/")).toBe("vi");
    expect(langFromPath("/en")).toBe("en");
    expect(langFromPath("/en/rounds/x")).toBe("en");
    expect(langFromPath("/english")).toBe("vi");
    expect(langFromPath("/rounds/en")).toBe("vi");
  });

  it("maps a Vietnamese path to English and back, query and hash kept", () => {
    expect(pathIn("en", "/")).toBe("/en");
    expect(pathIn("en", "/rounds/x?group=2")).toBe("/en/rounds/x?group=2");
    expect(pathIn("en", "/rounds/x/the-le#tham-gia")).toBe("/en/rounds/x/the-le#tham-gia");
    expect(pathIn("en", "?page=2")).toBe("?page=2");
    expect(pathIn("en", "/en/rounds")).toBe("/en/rounds");
    expect(pathIn("vi", "/rounds")).toBe("/rounds");
    expect(stripLang("/en")).toBe("/");
    expect(stripLang("/en/products/12-x")).toBe("/products/12-x");
    expect(switchPath("en", "/rounds/x", "?sort=name")).toBe("/en/rounds/x?sort=name");
    expect(switchPath("vi", "/en/rounds/x", "?sort=name")).toBe("/rounds/x?sort=name");
    expect(switchPath("vi", "/en", "")).toBe("/");
  });
});

describe("dates and numbers on /en", () => {
  it("are English in Vietnam time; Vietnamese stays as it was", () => {
    // 17:00 on 30 June 2026 in Vietnam is 10:00 UTC.
    const at = new Date("2026-06-30T10:00:00Z");
    expect(formatDateTime(at)).toBe("17:00 ngày 30/06/2026");
    expect(formatDateTime(at, "en")).toBe("17:00, 30 Jun 2026");
    // 23:30 UTC on 6 Oct is already 7 Oct in Vietnam.
    expect(formatDate(new Date("2016-10-06T23:30:00Z"), "en")).toBe("7 Oct 2016");
    expect(formatNumber(1234.5, 2)).toBe("1.234,50");
    expect(formatNumber(1234.5, 2, "en")).toBe("1,234.50");
  });
});
