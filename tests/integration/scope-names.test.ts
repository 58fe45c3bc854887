import { describe, expect, it } from "vitest";

import * as account from "../../app/routes/account";
import * as adminUsers from "../../app/routes/admin.users";
import { call, createTestUser, jsonOf, requestAs } from "../factories/index";

describe("an organiser's scope is shown by name, never by code", () => {
  it("on the account page and in the admin's list of accounts", async () => {
    const region = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const province = await createTestUser({ roles: ["organizer"], organizerScope: { scopeProvince: "ninh-binh" } });
    const mine = await jsonOf(await call(account.loader, requestAs(region, "/account")));
    expect(mine.roles.map((r: { label: string }) => r.label)).toEqual([expect.stringMatching(/^Ban tổ chức \(.*phía Bắc.*\)$/)]);
    const theirs = await jsonOf(await call(account.loader, requestAs(province, "/account")));
    expect(theirs.roles[0].label).toBe("Ban tổ chức (Ninh Bình)");

    const admin = await createTestUser({ roles: ["admin"] });
    const list = await jsonOf(await call(adminUsers.loader, requestAs(admin, `/admin/users?q=${encodeURIComponent(province.email)}`)));
    expect(list.names.provinces["ninh-binh"]).toBe("Ninh Bình");
    expect(list.names.regions.BAC).toMatch(/phía Bắc/);
  });
});
