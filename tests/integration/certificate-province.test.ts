/** A product certificate names the province as it was called on the day of the decision. */
import { describe, expect, it } from "vitest";

import { createPublishedRound } from "../factories/published";

describe("province on a product certificate", () => {
  it("keeps the 2016 name before 1 July 2025 and uses the merged unit after it", async () => {
    const spec = { name: "Miến dong Côn Minh", facility: "HTX Miến dong Côn Minh", province: "Bắc Kạn" };
    const before = await createPublishedRound({ year: 2016, products: [spec] });
    const subject2016 = before.products[0].certificate!.subject as { provinceName: string; provinceCurrentName: string };
    expect(subject2016.provinceName).toBe("Bắc Kạn");
    expect(subject2016.provinceCurrentName).toBe("Thái Nguyên");

    const after = await createPublishedRound({ year: 2026, decisionDate: "2026-08-14", products: [{ ...spec, facility: "HTX Miến Côn Minh 2" }] });
    const subject2026 = after.products[0].certificate!.subject as { provinceName: string };
    expect(subject2026.provinceName).toBe("Thái Nguyên");
  });
});
