import { describe, expect, it } from "vitest";

import { liveTotal } from "../../app/models/scoring/rules";

describe("live total of a score sheet", () => {
  it("adds valid points typed with a comma or a dot, blanks count as nothing yet", () => {
    const r = liveTotal([
      { key: "p.1", raw: "7,5", max: 10 },
      { key: "p.2", raw: "8.5", max: 10 },
      { key: "p.3", raw: "", max: 5 },
    ]);
    expect(r).toEqual({ total: 16, invalid: [] });
  });

  it("marks 99 in a box whose maximum is 10 instead of adding it", () => {
    const r = liveTotal([
      { key: "p.1", raw: "99", max: 10 },
      { key: "p.2", raw: "6", max: 10 },
    ]);
    expect(r.total).toBe(6);
    expect(r.invalid).toEqual([{ key: "p.1", message: "Điểm vượt quá tối đa 10." }]);
  });

  it("marks a negative value, a wrong step and text, and keeps half points exact", () => {
    const r = liveTotal([
      { key: "a", raw: "-5", max: 10 },
      { key: "b", raw: "7,3", max: 10 },
      { key: "c", raw: "bảy", max: 10 },
      { key: "d", raw: "0,5", max: 1 },
      { key: "e", raw: "0,5", max: 1 },
      { key: "f", raw: "0,5", max: 1 },
    ]);
    expect(r.total).toBe(1.5);
    expect(r.invalid.map((i) => i.key)).toEqual(["a", "b", "c"]);
  });
});
