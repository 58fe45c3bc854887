import { describe, expect, it } from "vitest";

import { csvCell, toCsv } from "../../app/utils/csv";

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
