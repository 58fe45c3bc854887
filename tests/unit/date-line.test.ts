import { describe, expect, it } from "vitest";

import { formatDateLine, formatPlaceDate } from "../../app/utils/format";

describe("the date line of a state document (days < 10 and months 1–2 padded, months 3–12 not)", () => {
  it.each([
    ["2016-09-30", "ngày 30 tháng 9 năm 2016"],
    ["2016-10-07", "ngày 07 tháng 10 năm 2016"],
    ["2016-01-05", "ngày 05 tháng 01 năm 2016"],
    ["2020-02-29", "ngày 29 tháng 02 năm 2020"],
    ["2020-03-01", "ngày 01 tháng 3 năm 2020"],
    ["2020-08-23", "ngày 23 tháng 8 năm 2020"],
    ["2026-12-10", "ngày 10 tháng 12 năm 2026"],
    ["2026-11-09", "ngày 09 tháng 11 năm 2026"],
  ])("%s → %s", (iso, line) => {
    expect(formatDateLine(iso)).toBe(line);
  });

  it("a moment is dated by its day in Vietnam, not in UTC", () => {
    // 20:30 UTC on 28 February is 03:30 on 1 March in Hà Nội.
    expect(formatDateLine(new Date("2026-02-28T20:30:00Z"))).toBe("ngày 01 tháng 3 năm 2026");
    expect(formatDateLine("2026-02-28T20:30:00Z")).toBe("ngày 01 tháng 3 năm 2026");
  });

  it("place and date above a signature; a missing date prints the blanks of the form", () => {
    expect(formatPlaceDate("Thái Nguyên", "2026-08-20")).toBe("Thái Nguyên, ngày 20 tháng 8 năm 2026");
    expect(formatDateLine(null)).toBe("ngày … tháng … năm …");
  });
});
