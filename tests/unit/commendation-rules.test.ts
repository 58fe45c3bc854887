import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { placeAndDate, signerTitleLines } from "../../app/models/certificate/pdf.server";
import { columnLetter, safeCell } from "../../app/models/commendation/recipient-import.server";
import { DECISION_NUMBER_RE, duplicateKey, foldName, looksLikeFormula, normaliseDecisionNumber, textProblem } from "../../app/schemas/commendation";
import { firstInvalidUtf8, parseCsv } from "../../app/utils/csv-read.server";
import { textWidth, wrapText } from "../../app/utils/pdf.server";

describe("decision numbers", () => {
  it("normalises the forms people type to 1234/QĐ-BCT and refuses others", () => {
    expect(normaliseDecisionNumber(" Số: 1234 / qđ-bct ")).toBe("1234/QĐ-BCT");
    expect(normaliseDecisionNumber("1234/QD-BCT")).toBe("1234/QĐ-BCT");
    for (const bad of ["1234/QĐ-UBND", "1234/QĐ-BCT-1", "/QĐ-BCT", "12a4/QĐ-BCT", "123456/QĐ-BCT"]) {
      expect(DECISION_NUMBER_RE.test(normaliseDecisionNumber(bad)), bad).toBe(false);
    }
  });
});

describe("text rules", () => {
  it("sees formulas, emoji, control characters and length", () => {
    expect(looksLikeFormula('=HYPERLINK("x")')).toBe(true);
    expect(looksLikeFormula("+1+1")).toBe(true);
    expect(looksLikeFormula("@SUM(A1)")).toBe(true);
    expect(looksLikeFormula("-cmd")).toBe(true);
    expect(looksLikeFormula("- gạch đầu dòng")).toBe(false);
    expect(looksLikeFormula("Sở Công Thương")).toBe(false);
    expect(textProblem("Nguyễn 😀", 200)).toMatch(/emoji/);
    expect(textProblem("Việt Nam 🇻🇳", 200)).toMatch(/emoji/);
    expect(textProblem("a\u202Eb", 200)).toMatch(/điều khiển/);
    expect(textProblem("x".repeat(201), 200)).toMatch(/dài 201 ký tự/);
    expect(textProblem("Đặng Thị Ỹ", 200)).toBeNull();
  });

  it("folds Vietnamese for duplicates: case, marks, đ and spacing do not matter", () => {
    expect(foldName("  Đặng   Thị Hường ")).toBe("dang thi huong");
    expect(duplicateKey({ kind: "individual", name: "NGUYỄN VĂN A", organization: "Sở CT" })).toBe(duplicateKey({ kind: "individual", name: "nguyen van a", organization: "sở ct" }));
    expect(duplicateKey({ kind: "individual", name: "A", organization: "X" })).not.toBe(duplicateKey({ kind: "individual", name: "A", organization: "Y" }));
    expect(duplicateKey({ kind: "collective", name: "A" })).not.toBe(duplicateKey({ kind: "individual", name: "A", organization: "" }));
  });

  it("quotes spreadsheet formulas on export", () => {
    expect(safeCell("=1+1")).toBe("'=1+1");
    expect(safeCell("Bình thường")).toBe("Bình thường");
  });
});

describe("CSV and bytes", () => {
  it("parses quotes, escaped quotes, CRLF/LF and quoted line breaks", () => {
    const { rows } = parseCsv('a,"b,1","c ""d"""\r\n"x\ny",2,3\n');
    expect(rows.map((r) => r.cells)).toEqual([
      ["a", "b,1", 'c "d"'],
      ["x\ny", "2", "3"],
    ]);
    expect(rows[1].line).toBe(2);
  });

  it("round-trips any table through CSV quoting (property)", () => {
    const cell = fc.string({ maxLength: 12 }).filter((s) => !s.includes("\r"));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (table) => {
        const width = table[0].length;
        const t = table.map((r) => [...r, ...Array(width).fill("")].slice(0, width));
        // A row of one empty cell is a blank line; give every row a first cell.
        t.forEach((r) => (r[0] = `k${r[0]}`));
        const text = t.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(",")).join("\r\n");
        expect(parseCsv(text).rows.map((r) => r.cells)).toEqual(t);
      }),
      { numRuns: 1000 },
    );
  });

  it("finds the first invalid UTF-8 byte, and never flags valid text (property)", () => {
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(new Uint8Array([0xf5, 0x80, 0x80, 0x80]))).toBe(0);
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => firstInvalidUtf8(new TextEncoder().encode(s)) === -1));
  });

  it("names columns like a spreadsheet", () => {
    expect([0, 5, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(["A", "F", "Z", "AA", "AB", "ZZ", "AAA"]);
  });
});

describe("certificate text layout", () => {
  it("wraps within the width and keeps every word", () => {
    const text = "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015, góp phần vào sự nghiệp phát triển công nghiệp nông thôn";
    const lines = wrapText(text, "regular", 14, 300);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => textWidth(l, "regular", 14) <= 300)).toBe(true);
    expect(lines.join(" ")).toBe(text);
  });

  it("prints the place and date and the signer's title the official way", () => {
    expect(placeAndDate("Hà Nội", "2016-10-07")).toBe("Hà Nội, ngày 07 tháng 10 năm 2016");
    expect(signerTitleLines("Bộ trưởng Bộ Công Thương", "Bộ Công Thương")).toEqual(["BỘ TRƯỞNG"]);
    expect(signerTitleLines("KT. Bộ trưởng - Thứ trưởng", "Bộ Công Thương")).toEqual(["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]);
  });
});
