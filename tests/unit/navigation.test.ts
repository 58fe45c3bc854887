/** The main menu never shows two items with the same name or target, for any mix of roles. */
import { describe, expect, it } from "vitest";

import { menuFor, ROLE_NAV } from "../../app/utils/navigation";

const roles = Object.keys(ROLE_NAV);

/** Every subset of the roles (5 roles: 32 menus). */
function subsets<T>(items: T[]): T[][] {
  return items.reduce<T[][]>((all, item) => all.concat(all.map((s) => [...s, item])), [[]]);
}

describe("main menu", () => {
  it("has unique names and targets for every combination of roles", () => {
    for (const set of subsets(roles)) {
      const menu = menuFor(set);
      const labels = menu.map((i) => i.label);
      expect(new Set(labels).size, `${set.join("+")}: ${labels.join(", ")}`).toBe(labels.length);
      expect(new Set(menu.map((i) => i.to)).size).toBe(menu.length);
    }
  });

  it("gives the ministry officer the public list and their desk under different names", () => {
    const menu = menuFor(["ministry"]);
    expect(menu.filter((i) => /khen thưởng/i.test(i.label)).map((i) => [i.to, i.label])).toEqual([
      ["/commendations", "Khen thưởng"],
      ["/ministry", "Quản lý khen thưởng"],
    ]);
  });

  it("ignores unknown and repeated roles", () => {
    expect(menuFor(["organizer", "organizer", "nobody"]).map((i) => i.to)).toEqual(["/", "/rounds", "/commendations", "/verify", "/programme", "/organizer", "/organizer/programme"]);
  });
});
