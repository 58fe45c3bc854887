import { and, asc, count, eq, ilike, inArray, or, sql } from "drizzle-orm";

import { loginThrottle, provinces, provinces2025, userRoles, users } from "../../../db/schema";
import { hashPassword, invalidateUserSessions, newUserId, verifyPassword } from "../../utils/auth.server";
import { type Database, db, pgErrorCode } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import type { Role } from "../../utils/permissions";
import { recordAudit } from "../shared/audit.server";
import { queueUnlockLink } from "./account.server";

/**
 * The sign-in lock must not let a stranger lock out the owner (issue 16 §6): failures count per
 * (account, client) and per client; only a flood from many clients locks the account itself, and
 * then the owner gets an unlock link by e-mail.
 */
export const MAX_FAILURES_PER_ACCOUNT_CLIENT = 5;
export const MAX_FAILURES_PER_CLIENT = 30;
export const MAX_FAILURES_PER_ACCOUNT = 100;
export const LOCK_MINUTES = 15;

/**
 * Creates an account (no role yet besides `facility`: a sign-up is a facility owner).
 * @throws AppError 400 with field `email` when the e-mail is taken.
 */
export async function createUser(
  input: { email: string; password: string; fullName: string; roles?: Role[]; title?: string; verified?: boolean },
  tx: Database = db(),
) {
  const id = newUserId();
  const passwordHash = await hashPassword(input.password);
  try {
    await tx.transaction(async (t) => {
      // `verified` is for accounts the platform itself creates (demo data); people verify by link.
      await t.insert(users).values({
        id,
        email: input.email.toLowerCase(),
        passwordHash,
        fullName: input.fullName,
        title: input.title,
        emailVerifiedAt: input.verified ? new Date() : null,
      });
      for (const role of input.roles ?? ["facility"]) await t.insert(userRoles).values({ userId: id, role });
      await recordAudit({ actorId: id, action: "user.create", entity: "user", entityId: id, after: { email: input.email, roles: input.roles ?? ["facility"] } }, t);
    });
  } catch (error) {
    if (pgErrorCode(error) === "23505") {
      throw new AppError(400, "Email này đã được dùng cho một tài khoản khác.", {
        email: "Email này đã được dùng cho một tài khoản khác. Hãy đăng nhập hoặc dùng email khác.",
      });
    }
    throw error;
  }
  return { id };
}

async function lockedUntil(key: string): Promise<Date | null> {
  const [row] = await db().select().from(loginThrottle).where(eq(loginThrottle.key, key));
  return row?.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil : null;
}

async function registerFailure(key: string, limit: number): Promise<boolean> {
  // A failure older than the lock window starts the count again.
  const [row] = await db()
    .insert(loginThrottle)
    .values({ key, failures: 1, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.updatedAt} < now() - make_interval(mins => ${LOCK_MINUTES}) then 1 else ${loginThrottle.failures} + 1 end`,
        lockedUntil: sql`case when (case when ${loginThrottle.updatedAt} < now() - make_interval(mins => ${LOCK_MINUTES}) then 1 else ${loginThrottle.failures} + 1 end) >= ${limit} then now() + make_interval(mins => ${LOCK_MINUTES}) else null end`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil });
  return !!row?.lockedUntil && row.failures === limit;
}

function minutesLeft(until: Date) {
  return Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60000));
}

/**
 * Checks e-mail and password, with throttling per (account, client), per client and per account.
 * @throws AppError 429 while locked, 400 on wrong credentials (same message for unknown e-mail).
 */
export async function verifyLogin(input: { email: string; password: string; client?: string }) {
  const email = input.email.toLowerCase();
  const client = input.client ?? "?";
  const pairKey = `pair:${email}|${client}`;
  const clientKey = `client:${client}`;
  const accountKey = `email:${email}`;
  for (const key of [pairKey, clientKey]) {
    const until = await lockedUntil(key);
    if (until) throw new AppError(429, `Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau ${minutesLeft(until)} phút.`);
  }
  const accountUntil = await lockedUntil(accountKey);
  if (accountUntil) {
    // The same words whether or not the address has an account.
    throw new AppError(
      429,
      `Tài khoản này đang tạm khóa vì bị nhập sai mật khẩu nhiều lần. Chủ tài khoản có thể mở khóa bằng liên kết đã gửi tới email, hoặc thử lại sau ${minutesLeft(accountUntil)} phút.`,
    );
  }
  const [user] = await db()
    .select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`);
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyPassword(DUMMY_HASH, input.password);
  if (!user || !ok || user.disabledAt) {
    await registerFailure(pairKey, MAX_FAILURES_PER_ACCOUNT_CLIENT);
    await registerFailure(clientKey, MAX_FAILURES_PER_CLIENT);
    if (await registerFailure(accountKey, MAX_FAILURES_PER_ACCOUNT)) await queueUnlockLink({ email });
    throw new AppError(400, "Email hoặc mật khẩu không đúng.");
  }
  await db().delete(loginThrottle).where(sql`${loginThrottle.key} in (${pairKey}, ${accountKey})`);
  return { id: user.id };
}
// Verifying against a fixed hash for unknown e-mails keeps the answer time the same.
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3ZQ3qvY0n7Yh3JtVb3S7cJ1nqv7WJQ0Z5xw6mUe8Q4Y";

/**
 * Changes the password and signs out every other session of the user.
 * @throws AppError 400 with field `current` when the current password is wrong.
 */
export async function changePassword(input: { userId: string; current: string; password: string }) {
  const [user] = await db().select().from(users).where(eq(users.id, input.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.current))) {
    throw new AppError(400, "Mật khẩu hiện tại không đúng.", { current: "Mật khẩu hiện tại không đúng." });
  }
  const passwordHash = await hashPassword(input.password);
  await db().transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, input.userId));
    await recordAudit({ actorId: input.userId, action: "user.password_change", entity: "user", entityId: input.userId }, tx);
  });
  await invalidateUserSessions(input.userId);
}

/**
 * One page of accounts for the admin list, newest e-mail order, with their roles: filtered by a text
 * (e-mail or folded full name) and by a role held. `total` counts every match, for the pager.
 */
export async function listUsers(input: { query?: string; role?: Role; limit?: number; offset?: number } = {}) {
  const q = input.query?.trim();
  const where = and(
    q ? or(ilike(users.email, `%${escapeLike(q)}%`), sql`vn_fold(${users.fullName}) like '%' || vn_fold(${q}) || '%'`) : undefined,
    input.role ? sql`exists (select 1 from ${userRoles} where ${userRoles.userId} = ${users.id} and ${userRoles.role} = ${input.role})` : undefined,
  );
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({ id: users.id, email: users.email, fullName: users.fullName, createdAt: users.createdAt })
      .from(users)
      .where(where)
      .orderBy(asc(users.email))
      .limit(input.limit ?? 200)
      .offset(input.offset ?? 0),
    db().select({ total: count() }).from(users).where(where),
  ]);
  const roles = rows.length ? await db().select().from(userRoles).where(inArray(userRoles.userId, rows.map((u) => u.id))).orderBy(asc(userRoles.id)) : [];
  return { total, users: rows.map((u) => ({ ...u, roles: roles.filter((r) => r.userId === u.id) })) };
}

/** One account with its roles (the admin's grant form), or null. */
export async function userWithRoles(id: string) {
  const [u] = await db().select({ id: users.id, email: users.email, fullName: users.fullName }).from(users).where(eq(users.id, id));
  if (!u) return null;
  const roles = await db().select().from(userRoles).where(eq(userRoles.userId, id)).orderBy(asc(userRoles.id));
  return { ...u, roles };
}

export function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Grants a role (with scope for organisers) and records it. Signs the user out everywhere so the
 * new privilege comes with a fresh session.
 * @throws AppError 400 for an unknown province scope or a duplicate grant; 404 for an unknown user.
 */
export async function grantRole(input: {
  actorId: string;
  userId: string;
  role: Role;
  scopeLevel?: string;
  scopeRegion?: string;
  scopeProvince?: string;
}) {
  const [user] = await db().select({ id: users.id, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, input.userId));
  if (!user) throw new AppError(404, "Không tìm thấy tài khoản.");
  if (!user.verifiedAt) throw new AppError(400, "Tài khoản này chưa xác nhận địa chỉ email: chưa thể cấp vai trò. Hãy nhờ chủ tài khoản mở thư xác nhận trước.");
  if (input.role !== "organizer" && (input.scopeLevel || input.scopeRegion || input.scopeProvince)) {
    throw new AppError(400, "Chỉ vai trò Ban tổ chức mới có phạm vi (cấp, khu vực, tỉnh).");
  }
  if (input.scopeProvince) {
    const [a] = await db().select({ code: provinces.code }).from(provinces).where(eq(provinces.code, input.scopeProvince));
    const [b] = await db().select({ code: provinces2025.code }).from(provinces2025).where(eq(provinces2025.code, input.scopeProvince));
    if (!a && !b) throw new AppError(400, "Tỉnh/thành phố trong phạm vi không tồn tại.", { scopeProvince: "Tỉnh/thành phố không tồn tại." });
  }
  const values = {
    userId: input.userId,
    role: input.role,
    scopeLevel: (input.scopeLevel ?? null) as never,
    scopeRegion: input.scopeRegion ?? null,
    scopeProvince: input.scopeProvince ?? null,
    grantedBy: input.actorId,
  };
  try {
    await db().transaction(async (tx) => {
      const [row] = await tx.insert(userRoles).values(values).returning();
      await recordAudit({ actorId: input.actorId, action: "role.grant", entity: "user", entityId: input.userId, after: row }, tx);
    });
  } catch (error) {
    if (pgErrorCode(error) === "23505") throw new AppError(400, "Tài khoản đã có vai trò này với phạm vi này.");
    throw error;
  }
  await invalidateUserSessions(input.userId);
}

/** @throws AppError 404 when the grant does not exist; 400 when an admin would remove the last admin. */
export async function revokeRole(input: { actorId: string; roleId: number }) {
  const userId = await db().transaction(async (tx) => {
    const [row] = await tx.select().from(userRoles).where(eq(userRoles.id, input.roleId)).for("update");
    if (!row) throw new AppError(404, "Không tìm thấy vai trò cần thu hồi.");
    if (row.role === "admin") {
      const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(userRoles).where(eq(userRoles.role, "admin"));
      if (n <= 1) throw new AppError(400, "Không thể thu hồi quyền quản trị của quản trị viên cuối cùng.");
    }
    await tx.delete(userRoles).where(eq(userRoles.id, input.roleId));
    await recordAudit({ actorId: input.actorId, action: "role.revoke", entity: "user", entityId: row.userId, before: row }, tx);
    return row.userId;
  });
  await invalidateUserSessions(userId);
}

export async function findUserByEmail(email: string) {
  const [row] = await db().select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row ?? null;
}

