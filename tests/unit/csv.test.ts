import { describe, expect, it } from "vitest";

import { csvCell, toCsv } from "../../app/utils/csv";
import { decodeUtf8, firstInvalidUtf8, lineOfByte, parseCsv } from "../../app/utils/csv-read.server";

describe("csv", () => {
  it("starts with a BOM, quotes what needs quoting and keeps Vietnamese as is", () => {
    const csv = toCsv(["Tên", "Điểm"], [["Nước mắm \"Cát Hải\", loại 1", 85.5]]);
    expect(csv.startsWith("\uFEFFTên,Điểm\r\n")).toBe(true);
    expect(csv).toContain('"Nước mắm ""Cát Hải"", loại 1",85.5\r\n');
  });

  it("never exports a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvCell("+84 912")).toBe("'+84 912");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe("-5");
  });
});

describe("csv reading (csv-parse, strict UTF-8)", () => {
  it("takes \";\" when the header uses it, and mixed line endings", () => {
    expect(parseCsv("Loại;Tên\r\nTập thể;\"Sở A; Sở B\"\n3;4\r5;6").rows).toEqual([
      { line: 1, cells: ["Loại", "Tên"] },
      { line: 2, cells: ["Tập thể", "Sở A; Sở B"] },
      { line: 3, cells: ["3", "4"] },
      { line: 4, cells: ["5", "6"] },
    ]);
    expect(parseCsv('a,"b;c;d"\n1,2').rows[0].cells).toEqual(["a", "b;c;d"]);
  });

  it("names the line an unclosed quote starts on, after a record spanning lines", () => {
    const { error } = parseCsv('h1,h2\n"x\ny",2\n3,"4\n5\n');
    expect(error?.row).toBe(4);
    expect(error?.message).toMatch(/^Dòng 4: dấu ngoặc kép/);
  });

  it("drops a BOM, refuses broken UTF-8 and finds its byte after a BOM and a real U+FFFD", () => {
    const bom = [0xef, 0xbb, 0xbf];
    expect(decodeUtf8(new Uint8Array([...bom, 0x41]))).toBe("A");
    const bytes = new Uint8Array([...bom, 0xef, 0xbf, 0xbd, 0x0a, 0x41, 0xe2, 0x70]);
    expect(decodeUtf8(bytes)).toBeNull();
    expect(firstInvalidUtf8(bytes)).toBe(8);
    expect(lineOfByte(bytes, 8)).toBe(2);
  });
});
