/** Sign-in that cannot be turned against its users (issue 16 §6). */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ACCOUNT_CLIENT, verifyLogin } from "../../app/models/account/user.server";
import { deliverDue } from "../../app/models/messaging/outbox.server";
import * as login from "../../app/routes/login";
import * as unlock from "../../app/routes/unlock";
import { safeRedirect } from "../../app/schemas/auth";
import { db, rowsOf } from "../../app/utils/db.server";
import { outbox } from "../../db/schema";
import { call, createTestUser, jsonOf, requestAs, TEST_PASSWORD } from "../factories";

const sessions = async () => rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from sessions`))[0].n;

describe("redirect after sign-in", () => {
  it.each(["/%09/evil.example", "/\t/evil.example", "//evil.example", "/\\evil.example", "/%5Cevil.example", "/%2F%2Fevil.example", "https://evil.example/", "/x\r\nSet-Cookie: a=b"])(
    "keeps %j on this site",
    (to) => {
      expect(safeRedirect(to, "/home")).toBe("/home");
    },
  );

  it("keeps ordinary paths", () => {
    expect(safeRedirect("/organizer/rounds/2026?tab=1#x")).toBe("/organizer/rounds/2026?tab=1#x");
  });

  it("a newline in redirectTo neither fails nor leaves a session behind it", async () => {
    const u = await createTestUser();
    const before = await sessions();
    const res = await call(login.action, requestAs(null, "/login", { form: { email: u.email, password: TEST_PASSWORD, redirectTo: "/a\nb" } }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/facility");
    expect(await sessions()).toBe(before + 1);
    const tab = await call(login.action, requestAs(null, "/login", { form: { email: u.email, password: TEST_PASSWORD, redirectTo: "/\t/evil.example" } }));
    expect(tab.headers.get("Location")).toBe("/facility");
  });
});

describe("session cookie", () => {
  it("is a browser-session cookie unless “Ghi nhớ đăng nhập” is ticked", async () => {
    const u = await createTestUser();
    const plain = await call(login.action, requestAs(null, "/login", { form: { email: u.email, password: TEST_PASSWORD } }));
    expect(plain.headers.get("Set-Cookie")).not.toMatch(/Max-Age|Expires/i);
    const remembered = await call(login.action, requestAs(null, "/login", { form: { email: u.email, password: TEST_PASSWORD, remember: "on" } }));
    expect(remembered.headers.get("Set-Cookie")).toMatch(/Max-Age=2592000/);
  });
});

describe("lockout", () => {
  it("a stranger's wrong passwords lock the stranger's client, not the owner's", async () => {
    const u = await createTestUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_CLIENT; i++) {
      await expect(verifyLogin({ email: u.email, password: "sai-mat-khau", client: "198.51.100.7" })).rejects.toMatchObject({ status: 400 });
    }
    await expect(verifyLogin({ email: u.email, password: TEST_PASSWORD, client: "198.51.100.7" })).rejects.toMatchObject({ status: 429 });
    expect(await verifyLogin({ email: u.email, password: TEST_PASSWORD, client: "203.0.113.9" })).toEqual({ id: u.id });
  });

  it("a flood from many clients locks the account and mails its owner an unlock link that lifts it", async () => {
    const u = await createTestUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      await verifyLogin({ email: u.email, password: "sai-mat-khau", client: `10.9.${Math.floor(i / 4)}.${i % 4}` }).catch(() => {});
    }
    const locked = await verifyLogin({ email: u.email, password: TEST_PASSWORD, client: "203.0.113.10" }).catch((e) => e);
    expect(locked).toMatchObject({ status: 429, message: expect.stringMatching(/tạm khóa.*mở khóa bằng liên kết/) });
    const [mail] = await db().select().from(outbox).where(sql`${outbox.recipient} = ${u.email} and ${outbox.kind} = 'unlock'`);
    expect(mail.subject).toMatch(/Tài khoản tạm khóa/);
    const token = mail.bodyText.match(/\/unlock\?token=([\w-]+)/)![1];
    const res = await call(unlock.action, requestAs(null, "/unlock", { form: { token } }));
    expect(res.headers.get("Location")).toBe("/login?tb=mo-khoa");
    expect(await verifyLogin({ email: u.email, password: TEST_PASSWORD, client: "203.0.113.10" })).toEqual({ id: u.id });
    const reused = await call(unlock.action, requestAs(null, "/unlock", { form: { token } }));
    expect((await jsonOf(reused)).formError).toMatch(/không hợp lệ hoặc đã được dùng/);
    await deliverDue();
  });
});

describe("phone number for a later SMS/Zalo sender", () => {
  it("keeps a Vietnamese mobile number and refuses anything else in Vietnamese", async () => {
    const { accountPhone, setAccountPhone } = await import("../../app/models/account/account.server");
    const u = await createTestUser();
    await setAccountPhone({ userId: u.id, phone: "0912 345 678" });
    expect(await accountPhone(u.id)).toBe("0912345678");
    await expect(setAccountPhone({ userId: u.id, phone: "12345" })).rejects.toMatchObject({ status: 400, fields: { phone: expect.stringMatching(/số di động Việt Nam/) } });
  });
});
