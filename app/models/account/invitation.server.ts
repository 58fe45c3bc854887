/**
 * Invitations by e-mail (issue 16 §4, issue 13 §3): facility staff, council members and
 * organisers/officers. Inviting grants nothing: the verified owner of the invited address accepts
 * while signed in. The inviter's answer is the same whether or not the address has an account, and
 * the invitee's e-mail is never matched to an account before acceptance.
 */
import { and, asc, desc, eq, gt, isNull, type SQL, sql } from "drizzle-orm";

import {
  facilities,
  facilityMembers,
  invitations,
  type InvitationKind,
  provinces,
  rounds,
  userRoles,
  users,
} from "../../../db/schema";
import { type Database, db, isDbId } from "../../utils/db.server";
import { env } from "../../utils/env.server";
import { AppError, notFound } from "../../utils/errors";
import { hasRole, type Role, type RoleGrant, ROLE_LABELS } from "../../utils/permissions";
import { absoluteUrl, hashToken, newToken } from "../../utils/tokens.server";
import { saveCouncilMember } from "../council/council.server";
import { type CouncilRole, COUNCIL_ROLES } from "../council/rules";
import { coversRound } from "../entry/entry.server";
import { requireFacilityMember } from "../facility/facility.server";
import { enqueueMessage } from "../messaging/outbox.server";
import { invitationMessage } from "../messaging/templates";
import { canEditCouncil } from "../round/rules";
import { recordMembershipConflict } from "../scoring/sheet-decisions.server";
import { recordAudit } from "../shared/audit.server";
import { requireVerified } from "./account.server";

export const INVITATION_DAYS = 7;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type InvitationTarget =
  | { kind: "facility"; facilityId: number }
  | { kind: "council"; roundId: number; councilRole: CouncilRole; groupNos?: number[]; provinceCode?: string | null }
  | { kind: "role"; role: Role; scopeLevel?: string | null; scopeRegion?: string | null; scopeProvince?: string | null };

function normaliseEmail(raw: string) {
  const email = raw.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) throw new AppError(400, "Email không hợp lệ.", { email: "Email không hợp lệ (ví dụ: ten@donvi.vn)." });
  return email;
}

async function rolesOf(userId: string, tx: Database): Promise<RoleGrant[]> {
  return (await tx
    .select({ role: userRoles.role, scopeLevel: userRoles.scopeLevel, scopeRegion: userRoles.scopeRegion, scopeProvince: userRoles.scopeProvince })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))) as RoleGrant[];
}

/** What the invitation offers, in words ("làm nhân viên của cơ sở …"). */
async function describe(target: { kind: InvitationKind; facilityId?: number | null; roundId?: number | null; councilRole?: string | null; role?: Role | null }, tx: Database) {
  if (target.kind === "facility") {
    const [f] = await tx.select({ name: facilities.name }).from(facilities).where(eq(facilities.id, target.facilityId!));
    return `làm nhân viên của cơ sở “${f?.name ?? ""}”`;
  }
  if (target.kind === "council") {
    const [r] = await tx.select({ name: rounds.title }).from(rounds).where(eq(rounds.id, target.roundId!));
    return `làm ${COUNCIL_ROLES[target.councilRole as CouncilRole]?.toLowerCase() ?? "thành viên"} hội đồng bình chọn đợt “${r?.name ?? ""}”`;
  }
  return `nhận vai trò ${ROLE_LABELS[target.role!]}`;
}

/** The inviter may invite to this target. @throws AppError 403/404/409. */
async function assertMayInvite(actorId: string, target: InvitationTarget, tx: Database) {
  if (target.kind === "facility") {
    const facility = await requireFacilityMember({ userId: actorId, facilityId: target.facilityId }, tx);
    if (facility.memberRole !== "owner") throw new AppError(403, "Chỉ chủ cơ sở được mời nhân viên.");
    return;
  }
  if (target.kind === "council") {
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, target.roundId));
    if (!round || !(await coversRound(actorId, round, tx))) throw notFound();
    if (!canEditCouncil(round)) {
      throw new AppError(409, "Đợt đã kết thúc chấm điểm: không thể mời thêm thành viên hội đồng.");
    }
    if (!(target.councilRole in COUNCIL_ROLES))
      throw new AppError(400, "Vai trò trong hội đồng không hợp lệ.", { councilRole: "Chọn vai trò." });
    if (target.provinceCode) {
      const [p] = await tx.select({ code: provinces.code }).from(provinces).where(eq(provinces.code, target.provinceCode));
      if (!p) throw new AppError(400, "Tỉnh của cơ quan công tác không hợp lệ.", { provinceCode: "Chọn tỉnh trong danh sách." });
    }
    return;
  }
  if (!hasRole(await rolesOf(actorId, tx), "admin")) throw new AppError(403, "Chỉ quản trị viên được mời cán bộ.");
  if (!(target.role in ROLE_LABELS) || target.role === "facility") throw new AppError(400, "Vai trò không hợp lệ.", { role: "Chọn vai trò." });
  if (target.role !== "organizer" && (target.scopeLevel || target.scopeRegion || target.scopeProvince)) {
    throw new AppError(400, "Chỉ vai trò Ban tổ chức mới có phạm vi (cấp, khu vực, tỉnh).");
  }
}

const sameTarget = (target: InvitationTarget) =>
  target.kind === "facility"
    ? eq(invitations.facilityId, target.facilityId)
    : target.kind === "council"
      ? eq(invitations.roundId, target.roundId)
      : eq(invitations.role, target.role);

/**
 * Sends an invitation (a new one replaces a pending one for the same address and target).
 * @throws AppError 400 for a bad address, 403/404 when the inviter may not invite there.
 */
export async function inviteByEmail(input: { actorId: string; email: string; target: InvitationTarget; now?: Date }, tx: Database = db()) {
  const email = normaliseEmail(input.email);
  const now = input.now ?? new Date();
  const { target } = input;
  return tx.transaction(async (t) => {
    await assertMayInvite(input.actorId, target, t);
    await t
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.kind, target.kind),
          sameTarget(target),
          sql`lower(${invitations.email}) = ${email}`,
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          isNull(invitations.declinedAt),
        ),
      );
    const { token, hash } = newToken();
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000);
    const [row] = await t
      .insert(invitations)
      .values({
        kind: target.kind,
        email,
        tokenHash: hash,
        facilityId: target.kind === "facility" ? target.facilityId : null,
        roundId: target.kind === "council" ? target.roundId : null,
        councilRole: target.kind === "council" ? target.councilRole : null,
        groupNos: target.kind === "council" ? [...new Set(target.groupNos ?? [])].filter((g) => g >= 1 && g <= 4).sort() : [],
        provinceCode: target.kind === "council" ? target.provinceCode || null : null,
        role: target.kind === "role" ? target.role : null,
        scopeLevel: (target.kind === "role" ? (target.scopeLevel ?? null) : null) as never,
        scopeRegion: target.kind === "role" ? (target.scopeRegion ?? null) : null,
        scopeProvince: target.kind === "role" ? (target.scopeProvince ?? null) : null,
        invitedBy: input.actorId,
        expiresAt,
        createdAt: now,
      })
      .returning();
    const [inviter] = await t.select({ fullName: users.fullName }).from(users).where(eq(users.id, input.actorId));
    const what = await describe(row, t);
    await enqueueMessage(
      {
        to: email,
        kind: `invite_${target.kind}`,
        content: invitationMessage({ what, inviter: inviter?.fullName ?? "Ban tổ chức", url: absoluteUrl(env().PUBLIC_URL, `/invitations/${token}`), expiresAt }),
      },
      t,
    );
    await recordAudit(
      {
        actorId: input.actorId,
        action: "invitation.create",
        entity: target.kind === "facility" ? "facility" : target.kind === "council" ? "round" : "invitation",
        entityId: target.kind === "facility" ? target.facilityId : target.kind === "council" ? target.roundId : row.id,
        roundId: target.kind === "council" ? target.roundId : null,
        after: { invitationId: row.id, email, kind: target.kind, role: row.role ?? row.councilRole },
      },
      t,
    );
    return { id: row.id, token };
  });
}

const pendingNow = (now: Date | SQL) =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), isNull(invitations.declinedAt), gt(invitations.expiresAt, now));

/** Pending invitations of a facility, a round's council or the admin's role invitations. */
export async function listSentInvitations(input: { kind: InvitationKind; facilityId?: number; roundId?: number; now?: Date }, tx: Database = db()) {
  return tx
    .select({
      id: invitations.id,
      email: invitations.email,
      expiresAt: invitations.expiresAt,
      councilRole: invitations.councilRole,
      groupNos: invitations.groupNos,
      role: invitations.role,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.kind, input.kind),
        input.facilityId ? eq(invitations.facilityId, input.facilityId) : undefined,
        input.roundId ? eq(invitations.roundId, input.roundId) : undefined,
        pendingNow(input.now ?? new Date()),
      ),
    )
    .orderBy(asc(invitations.id));
}

/** The signed-in account's pending invitations (to its own address), with what each offers. */
export async function listMyInvitations(input: { userId: string; now?: Date }) {
  const [user] = await db().select({ email: users.email }).from(users).where(eq(users.id, input.userId));
  if (!user) return [];
  const rows = await db()
    .select()
    .from(invitations)
    .where(and(sql`lower(${invitations.email}) = ${user.email.toLowerCase()}`, pendingNow(input.now ?? new Date())))
    .orderBy(desc(invitations.id));
  return Promise.all(rows.map(async (r) => ({ id: r.id, expiresAt: r.expiresAt, what: await describe(r, db()) })));
}

/** The invitation behind a link, for its page. @throws AppError 404 for an unknown token. */
export async function findInvitationByToken(token: string) {
  const [row] = await db().select().from(invitations).where(eq(invitations.tokenHash, hashToken(token)));
  if (!row) throw notFound("Không tìm thấy lời mời. Liên kết có thể đã bị sao chép thiếu.");
  return { id: row.id, what: await describe(row, db()), state: invitationState(row), expiresAt: row.expiresAt };
}

function invitationState(row: typeof invitations.$inferSelect, now = new Date()) {
  if (row.acceptedAt) return "accepted" as const;
  if (row.revokedAt) return "revoked" as const;
  if (row.declinedAt) return "declined" as const;
  if (row.expiresAt <= now) return "expired" as const;
  return "pending" as const;
}

const STATE_MESSAGES = {
  accepted: "Lời mời này đã được nhận rồi.",
  revoked: "Lời mời này đã bị người mời thu hồi.",
  declined: "Lời mời này đã bị từ chối.",
  expired: `Lời mời đã hết hạn (sau ${INVITATION_DAYS} ngày). Hãy đề nghị người mời gửi lại.`,
} as const;

async function loadForAnswer(input: { userId: string; invitationId?: number; token?: string; now: Date }, t: Database) {
  if (!input.token && !isDbId(input.invitationId ?? NaN)) throw notFound("Không tìm thấy lời mời.");
  const [row] = await t
    .select()
    .from(invitations)
    .where(input.token ? eq(invitations.tokenHash, hashToken(input.token)) : eq(invitations.id, input.invitationId ?? -1))
    .for("update");
  if (!row) throw notFound("Không tìm thấy lời mời.");
  const [user] = await t.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
  if (!user || user.email.toLowerCase() !== row.email.toLowerCase()) {
    throw new AppError(403, "Lời mời này gửi tới một địa chỉ email khác. Hãy đăng xuất và đăng nhập (hoặc đăng ký) bằng đúng địa chỉ đã nhận thư mời.");
  }
  const state = invitationState(row, input.now);
  if (state !== "pending") throw new AppError(409, STATE_MESSAGES[state]);
  return row;
}

/**
 * Accepts an invitation for the signed-in account: the address must be the invited one and
 * verified. Grants the membership, council seat or role in one transaction.
 * @throws AppError 403 (another address, unverified), 404, 409 (used, revoked, expired).
 */
export async function acceptInvitation(input: { userId: string; invitationId?: number; token?: string; now?: Date }) {
  const now = input.now ?? new Date();
  const accepted = await db().transaction(async (t) => {
    const row = await loadForAnswer({ ...input, now }, t);
    await requireVerified({ userId: input.userId, doing: "nhận lời mời" }, t);
    if (row.kind === "facility") {
      await t.insert(facilityMembers).values({ facilityId: row.facilityId!, userId: input.userId, role: "staff" }).onConflictDoNothing();
      // A juror who joins a facility is in conflict with its entries: declared for the organiser to
      // see, and a submitted sheet is never excluded by this alone (issue 13 §3).
      await recordMembershipConflict({ userId: input.userId, facilityId: row.facilityId!, actorId: input.userId, tx: t });
    } else if (row.kind === "council") {
      await ensureRole({ userId: input.userId, role: "juror", grantedBy: row.invitedBy }, t);
      await saveCouncilMember(
        {
          roundId: row.roundId!,
          actorId: row.invitedBy ?? input.userId,
          email: row.email,
          role: row.councilRole as CouncilRole,
          groupNos: row.groupNos,
          provinceCode: row.provinceCode,
        },
        t,
      );
    } else {
      await ensureRole({ userId: input.userId, role: row.role!, grantedBy: row.invitedBy, scopeLevel: row.scopeLevel, scopeRegion: row.scopeRegion, scopeProvince: row.scopeProvince }, t);
    }
    await t.update(invitations).set({ acceptedAt: now, acceptedBy: input.userId }).where(eq(invitations.id, row.id));
    await recordAudit(
      {
        actorId: input.userId,
        action: "invitation.accept",
        entity: row.kind === "facility" ? "facility" : row.kind === "council" ? "round" : "invitation",
        entityId: row.facilityId ?? row.roundId ?? row.id,
        roundId: row.roundId,
        after: { invitationId: row.id, kind: row.kind, role: row.role ?? row.councilRole },
      },
      t,
    );
    return row;
  });
  return { kind: accepted.kind, facilityId: accepted.facilityId, roundId: accepted.roundId };
}

async function ensureRole(
  input: { userId: string; role: Role; grantedBy: string | null; scopeLevel?: string | null; scopeRegion?: string | null; scopeProvince?: string | null },
  t: Database,
) {
  const inserted = await t
    .insert(userRoles)
    .values({
      userId: input.userId,
      role: input.role,
      scopeLevel: (input.scopeLevel ?? null) as never,
      scopeRegion: input.scopeRegion ?? null,
      scopeProvince: input.scopeProvince ?? null,
      grantedBy: input.grantedBy,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted.length) await recordAudit({ actorId: input.grantedBy, action: "role.grant", entity: "user", entityId: input.userId, after: inserted[0] }, t);
}

/** @throws AppError 403/404/409 like acceptInvitation. */
export async function declineInvitation(input: { userId: string; invitationId: number; now?: Date }) {
  const now = input.now ?? new Date();
  await db().transaction(async (t) => {
    const row = await loadForAnswer({ ...input, now }, t);
    await t.update(invitations).set({ declinedAt: now }).where(eq(invitations.id, row.id));
    await recordAudit({ actorId: input.userId, action: "invitation.decline", entity: "invitation", entityId: row.id }, t);
  });
}

/** The inviter (or anyone who may invite there) withdraws a pending invitation. @throws 404/409. */
export async function revokeInvitation(input: { actorId: string; invitationId: number; kind: InvitationKind; facilityId?: number; roundId?: number }) {
  if (!isDbId(input.invitationId)) throw notFound("Không tìm thấy lời mời.");
  await db().transaction(async (t) => {
    const [row] = await t
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.id, input.invitationId),
          eq(invitations.kind, input.kind),
          input.facilityId ? eq(invitations.facilityId, input.facilityId) : undefined,
          input.roundId ? eq(invitations.roundId, input.roundId) : undefined,
        ),
      )
      .for("update");
    if (!row) throw notFound("Không tìm thấy lời mời.");
    const target: InvitationTarget =
      row.kind === "facility"
        ? { kind: "facility", facilityId: row.facilityId! }
        : row.kind === "council"
          ? { kind: "council", roundId: row.roundId!, councilRole: row.councilRole as CouncilRole }
          : { kind: "role", role: row.role! };
    await assertMayInvite(input.actorId, target, t);
    const state = invitationState(row);
    if (state !== "pending") throw new AppError(409, STATE_MESSAGES[state]);
    await t.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, row.id));
    await recordAudit({ actorId: input.actorId, action: "invitation.revoke", entity: "invitation", entityId: row.id, roundId: row.roundId }, t);
  });
}

/**
 * The query counting the pending invitations to an address (the header's badge: badges.server.ts): a
 * value (pending now), or the email column of the query it is part of (pending at its `now()`).
 */
export function pendingInvitationsCountQuery(input: { email: string | typeof users.email }) {
  const [to, now] =
    typeof input.email === "string" ? [sql`${input.email.toLowerCase()}`, new Date()] : [sql`lower(${input.email})`, sql`now()`];
  return db()
    .select({ n: sql<number>`count(*)::int` })
    .from(invitations)
    .where(and(sql`lower(${invitations.email}) = ${to}`, pendingNow(now)));
}

