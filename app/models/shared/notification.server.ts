/**
 * Notifications (issue 16 §5): one row in the account's in-app list and, unless the account turned
 * that kind off (legal-effect kinds cannot be turned off), one e-mail in the outbox — both in the
 * transaction of the event.
 */
import { and, count, desc, eq, inArray, isNull } from "drizzle-orm";

import { facilityMembers, notificationPreferences, notifications, type Round, users } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { env } from "../../utils/env.server";
import { absoluteUrl } from "../../utils/tokens.server";
import { enqueueMessage } from "../messaging/outbox.server";
import { notificationMessage } from "../messaging/templates";
import { organizersOfRound } from "../round/organizer-scope.server";
import { NOTIFICATION_KINDS, type NotificationKind, OPTIONAL_KINDS } from "./notification-kinds";

export interface NotificationInput {
  userId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** A path on this site ("/facility/entries/3"). */
  link?: string;
  /**
   * For events that repeat (a queue that keeps filling, a daily check): "unread" writes nothing while
   * the account has an unread notification of this kind with this title; "ever" writes nothing when
   * one with this kind, title and body was ever written.
   */
  once?: "unread" | "ever";
}

/** Call inside the event's transaction. */
export async function notify(input: NotificationInput, tx: Database = db()) {
  const [user] = await tx
    .select({ email: users.email, fullName: users.fullName, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!user || user.disabledAt) return false;
  if (input.once) {
    const [already] = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, input.userId),
          eq(notifications.kind, input.kind),
          eq(notifications.title, input.title),
          input.once === "unread" ? isNull(notifications.readAt) : eq(notifications.body, input.body),
        ),
      )
      .limit(1);
    if (already) return false;
  }
  await tx
    .insert(notifications)
    .values({ userId: input.userId, kind: input.kind, title: input.title, body: input.body, link: input.link ?? null });
  const legal = NOTIFICATION_KINDS[input.kind].legal;
  if (!legal) {
    const [pref] = await tx
      .select({ email: notificationPreferences.email })
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.userId, input.userId), eq(notificationPreferences.kind, input.kind)));
    if (pref && !pref.email) return true;
  }
  const site = env().PUBLIC_URL;
  await enqueueMessage(
    {
      to: user.email,
      userId: input.userId,
      kind: input.kind,
      content: notificationMessage({
        name: user.fullName,
        title: input.title,
        body: input.body,
        url: input.link ? absoluteUrl(site, input.link) : undefined,
        prefsUrl: absoluteUrl(site, "/notifications"),
        optional: !legal,
      }),
    },
    tx,
  );
  return true;
}

/** Notifies every member (owner and staff) of a facility. */
export async function notifyFacility(input: Omit<NotificationInput, "userId"> & { facilityId: number }, tx: Database = db()) {
  const members = await tx.select({ userId: facilityMembers.userId }).from(facilityMembers).where(eq(facilityMembers.facilityId, input.facilityId));
  const { facilityId: _f, ...rest } = input;
  for (const m of members) await notify({ ...rest, userId: m.userId }, tx);
}

/** The organisers whose scope covers the round (organizer-scope.server.ts, the one home of the rule). */
export const roundOrganizers = organizersOfRound;

/** Notifies every organiser of the round (see roundOrganizers), in the caller's transaction. */
export async function notifyRoundOrganizers(
  input: Omit<NotificationInput, "userId"> & { round: Pick<Round, "level" | "regionCode" | "provinceCode"> },
  tx: Database = db(),
) {
  const { round, ...rest } = input;
  for (const userId of await roundOrganizers(round, tx)) await notify({ ...rest, userId }, tx);
}

/**
 * The query counting a user's unread notifications (the header's badge: app/models/account/badges.server.ts):
 * of an account id, or of the id column of the query it is part of.
 */
export function unreadCountQuery(userId: string | typeof users.id) {
  return db().select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}

export async function listNotifications(input: { userId: string; limit?: number }) {
  return db().select().from(notifications).where(eq(notifications.userId, input.userId)).orderBy(desc(notifications.id)).limit(input.limit ?? 100);
}

/** Marks the account's notifications read (all, or the given ones). */
export async function markRead(input: { userId: string; ids?: number[] }) {
  await db()
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, input.userId), isNull(notifications.readAt), input.ids ? inArray(notifications.id, input.ids) : undefined));
}

/** Which optional kinds come by e-mail (absent = yes). */
export async function emailPreferences(userId: string): Promise<Record<string, boolean>> {
  const rows = await db().select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  const off = new Set(rows.filter((r) => !r.email).map((r) => r.kind));
  return Object.fromEntries(OPTIONAL_KINDS.map((k) => [k, !off.has(k)]));
}

export async function saveEmailPreferences(input: { userId: string; enabled: string[] }) {
  await db().transaction(async (tx) => {
    for (const kind of OPTIONAL_KINDS) {
      const email = input.enabled.includes(kind);
      await tx
        .insert(notificationPreferences)
        .values({ userId: input.userId, kind, email })
        .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { email } });
    }
  });
}
