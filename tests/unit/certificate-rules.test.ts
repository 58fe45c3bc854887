import { describe, expect, it } from "vitest";

import {
  CODE_ALPHABET,
  certificateStatus,
  formatSerial,
  newVerificationCode,
  normaliseCode,
  productSerialPrefix,
  productValidity,
  validityRegimeOn,
  type ValidityRegime,
  VALIDITY_REGIMES,
} from "../../app/models/certificate/rules";

describe("certificate rules", () => {
  it("is valid to 31 December of the fourth year counting the issue year, and names the regime of the date", () => {
    expect(productValidity("2016-10-07", "region")).toEqual({ validUntil: "2019-12-31", rule: "TT26_2014" });
    expect(productValidity("2018-08-15", "province").rule).toBe("TT26_2014");
    expect(productValidity("2018-08-16", "province")).toEqual({ validUntil: "2021-12-31", rule: "TT14_2018" });
    expect(productValidity("2026-01-01", "national")).toEqual({ validUntil: "2029-12-31", rule: "TT38_2025" });
  });

  it("reads the years per regime and level from the reference data: a 2016 certificate follows its own regime", () => {
    expect(VALIDITY_REGIMES.find((r) => r.code === "TT26_2014")?.confirmed).toBe(false);
    // Were the 2014 rule 3 years for regional rounds, only pre-2018 regional certificates change.
    const edited: ValidityRegime[] = VALIDITY_REGIMES.map((r) =>
      r.code === "TT26_2014" ? { ...r, yearsCountingIssue: { ...r.yearsCountingIssue, region: 3 } } : r,
    );
    expect(productValidity("2016-09-26", "region", edited).validUntil).toBe("2018-12-31");
    expect(productValidity("2016-09-26", "province", edited).validUntil).toBe("2019-12-31");
    expect(productValidity("2020-09-26", "region", edited).validUntil).toBe("2023-12-31");
    expect(validityRegimeOn("2010-01-01").code).toBe("TT26_2014");
  });

  it("says valid through the last day, expired after, revoked whatever the date", () => {
    expect(certificateStatus({ revokedAt: null, validUntil: "2019-12-31" }, "2019-12-31")).toBe("valid");
    expect(certificateStatus({ revokedAt: null, validUntil: "2019-12-31" }, "2020-01-01")).toBe("expired");
    expect(certificateStatus({ revokedAt: new Date(), validUntil: "2099-12-31" }, "2020-01-01")).toBe("revoked");
    expect(certificateStatus({ revokedAt: null, validUntil: null }, "2099-01-01")).toBe("valid");
  });

  it("makes codes of at least 60 bits from an alphabet without look-alikes", () => {
    const codes = new Set(Array.from({ length: 2000 }, newVerificationCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{14}$`));
    expect(14 * Math.log2(CODE_ALPHABET.length)).toBeGreaterThanOrEqual(60);
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it("normalises typed codes", () => {
    expect(normaliseCode(" abcd-efgh jk ")).toBe("ABCDEFGHJK");
  });

  it("numbers serials per issuer and year", () => {
    expect(formatSerial(productSerialPrefix({ level: "region", regionCode: "BAC", provinceCode: null, year: 2016 }), 73)).toBe("KV-BAC-2016-073");
    expect(formatSerial(productSerialPrefix({ level: "national", regionCode: null, provinceCode: null, year: 2017 }), 5)).toBe("QG-2017-005");
    expect(formatSerial("BK-2016", 1)).toBe("BK-2016-0001");
  });
});

describe("default pass mark per level", () => {
  it("reads the level's default from the reference data (70 today; unconfirmed above province)", async () => {
    const { DEFAULT_PASS_MARKS, defaultPassMark } = await import("../../app/models/round/rules");
    const { roundSchema } = await import("../../app/schemas/round");
    expect(defaultPassMark("region")).toBe(70);
    expect(DEFAULT_PASS_MARKS.region.confirmed).toBe(false);
    expect(DEFAULT_PASS_MARKS.province.confirmed).toBe(true);
    expect(defaultPassMark("national", { ...DEFAULT_PASS_MARKS, national: { value: 75, confirmed: true } })).toBe(75);
    const base = {
      title: "Bình chọn sản phẩm CNNT tiêu biểu thử nghiệm",
      slug: "dot-thu",
      year: "2026",
      registrationOpensAt: "2026-01-01T08:00",
      registrationClosesAt: "2026-03-01T17:00",
      scoringClosesAt: "2026-04-01T17:00",
      authority: "Cục Công nghiệp địa phương – Bộ Công Thương",
    };
    // Blank takes the level's default; a typed value wins.
    expect(roundSchema.parse({ ...base, level: "province", provinceCode: "ninh-binh", passMark: "" }).passMark).toBe(defaultPassMark("province"));
    expect(roundSchema.parse({ ...base, level: "region", regionCode: "BAC", passMark: "72,5" }).passMark).toBe(72.5);
  });
});
