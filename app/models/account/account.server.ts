/**
 * Accounts tied to the people who own their addresses (issue 16 §2–3, §6): sign-up that answers the
 * same whether or not the address has an account, e-mail verification, password reset, unlocking.
 * Every link is a single-use token of which only the SHA-256 is stored (auth_tokens).
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";

import { authTokens, loginThrottle, type TokenPurpose, users } from "../../../db/schema";
import { hashPassword, invalidateUserSessions } from "../../utils/auth.server";
import { type Database, db } from "../../utils/db.server";
import { env } from "../../utils/env.server";
import { AppError } from "../../utils/errors";
import { absoluteUrl, hashToken, newToken } from "../../utils/tokens.server";
import { enqueueMessage } from "../messaging/outbox.server";
import { alreadyRegisteredMessage, resetPasswordMessage, unlockMessage, verifyEmailMessage } from "../messaging/templates";
import { recordAudit } from "../shared/audit.server";
import { withinLimit } from "./throttle.server";
import { createUser, findUserByEmail } from "./user.server";

const HOUR = 60 * 60 * 1000;
export const TOKEN_LIFETIME: Record<TokenPurpose, number> = { verify_email: 24 * HOUR, reset_password: HOUR, unlock: HOUR };
/** Sign-ups per client address per hour, in the database (every app server shares it). */
export const SIGNUPS_PER_CLIENT_PER_HOUR = 10;

const link = (path: string) => absoluteUrl(env().PUBLIC_URL, path);

/** A new single-use token for the user (earlier unused ones of the same purpose stop working). */
export async function issueToken(input: { userId: string; purpose: TokenPurpose; now?: Date }, tx: Database = db()) {
  const now = input.now ?? new Date();
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME[input.purpose]);
  await tx
    .update(authTokens)
    .set({ usedAt: now })
    .where(and(eq(authTokens.userId, input.userId), eq(authTokens.purpose, input.purpose), isNull(authTokens.usedAt)));
  await tx.insert(authTokens).values({ userId: input.userId, purpose: input.purpose, tokenHash: hash, expiresAt, createdAt: now });
  return { token, expiresAt };
}

const INVALID: Record<TokenPurpose, string> = {
  verify_email: "Liên kết xác nhận không hợp lệ hoặc đã được dùng. Hãy đăng nhập và bấm “Gửi lại thư xác nhận”.",
  reset_password: "Liên kết đặt lại mật khẩu không hợp lệ hoặc đã được dùng. Hãy yêu cầu một liên kết mới tại “Quên mật khẩu?”.",
  unlock: "Liên kết mở khóa không hợp lệ hoặc đã được dùng.",
};
const EXPIRED: Record<TokenPurpose, string> = {
  verify_email: "Liên kết xác nhận đã hết hạn (24 giờ). Hãy đăng nhập và bấm “Gửi lại thư xác nhận”.",
  reset_password: "Liên kết đặt lại mật khẩu đã hết hạn (1 giờ). Hãy yêu cầu một liên kết mới tại “Quên mật khẩu?”.",
  unlock: "Liên kết mở khóa đã hết hạn (1 giờ). Hãy chờ hết thời gian khóa rồi đăng nhập lại.",
};

/**
 * Marks the token used (once: `UPDATE … WHERE used_at IS NULL`) and returns its user.
 * @throws AppError 400 for an unknown, used or expired token.
 */
export async function consumeToken(input: { token: string; purpose: TokenPurpose; now?: Date }, tx: Database) {
  const now = input.now ?? new Date();
  const [row] = await tx
    .select()
    .from(authTokens)
    .where(and(eq(authTokens.tokenHash, hashToken(input.token)), eq(authTokens.purpose, input.purpose)))
    .for("update");
  if (!row || row.usedAt) throw new AppError(400, INVALID[input.purpose]);
  if (row.expiresAt <= now) throw new AppError(400, EXPIRED[input.purpose]);
  const used = await tx
    .update(authTokens)
    .set({ usedAt: now })
    .where(and(eq(authTokens.id, row.id), isNull(authTokens.usedAt)))
    .returning({ id: authTokens.id });
  if (!used.length) throw new AppError(400, INVALID[input.purpose]);
  return { userId: row.userId };
}

/** Tells whether a token is usable now, without using it (the page before the button). */
export async function checkToken(input: { token: string; purpose: TokenPurpose; now?: Date }) {
  const [row] = await db()
    .select({ usedAt: authTokens.usedAt, expiresAt: authTokens.expiresAt })
    .from(authTokens)
    .where(and(eq(authTokens.tokenHash, hashToken(input.token)), eq(authTokens.purpose, input.purpose)));
  if (!row || row.usedAt) return { ok: false as const, message: INVALID[input.purpose] };
  if (row.expiresAt <= (input.now ?? new Date())) return { ok: false as const, message: EXPIRED[input.purpose] };
  return { ok: true as const };
}

async function queueVerification(user: { id: string; email: string; fullName: string }, tx: Database) {
  const { token, expiresAt } = await issueToken({ userId: user.id, purpose: "verify_email" }, tx);
  await enqueueMessage(
    { to: user.email, userId: user.id, kind: "verify_email", content: verifyEmailMessage({ name: user.fullName, url: link(`/verify-email?token=${token}`), expiresAt }) },
    tx,
  );
}

/**
 * Sign-up: a new address gets an account and a verification link; an address that already has an
 * account gets a "someone tried to register" note instead. The caller answers the same in both
 * cases ("Kiểm tra hộp thư của bạn"), so the form never tells who has an account.
 * @throws AppError 429 past the per-client limit.
 */
export async function signUp(input: { email: string; password: string; fullName: string; client?: string }) {
  if (input.client && !(await withinLimit({ key: `signup:${input.client}`, limit: SIGNUPS_PER_CLIENT_PER_HOUR, windowMinutes: 60 }))) {
    throw new AppError(429, "Đã có quá nhiều lượt đăng ký từ địa chỉ mạng này trong một giờ. Vui lòng thử lại sau.");
  }
  const existing = await findUserByEmail(input.email);
  if (existing) {
    // Hash anyway so both answers take about as long.
    await hashPassword(input.password);
    // One note per address per hour at most: the form must not become a way to flood an inbox.
    if (await withinLimit({ key: `signup-note:${existing.id}`, limit: 1, windowMinutes: 60 })) {
      await enqueueMessage({
        to: existing.email,
        userId: existing.id,
        kind: "signup_existing",
        content: alreadyRegisteredMessage({ name: existing.fullName, loginUrl: link("/login"), resetUrl: link("/forgot-password") }),
      });
    }
    return;
  }
  await db().transaction(async (tx) => {
    const { id } = await createUser({ email: input.email, password: input.password, fullName: input.fullName }, tx);
    await queueVerification({ id, email: input.email, fullName: input.fullName }, tx);
  });
}

/** @throws AppError 429 after 3 resends an hour; 400 when already verified. */
export async function resendVerification(input: { userId: string }) {
  const [user] = await db().select().from(users).where(eq(users.id, input.userId));
  if (!user) throw new AppError(404, "Không tìm thấy tài khoản.");
  if (user.emailVerifiedAt) throw new AppError(400, "Địa chỉ email của bạn đã được xác nhận.");
  if (!(await withinLimit({ key: `resend:${user.id}`, limit: 3, windowMinutes: 60 }))) {
    throw new AppError(429, "Bạn đã yêu cầu gửi lại quá nhiều lần. Vui lòng kiểm tra hộp thư (cả mục thư rác) hoặc thử lại sau một giờ.");
  }
  await db().transaction((tx) => queueVerification(user, tx));
}

/** @throws AppError 400 for an unknown, used or expired link. */
export async function verifyEmail(input: { token: string; now?: Date }) {
  return db().transaction(async (tx) => {
    const { userId } = await consumeToken({ token: input.token, purpose: "verify_email", now: input.now }, tx);
    await tx.update(users).set({ emailVerifiedAt: input.now ?? new Date() }).where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
    await recordAudit({ actorId: userId, action: "user.verify_email", entity: "user", entityId: userId }, tx);
    return { userId };
  });
}

export async function isVerified(userId: string, tx: Database = db()) {
  const [row] = await tx.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return !!row?.at;
}

/** @throws AppError 403 with what the account cannot do yet. */
export async function requireVerified(input: { userId: string; doing: string }, tx: Database = db()) {
  if (!(await isVerified(input.userId, tx))) {
    throw new AppError(403, `Bạn cần xác nhận địa chỉ email trước khi ${input.doing}. Hãy mở thư xác nhận hoặc bấm “Gửi lại thư xác nhận” ở đầu trang.`);
  }
}

/**
 * "Quên mật khẩu?": sends a reset link when the address has an account; the caller answers the
 * same either way. Quietly limited to 3 links per address per hour.
 */
export async function requestPasswordReset(input: { email: string; client?: string }) {
  if (input.client && !(await withinLimit({ key: `reset-client:${input.client}`, limit: 30, windowMinutes: 60 }))) {
    throw new AppError(429, "Đã có quá nhiều yêu cầu đặt lại mật khẩu từ địa chỉ mạng này. Vui lòng thử lại sau.");
  }
  const user = await findUserByEmail(input.email);
  if (!user || user.disabledAt) return;
  if (!(await withinLimit({ key: `reset:${user.id}`, limit: 3, windowMinutes: 60 }))) return;
  await db().transaction(async (tx) => {
    const { token } = await issueToken({ userId: user.id, purpose: "reset_password" }, tx);
    await enqueueMessage(
      { to: user.email, userId: user.id, kind: "reset_password", content: resetPasswordMessage({ name: user.fullName, url: link(`/reset-password?token=${token}`) }) },
      tx,
    );
    await recordAudit({ actorId: null, action: "user.password_reset_request", entity: "user", entityId: user.id }, tx);
  });
}

/**
 * Sets the new password from a reset link, ends every session of the account and lifts its sign-in
 * lock. Following the link proves the address, so it also verifies it.
 * @throws AppError 400 for an unknown, used or expired link.
 */
export async function resetPassword(input: { token: string; password: string; now?: Date }) {
  const passwordHash = await hashPassword(input.password);
  const { userId } = await db().transaction(async (tx) => {
    const consumed = await consumeToken({ token: input.token, purpose: "reset_password", now: input.now }, tx);
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, consumed.userId));
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, consumed.userId));
    if (user) await tx.delete(loginThrottle).where(eq(loginThrottle.key, `email:${user.email.toLowerCase()}`));
    await recordAudit({ actorId: consumed.userId, action: "user.password_reset", entity: "user", entityId: consumed.userId }, tx);
    return consumed;
  });
  await invalidateUserSessions(userId);
  return { userId };
}

/** Sends the owner an unlock link when the account lock engages (at most once per lock). */
export async function queueUnlockLink(input: { email: string }) {
  const user = await findUserByEmail(input.email);
  if (!user || user.disabledAt) return;
  await db().transaction(async (tx) => {
    const { token } = await issueToken({ userId: user.id, purpose: "unlock" }, tx);
    await enqueueMessage(
      { to: user.email, userId: user.id, kind: "unlock", content: unlockMessage({ name: user.fullName, url: link(`/unlock?token=${token}`) }) },
      tx,
    );
  });
}

/** Lifts the account lock from the owner's link. @throws AppError 400 for a bad link. */
export async function unlockAccount(input: { token: string }) {
  return db().transaction(async (tx) => {
    const { userId } = await consumeToken({ token: input.token, purpose: "unlock" }, tx);
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (user) await tx.delete(loginThrottle).where(eq(loginThrottle.key, `email:${user.email.toLowerCase()}`));
    await recordAudit({ actorId: userId, action: "user.unlock", entity: "user", entityId: userId }, tx);
    return { userId };
  });
}

/** Admin: accounts whose sign-in is locked now. */
export async function listLockedAccounts() {
  return db()
    .select({ key: loginThrottle.key, failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil, userId: users.id, fullName: users.fullName, email: users.email })
    .from(loginThrottle)
    .innerJoin(users, sql`${loginThrottle.key} = 'email:' || lower(${users.email})`)
    .where(gt(loginThrottle.lockedUntil, sql`now()`));
}

/** Admin: lift an account's lock. */
export async function adminUnlock(input: { actorId: string; userId: string }) {
  await db().transaction(async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
    if (!user) throw new AppError(404, "Không tìm thấy tài khoản.");
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, `email:${user.email.toLowerCase()}`));
    await recordAudit({ actorId: input.actorId, action: "user.unlock", entity: "user", entityId: input.userId }, tx);
  });
}

/** The phone number kept for an SMS/Zalo sender (issue 16 §7). */
export async function accountPhone(userId: string) {
  const [row] = await db().select({ phone: users.phone }).from(users).where(eq(users.id, userId));
  return row?.phone ?? null;
}

/** @throws AppError 400 unless empty or a Vietnamese mobile number (0xxxxxxxxx or +84xxxxxxxxx). */
export async function setAccountPhone(input: { userId: string; phone: string }) {
  const compact = input.phone.replace(/[\s.-]/g, "");
  if (compact && !/^(0|\+84)[35789]\d{8}$/.test(compact)) {
    throw new AppError(400, "Số điện thoại không hợp lệ.", { phone: "Nhập số di động Việt Nam, ví dụ 0912 345 678 hoặc +84912345678." });
  }
  await db().update(users).set({ phone: compact || null }).where(eq(users.id, input.userId));
}
