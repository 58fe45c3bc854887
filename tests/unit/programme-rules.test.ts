import { describe, expect, it } from "vitest";

import { programmeChartSvg } from "../../app/components/ProgrammeChart";
import {
  aggregate,
  formatFigure,
  formatPercentShort,
  furthestBehind,
  parsePeriod,
  parseVietnameseNumber,
  percentOfPlan,
  rollUp,
  spreadTotal,
} from "../../app/models/programme/rules";
import { checkFigure } from "../../app/schemas/programme";

describe("parseVietnameseNumber", () => {
  it.each([
    ["7.456,43", 7456.43],
    ["7456.43", 7456.43],
    ["7,456.43", 7456.43],
    ["7456,43", 7456.43],
    ["4.875", 4875],
    ["4875", 4875],
    ["1.234.567", 1234567],
    ["1,234,567", 1234567],
    ["1.234.567,5", 1234567.5],
    ["12.163,85", 12163.85],
    [" 4 875 ", 4875],
    ["0,5", 0.5],
    ["0.500", 0.5],
    ["1,234", 1.234],
    ["-5", -5],
    [12.5, 12.5],
  ])("reads %s as %s", (input, expected) => {
    expect(parseVietnameseNumber(input)).toBe(expected);
  });

  it.each(["", "abc", "12a", "1e5", "12.", "1.2.3", "12.34.56", "1,2,3", "7.456,43,1", "--5", ".", ","])("refuses %j", (input) => {
    expect(parseVietnameseNumber(input)).toBeNull();
  });
});

describe("checkFigure", () => {
  it("names negative and non-numeric figures, and allows an empty cell", () => {
    expect(checkFigure("-3", "Thực hiện")).toEqual({ ok: false, message: expect.stringContaining("không được âm") });
    expect(checkFigure("mười", "Thực hiện")).toEqual({ ok: false, message: expect.stringContaining("không phải là số") });
    expect(checkFigure("1,234", "Kế hoạch")).toEqual({ ok: false, message: expect.stringContaining("2 chữ số thập phân") });
    expect(checkFigure("", "Kế hoạch")).toEqual({ ok: true, value: null });
    expect(checkFigure("0", "Kế hoạch")).toEqual({ ok: true, value: 0 });
    expect(checkFigure("7.456,43", "Doanh thu")).toEqual({ ok: true, value: 7456.43 });
  });
});

describe("percent of plan", () => {
  it("gives the conference's published percentages", () => {
    expect(percentOfPlan(5910, 4875)).toBe(82.49);
    expect(percentOfPlan(12163.85, 7456.43)).toBe(61.3);
  });
  it("is null (shown —) for a plan of 0 or no plan, never a division error", () => {
    expect(percentOfPlan(0, 10)).toBeNull();
    expect(percentOfPlan(null, 10)).toBeNull();
    expect(percentOfPlan(10, null)).toBeNull();
    expect(formatPercentShort(percentOfPlan(0, 10))).toBe("—");
  });
  it("prints the Vietnamese way", () => {
    expect(formatPercentShort(82.49)).toBe("82,49%");
    expect(formatPercentShort(61.3)).toBe("61,3%");
    expect(formatFigure(4875)).toBe("4.875");
    expect(formatFigure(7456.43)).toBe("7.456,43");
  });
});

describe("aggregation and roll-up", () => {
  it("sums or averages the values present", () => {
    expect(aggregate([1, 2, null, 3], "sum")).toBe(6);
    expect(aggregate([1, 2, null, 3], "avg")).toBe(2);
    expect(aggregate([null], "sum")).toBeNull();
  });

  it("rolls provinces up and marks the ones furthest behind plan", () => {
    const lines = rollUp({
      indicators: [
        { code: "A", name: "A", unit: "người", aggregation: "sum" },
        { code: "B", name: "B", unit: "%", aggregation: "avg" },
        { code: "C", name: "C", unit: "x", aggregation: "sum" },
      ],
      places: [
        { code: "p1", name: "P1" },
        { code: "p2", name: "P2" },
        { code: "p3", name: "P3" },
      ],
      figures: [
        { indicatorCode: "A", provinceCode: "p1", plan: 100, actual: 50 },
        { indicatorCode: "A", provinceCode: "p2", plan: 100, actual: 120 },
        { indicatorCode: "A", provinceCode: "p3", plan: 0, actual: 5 },
        { indicatorCode: "B", provinceCode: "p1", plan: 80, actual: 60 },
        { indicatorCode: "B", provinceCode: "p2", plan: 40, actual: 40 },
      ],
      behindCount: 1,
    });
    expect(lines.map((l) => l.code)).toEqual(["A", "B"]); // C has no figure
    const [a, b] = lines;
    expect([a.plan, a.actual, a.percentOfPlan]).toEqual([200, 175, 87.5]);
    expect(a.byPlace.map((p) => p.percentOfPlan)).toEqual([50, 120, null]);
    expect(a.byPlace.filter((p) => p.behind).map((p) => p.code)).toEqual(["p1"]);
    expect([b.plan, b.actual, b.percentOfPlan]).toEqual([60, 50, 83.33]);
  });

  it("lists the furthest behind lowest first, leaving out plan 0 and those at or over plan", () => {
    expect(
      furthestBehind([
        { code: "a", percentOfPlan: 90 },
        { code: "b", percentOfPlan: null },
        { code: "c", percentOfPlan: 40 },
        { code: "d", percentOfPlan: 100 },
        { code: "e", percentOfPlan: 70 },
      ]),
    ).toEqual(["c", "e", "a"]);
  });

  it("spreads a total so the parts add up exactly", () => {
    const parts = spreadTotal(7456.43, [3, 1, 1, 2, 5, 0.5], 2);
    expect(Math.round(parts.reduce((x, y) => x + y, 0) * 100)).toBe(745643);
    const counts = spreadTotal(19, Array(28).fill(1));
    expect(counts.reduce((x, y) => x + y, 0)).toBe(19);
    expect(counts.every(Number.isInteger)).toBe(true);
  });
});

describe("periods", () => {
  it("reads 9m, 12m and year", () => {
    expect(parsePeriod("9m")).toBe(9);
    expect(parsePeriod("12m")).toBe(12);
    expect(parsePeriod("year")).toBe(12);
    expect(parsePeriod(null)).toBe(12);
    expect(parsePeriod("13m")).toBeNull();
    expect(parsePeriod("abc")).toBeNull();
  });
});

describe("the server-rendered chart", () => {
  it("draws a bar per province, red for the furthest behind, none for a plan of 0, and escapes names", () => {
    const svg = programmeChartSvg({
      id: "c",
      title: "Tỷ lệ <thực hiện>",
      lines: [
        { code: "a", name: "Hà Nội", percentOfPlan: 100.7, behind: false },
        { code: "b", name: "Điện Biên & <x>", percentOfPlan: 48.6, behind: true },
        { code: "c", name: "Lai Châu", percentOfPlan: null, behind: false },
      ],
    });
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg.match(/class="bar bad"/g)).toHaveLength(1);
    expect(svg).toContain("Điện Biên &amp; &lt;x&gt;");
    expect(svg).toContain("Tỷ lệ &lt;thực hiện&gt;");
    expect(svg).toContain(">100,7%<");
    expect(svg).toContain(">—<");
    expect(svg).not.toContain("<x>");
  });
});
