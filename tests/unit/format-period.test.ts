import { describe, expect, it } from "vitest";

import { formatDateTimeCell, formatPeriod, formatYears } from "../../app/utils/format";

describe("periods and times as a person reads them", () => {
  it("shows a one-year period as one year, a longer one as a range", () => {
    expect(formatPeriod(2016, 2016)).toBe("năm 2016");
    expect(formatPeriod(2013, 2015)).toBe("giai đoạn 2013–2015");
    expect(formatYears(2016, 2016)).toBe("2016");
    expect(formatYears("2013", "2015")).toBe("2013–2015");
    expect(formatPeriod(null, null)).toBe("");
  });

  it("writes a spreadsheet time in Vietnam time", () => {
    expect(formatDateTimeCell(new Date("2016-09-06T08:00:00Z"))).toBe("06/09/2016 15:00");
    expect(formatDateTimeCell("2016-09-06 08:00:00+00")).toBe("06/09/2016 15:00");
    expect(formatDateTimeCell(null)).toBe("");
  });
});
