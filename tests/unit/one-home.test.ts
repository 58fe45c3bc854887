/**
 * Issue 12: rules that were typed many times have one home. This test fails when a second copy of
 * a predicate appears in app/ — write a query with the shared fragment instead:
 *  - the conflict-of-interest predicate: `notConflicted` / `conflicted` / `conflictReason` in
 *    app/models/council/conflict-sql.server.ts;
 *  - the organiser scope: `organizerCoversRound` / `coversRound` / `organizerCoversProduct` in
 *    app/models/round/organizer-scope.server.ts (the pure rule `grantCovers` in app/utils/permissions.ts);
 *  - the sha256 helper: app/utils/hash.server.ts;
 *  - Vietnamese folding, slugs and order: app/utils/vi-text.ts.
 */
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { compareVi, foldVi, foldWords, slugVi } from "../../app/utils/vi-text";

const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
const appFiles = files("app").filter((f) => /\.tsx?$/.test(f));

function copies(shape: RegExp, allowed: string[]): string[] {
  return appFiles
    .filter((f) => !allowed.some((a) => f.endsWith(a)))
    .flatMap((f) =>
      fs
        .readFileSync(f, "utf8")
        .split("\n")
        .flatMap((line, i) => (shape.test(line) ? [`${f}:${i + 1}`] : [])),
    );
}

/** A query over the conflicts table, or the entry-or-facility match of a conflict row. */
const CONFLICT = /\bfrom\s+conflicts\b|\bjoin\s+conflicts\b|\bc\.(entry_id|facility_id)\s*=|conflicts\.(entryId|facilityId)\b.*\bor\b/i;
/** The pure scope rule called, or a province's region looked up for it. */
const SCOPE = /\bgrantCovers\s*\(|provinces2025\.regionCode/;

describe("one home per rule", () => {
  it("the conflict-of-interest predicate is written only in conflict-sql.server.ts", () => {
    expect(copies(CONFLICT, ["app/models/council/conflict-sql.server.ts"])).toEqual([]);
  });

  it("the organiser scope is checked only in organizer-scope.server.ts", () => {
    expect(copies(SCOPE, ["app/models/round/organizer-scope.server.ts", "app/utils/permissions.ts"])).toEqual([]);
  });

  it("one sha256 helper (app/utils/hash.server.ts)", () => {
    expect(copies(/\b(function|const)\s+sha256\b/, ["app/utils/hash.server.ts"])).toEqual([]);
  });

  it("one Vietnamese folding (app/utils/vi-text.ts): no other module strips diacritics itself", () => {
    expect(copies(/normalize\(\s*["']NFD["']\s*\)/, ["app/utils/vi-text.ts"])).toEqual([]);
    expect(foldVi("Đậu phụ Đắk Lắk")).toBe("dau phu dak lak");
    expect(foldWords("  Tỉnh  Ninh Bình, (mới) ")).toBe("tinh ninh binh moi");
    expect(slugVi("Bà Rịa - Vũng Tàu")).toBe("ba-ria-vung-tau");
    expect(["Đà Nẵng", "Cao Bằng", "Cà Mau", "Yên Bái", "Duyên Hải"].sort(compareVi)).toEqual(["Cà Mau", "Cao Bằng", "Duyên Hải", "Đà Nẵng", "Yên Bái"]);
  });

  it("the shapes catch the copies that were there before", () => {
    expect(CONFLICT.test("and not exists (select 1 from conflicts c where c.round_id = a.round_id and c.user_id = a.juror_id")).toBe(true);
    expect(CONFLICT.test("                        and (c.entry_id = e.id or c.facility_id = e.facility_id))")).toBe(true);
    expect(CONFLICT.test("select 1 from conflicts c join entries e on e.id = ${input.entryId}")).toBe(true);
    expect(CONFLICT.test("notConflicted({ roundId: rounds.id, jurorId, entryId: entries.id, facilityId: entries.facilityId })")).toBe(false);
    expect(SCOPE.test("if (scopes.some((s) => grants.some((g) => grantCovers(g, s)))) return")).toBe(true);
    expect(SCOPE.test("const [p25] = await tx.select({ r: provinces2025.regionCode }).from(provinces2025)")).toBe(true);
  });
});
