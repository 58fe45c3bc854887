/**
 * Sessions (lucia v3, stored in the database) and passwords (argon2id). The only file that imports
 * lucia. Guards for loaders and actions: requireUser, requirePermission, requireRole.
 */
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { hash, verify } from "@node-rs/argon2";
import { redirect } from "@remix-run/node";
import { eq, type SQL, sql } from "drizzle-orm";
import { Cookie, generateIdFromEntropySize, Lucia, TimeSpan } from "lucia";

import { sessions, userRoles, users } from "../../db/schema";
import { builtOnce, type Database, db, jsonValue } from "./db.server";
import { env } from "./env.server";
import { type Permission, type Role, type RoleGrant, hasPermission, hasRole } from "./permissions";
import { currentRequest, oncePerRequest } from "./request-context.server";
import { cachedSessionUser, forgetSessionUser, sessionCacheServes, sessionChanges, storeSessionUser } from "./session-cache.server";

const SESSION_LIFETIME = new TimeSpan(7, "d");

function createLucia(database: Database) {
  return new Lucia(new DrizzlePostgreSQLAdapter(database, sessions, users), {
    // Idle sessions end after 7 days; lucia extends active ones in the database. `expires: false`
    // would give the cookie a 400-day Max-Age: createSessionCookie below decides the lifetime.
    sessionExpiresIn: SESSION_LIFETIME,
    sessionCookie: {
      name: "cnnt_session",
      expires: false,
      attributes: { secure: env().NODE_ENV === "production", sameSite: "lax" },
    },
  });
}

const instances = new WeakMap<object, ReturnType<typeof createLucia>>();
function lucia() {
  const database = db();
  let instance = instances.get(database);
  if (!instance) {
    instance = createLucia(database);
    instances.set(database, instance);
  }
  return instance;
}

/** A new user id: 16 base32 characters, 80 bits (lucia's generator, kept behind this module). */
export function newUserId() {
  return generateIdFromEntropySize(10);
}

// OWASP's argon2id minimum (19 MiB, 2 passes) keeps sign-in near 30 ms on one core.
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;
export const hashPassword = (password: string) => hash(password, ARGON);
export const verifyPassword = (passwordHash: string, password: string) =>
  verify(passwordHash, password).catch(() => false);

export interface SessionUser {
  id: string;
  email: string;
  fullName: string;
  /** The owner followed the verification link (issue 16 §2). */
  emailVerified: boolean;
  roles: RoleGrant[];
  sessionId: string;
}

/** "Ghi nhớ đăng nhập": the cookie outlives the browser for this long (the session still ends after 7 idle days). */
export const REMEMBER_DAYS = 30;

/**
 * A new session cookie for the user (call after a successful sign-in; the old session is dropped).
 * A browser-session cookie (no Max-Age) unless `remember`.
 */
export async function createSessionCookie(userId: string, options: { remember?: boolean } = {}): Promise<string> {
  const session = await lucia().createSession(userId, {});
  const base = lucia().createSessionCookie(session.id);
  const { maxAge: _drop, ...attributes } = base.attributes;
  return new Cookie(base.name, base.value, options.remember ? { ...attributes, maxAge: REMEMBER_DAYS * 24 * 60 * 60 } : attributes).serialize();
}

export function blankSessionCookie(): string {
  return lucia().createBlankSessionCookie().serialize();
}

export function sessionIdFrom(request: Request): string | null {
  return lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
}

export async function invalidateSession(sessionId: string) {
  await lucia().invalidateSession(sessionId);
}

export async function invalidateUserSessions(userId: string) {
  await lucia().invalidateUserSessions(userId);
}

/**
 * Columns read beside the session, in its statement, for a caller that needs them on every page (the
 * header's badges, app/models/account/badges.server.ts): one statement fewer per page. The caller's
 * module keeps the rule; `name` names the prepared statement (one per set of columns).
 */
export interface SessionExtras<T extends Record<string, unknown>> {
  name: string;
  columns(user: { id: typeof users.id; email: typeof users.email }): { [K in keyof T]: SQL<T[K]> };
}

interface LookedUp {
  user: SessionUser | null;
  /** Until when a copy may be kept (epoch ms): the moment a read would extend the session, before its expiry. */
  keepUntil?: number;
  /** The statement's name whose extras were read, and what they were. */
  extrasName?: string;
  extras?: Record<string, unknown>;
}

/**
 * The signed-in user of the request: session, account and roles in one query (issue 18: the juror's
 * sheet page asked six times). The session rules are lucia's `validateSession`: an expired session is
 * deleted; one past half its 7 days is extended. Within one GET the root and the route loader share
 * the answer (oncePerRequest).
 */
export async function getUser(request: Request): Promise<SessionUser | null> {
  const sessionId = sessionIdFrom(request);
  if (!sessionId) return null;
  return (await oncePerRequest(`user:${sessionId}`, () => lookUpSessionFor(request, sessionId))).user;
}

/**
 * The signed-in user and `extras` read in the same statement. The root loader asks first (Remix
 * starts it before the route's), so the route's getUser shares this answer; `extras` is null when
 * the user was already read without them (the caller then reads them itself) or nobody is signed in.
 */
export async function getUserWith<T extends Record<string, unknown>>(request: Request, extras: SessionExtras<T>): Promise<{ user: SessionUser | null; extras: T | null }> {
  const sessionId = sessionIdFrom(request);
  if (!sessionId) return { user: null, extras: null };
  const found = await oncePerRequest(`user:${sessionId}`, () => lookUpSessionFor(request, sessionId, extras));
  return { user: found.user, extras: found.user && found.extrasName === extras.name ? (found.extras as T) : null };
}

/**
 * The session's query, built once per database and set of extras (drizzle builds a statement's text
 * on every call; every signed-in request runs this one). The session id is its only parameter.
 */
function sessionQuery(database: Database, extras?: SessionExtras<Record<string, unknown>>) {
  return database
    .select({
      expiresAt: sessions.expiresAt,
      userId: users.id,
      email: users.email,
      fullName: users.fullName,
      disabledAt: users.disabledAt,
      verifiedAt: users.emailVerifiedAt,
      roles: sql<unknown>`(select coalesce(json_agg(json_build_object('role', r.role, 'scopeLevel', r.scope_level,
        'scopeRegion', r.scope_region, 'scopeProvince', r.scope_province) order by r.id), '[]'::json)
        from ${userRoles} r where r.user_id = ${users.id})`,
      ...(extras ? { extras: sql<unknown>`json_build_object(${sql.join(
        Object.entries(extras.columns({ id: users.id, email: users.email })).map(([key, column]) => sql`${key}::text, ${column}`),
        sql`, `,
      )})` } : {}),
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare(extras ? `session_user_${extras.name}` : "session_user");
}
const preparedSessionQuery = builtOnce((database) => sessionQuery(database));
/** The statement with each set of extras, by name, built once per database like the plain one. */
const preparedWithExtras = new Map<string, typeof preparedSessionQuery>();

function sessionStatement(extras?: SessionExtras<Record<string, unknown>>) {
  if (!extras) return preparedSessionQuery();
  let prepared = preparedWithExtras.get(extras.name);
  if (!prepared) preparedWithExtras.set(extras.name, (prepared = builtOnce((database) => sessionQuery(database, extras))));
  return prepared();
}

/**
 * The session's user for this request: from this process's memory for a GET or HEAD while the
 * database's notifications are heard (session-cache.server.ts), else read. A write reads it, and
 * drops what this process kept of the user, so the page after their own change is read again.
 */
async function lookUpSessionFor(request: Request, sessionId: string, extras?: SessionExtras<Record<string, unknown>>): Promise<LookedUp> {
  const key = `${sessionId}\u0000${extras?.name ?? ""}`;
  // The request as it came (after a no-JavaScript form's action, Remix runs the loaders with a GET).
  const outer = currentRequest();
  if (!sessionCacheServes(request.method) || (outer && !outer.memo)) {
    const found = await lookUpSession(sessionId, extras);
    if (found.user) forgetSessionUser(found.user.id);
    return found;
  }
  const kept = cachedSessionUser<LookedUp>(key);
  if (kept) return kept;
  const seen = sessionChanges();
  const found = await lookUpSession(sessionId, extras);
  // Kept until its next read would extend the session (that read writes). Frozen: every later
  // request of the session shares it.
  if (found.user && found.keepUntil) storeSessionUser(key, found.user.id, deepFreeze(found), found.keepUntil, seen);
  return found;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

async function lookUpSession(sessionId: string, extras?: SessionExtras<Record<string, unknown>>): Promise<LookedUp> {
  const [row] = (await sessionStatement(extras).execute({ sessionId })) as (Awaited<ReturnType<ReturnType<typeof preparedSessionQuery>["execute"]>>[number] & { extras?: unknown })[];
  if (!row) return { user: null };
  const now = Date.now();
  if (row.expiresAt.getTime() <= now) {
    await db().delete(sessions).where(eq(sessions.id, sessionId));
    return { user: null };
  }
  let expiresAt = row.expiresAt.getTime();
  const halfLife = SESSION_LIFETIME.milliseconds() / 2;
  if (expiresAt - halfLife <= now) {
    expiresAt = now + SESSION_LIFETIME.milliseconds();
    await db().update(sessions).set({ expiresAt: new Date(expiresAt) }).where(eq(sessions.id, sessionId));
  }
  if (row.disabledAt) return { user: null };
  const roles = jsonValue<RoleGrant[]>(row.roles);
  const user = { id: row.userId, email: row.email, fullName: row.fullName, emailVerified: !!row.verifiedAt, roles, sessionId };
  const keepUntil = expiresAt - halfLife;
  if (!extras) return { user, keepUntil };
  return { user, keepUntil, extrasName: extras.name, extras: jsonValue<Record<string, unknown>>(row.extras) };
}

/** The signed-in user, or a redirect to the sign-in page that comes back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export async function requireAnonymous(request: Request, to = "/") {
  if (await getUser(request)) throw redirect(to);
}

function refuse(): never {
  throw new Response("Bạn không có quyền truy cập trang này.", {
    status: 403,
    statusText: "Forbidden",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

export async function requirePermission(request: Request, permission: Permission): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasPermission(user.roles, permission)) refuse();
  return user;
}

export async function requireRole(request: Request, role: Role): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasRole(user.roles, role)) refuse();
  return user;
}
