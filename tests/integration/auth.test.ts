import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { MAX_FAILURES_PER_ACCOUNT_CLIENT, revokeRole } from "../../app/models/account/user.server";
import * as account from "../../app/routes/account";
import * as adminUsers from "../../app/routes/admin.users";
import * as login from "../../app/routes/login";
import * as logout from "../../app/routes/logout";
import * as signup from "../../app/routes/signup";
import { getUser } from "../../app/utils/auth.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { call, confirmed, createTestUser, jsonOf, requestAs, TEST_PASSWORD, toastOf } from "../factories";

describe("sign-up", () => {
  it("creates an unverified facility owner, signs nobody in and asks to check the mailbox", async () => {
    const res = await call(signup.action, requestAs(null, "/signup", {
      form: { fullName: "Nguyễn Thị Hoa", email: "Hoa@Example.vn", password: "mot-mat-khau-dai", confirm: "mot-mat-khau-dai" },
    }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/signup?gui=hoa%40example.vn");
    expect(res.headers.get("Set-Cookie")).toBeNull();
    const [row] = rowsOf<{ verified: boolean; roles: string }>(
      await db().execute(sql`select email_verified_at is not null as verified, (select string_agg(role, ',') from user_roles r where r.user_id = u.id) as roles from users u where email = 'hoa@example.vn'`),
    );
    expect(row).toEqual({ verified: false, roles: "facility" });
  });

  it("refuses a short password, a malformed e-mail and a mismatch, in Vietnamese", async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ email: "moi@example.vn", password: "ngan", confirm: "ngan" }, "password", /ít nhất 10 ký tự/],
      [{ email: "khong-phai-email", password: "mot-mat-khau-dai", confirm: "mot-mat-khau-dai" }, "email", /không đúng định dạng/],
      [{ email: "moi2@example.vn", password: "mot-mat-khau-dai", confirm: "khac-hoan-toan" }, "confirm", /không khớp/],
      [{ email: "moi3@example.vn", password: "1234567890", confirm: "1234567890" }, "password", /phổ biến/],
    ];
    const before = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from users`))[0].n;
    for (const [form, field, message] of cases) {
      const res = await call(signup.action, requestAs(null, "/signup", { form: { fullName: "Người Thử", ...form } }));
      expect(res.status).toBe(400);
      const body = await jsonOf(res);
      expect(body.fields[field]).toMatch(message);
    }
    const after = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from users`))[0].n;
    expect(after).toBe(before);
  });
});

describe("sign-in", () => {
  it("signs in to the role's home and rotates the session", async () => {
    const juror = await createTestUser({ roles: ["juror"] });
    const res = await call(login.action, requestAs(juror, "/login", { form: { email: juror.email, password: TEST_PASSWORD } }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/jury");
    expect(await getUser(requestAs(juror, "/"))).toBeNull(); // the old session is gone
  });

  it("keeps redirects on this site", async () => {
    const u = await createTestUser();
    const res = await call(login.action, requestAs(null, "/login", { form: { email: u.email, password: TEST_PASSWORD, redirectTo: "//evil.example/x" } }));
    expect(res.headers.get("Location")).toBe("/facility");
  });

  it("gives the same message for an unknown e-mail and a wrong password, and locks after repeated failures", async () => {
    const u = await createTestUser();
    const wrong = await call(login.action, requestAs(null, "/login", { form: { email: u.email, password: "sai-mat-khau-roi" } }));
    const unknown = await call(login.action, requestAs(null, "/login", { form: { email: "khongco@example.vn", password: "sai-mat-khau-roi" } }));
    expect((await jsonOf(wrong)).formError).toBe("Email hoặc mật khẩu không đúng.");
    expect((await jsonOf(unknown)).formError).toBe("Email hoặc mật khẩu không đúng.");
    for (let i = 1; i < MAX_FAILURES_PER_ACCOUNT_CLIENT; i++) {
      await call(login.action, requestAs(null, "/login", { form: { email: u.email, password: "sai-mat-khau-roi" } }));
    }
    const locked = await call(login.action, requestAs(null, "/login", { form: { email: u.email, password: TEST_PASSWORD } }));
    expect(locked.status).toBe(429);
    expect((await jsonOf(locked)).formError).toMatch(/thử lại sau \d+ phút/);
  });

  it("signs out and the cookie no longer works", async () => {
    const u = await createTestUser();
    const res = await call(logout.action, requestAs(u, "/logout", { method: "POST" }));
    expect(res.status).toBe(302);
    expect(await getUser(requestAs(u, "/"))).toBeNull();
  });
});

describe("password change", () => {
  it("changes the password and ends every other session", async () => {
    const u = await createTestUser();
    const other = await createTestUser({ email: `x-${u.email}` });
    void other;
    const second = { cookie: (await import("../../app/utils/auth.server")).createSessionCookie };
    const otherCookie = (await second.cookie(u.id)).split(";")[0];
    const res = await call(account.action, requestAs(u, "/account", { form: { current: TEST_PASSWORD, password: "mat-khau-moi-2026", confirm: "mat-khau-moi-2026" } }));
    expect(res.status).toBe(302);
    expect(await getUser(requestAs({ cookie: otherCookie }, "/"))).toBeNull();
    const fresh = res.headers.get("Set-Cookie")!.split(";")[0];
    expect((await getUser(requestAs({ cookie: fresh }, "/")))?.id).toBe(u.id);
  });

  it("refuses a wrong current password", async () => {
    const u = await createTestUser();
    const res = await call(account.action, requestAs(u, "/account", { form: { current: "khong-dung-dau", password: "mat-khau-moi-2026", confirm: "mat-khau-moi-2026" } }));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).fields.current).toMatch(/không đúng/);
  });
});

describe("admin roles", () => {
  it("refuses anonymous users and users without the permission", async () => {
    const anon = await call(adminUsers.loader, requestAs(null, "/admin/users"));
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    const facility = await createTestUser();
    expect((await call(adminUsers.loader, requestAs(facility, "/admin/users"))).status).toBe(403);
    expect((await call(adminUsers.action, requestAs(facility, "/admin/users", { form: { intent: "grant", userId: facility.id, role: "admin" } }))).status).toBe(403);
  });

  it("grants a scoped organiser role and revokes it, both audited", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const target = await createTestUser();
    const res = await call(adminUsers.action, requestAs(admin, "/admin/users", { form: { intent: "grant", userId: target.id, role: "organizer", scopeLevel: "region", scopeRegion: "BAC" } }));
    expect((await toastOf(res)).message).toBe("Đã cấp vai trò.");
    const [grant] = rowsOf<{ id: number; scope_region: string }>(await db().execute(sql`select id, scope_region from user_roles where user_id = ${target.id} and role = 'organizer'`));
    expect(grant.scope_region).toBe("BAC");
    // Privilege change signs the user out: their session is rotated.
    expect(await getUser(requestAs(target, "/"))).toBeNull();
    const revoke = await call(adminUsers.action, requestAs(admin, "/admin/users", { form: confirmed({ intent: "revoke", roleId: grant.id }) }));
    expect((await toastOf(revoke)).message).toBe("Đã thu hồi vai trò.");
    const events = rowsOf<{ action: string }>(await db().execute(sql`select action from audit_events where entity_id = ${target.id} order by id`));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["role.grant", "role.revoke"]));
  });

  it("refuses a scope on a non-organiser role and an unknown province", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const target = await createTestUser();
    const a = await call(adminUsers.action, requestAs(admin, "/admin/users", { form: { intent: "grant", userId: target.id, role: "juror", scopeRegion: "BAC" } }));
    expect(a.status).toBe(400);
    const b = await call(adminUsers.action, requestAs(admin, "/admin/users", { form: { intent: "grant", userId: target.id, role: "organizer", scopeProvince: "atlantis" } }));
    expect(b.status).toBe(400);
    expect((await jsonOf(b)).formError).toMatch(/không tồn tại/);
  });

  it("lists accounts a page at a time, searched by e-mail or name and filtered by role, with one grant form", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const tag = `trang-${Date.now().toString(36)}`;
    for (let i = 0; i < 32; i++) await createTestUser({ email: `${tag}-${String(i).padStart(2, "0")}@example.vn`, roles: i < 3 ? ["juror"] : ["facility"] });
    await createTestUser({ email: `khac-${tag}@example.vn`, fullName: `Phạm Thị Trang ${tag}` });
    const list = async (query: string) => jsonOf(await call(adminUsers.loader, requestAs(admin, `/admin/users?${query}`)));

    const first = await list(`q=${tag}`);
    expect(first.total).toBe(33);
    expect(first.users).toHaveLength(30);
    expect(first.pages).toBe(2);
    // No per-row form: the scope lists come only with the one account being edited.
    expect(first.scopes).toBeNull();
    const second = await list(`q=${tag}&page=2`);
    // In e-mail order: "khac-…" first, so the second page holds the last three.
    expect(second.users.map((u: { email: string }) => u.email)).toEqual([29, 30, 31].map((i) => `${tag}-${i}@example.vn`));
    // By name, folded: "pham thi trang" finds "Phạm Thị Trang".
    expect((await list(`q=${encodeURIComponent(`pham thi trang ${tag}`)}`)).users.map((u: { email: string }) => u.email)).toEqual([`khac-${tag}@example.vn`]);
    const jurors = await list(`q=${tag}&role=juror`);
    expect(jurors.users.map((u: { email: string }) => u.email)).toEqual([0, 1, 2].map((i) => `${tag}-0${i}@example.vn`));
    // A filter that makes no sense is dropped rather than failing the page.
    expect((await list(`q=${tag}&role=vua&page=-3`)).users).toHaveLength(30);

    const target = first.users[1];
    const editing = await list(`q=${tag}&edit=${target.id}`);
    expect(editing.editing).toMatchObject({ id: target.id, email: target.email });
    expect(editing.scopes.provinces.length).toBeGreaterThan(30);
    expect((await list(`edit=khong-co`)).editing).toBeNull();
  });

  it("never removes the last admin", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const grants = rowsOf<{ id: number; user_id: string }>(await db().execute(sql`select id, user_id from user_roles where role = 'admin'`));
    for (const g of grants.filter((g) => g.user_id !== admin.id)) await revokeRole({ actorId: admin.id, roleId: g.id });
    const own = grants.find((g) => g.user_id === admin.id)!;
    const res = await call(adminUsers.action, requestAs(admin, "/admin/users", { form: confirmed({ intent: "revoke", roleId: own.id }) }));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).formError).toMatch(/quản trị viên cuối cùng/);
  });
});
