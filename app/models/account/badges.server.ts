/**
 * The signed-in header's badges: unread notifications and pending invitations. Every signed-in page
 * shows both, so they are read in the session's own statement (HEADER_BADGES, through the root
 * loader's getUserWith), each count's rule staying in its module; headerBadges() is the same read
 * alone, for a request whose user was read without them.
 */
import { sql } from "drizzle-orm";

import { type SessionExtras } from "../../utils/auth.server";
import { db, rowsOf } from "../../utils/db.server";
import { unreadCountQuery } from "../shared/notification.server";
import { pendingInvitationsCountQuery } from "./invitation.server";

// A type, not an interface: SessionExtras asks for a record.
export type HeaderBadges = {
  unread: number;
  invitations: number;
};

export const NO_BADGES: HeaderBadges = { unread: 0, invitations: 0 };

export const HEADER_BADGES: SessionExtras<HeaderBadges> = {
  name: "header_badges",
  columns: (user) => ({
    unread: sql<number>`(${unreadCountQuery(user.id)})::int`,
    invitations: sql<number>`(${pendingInvitationsCountQuery({ email: user.email })})`,
  }),
};

export async function headerBadges(user: { id: string; email: string }): Promise<HeaderBadges> {
  const result = await db().execute(
    sql`select (${unreadCountQuery(user.id)}) as unread, (${pendingInvitationsCountQuery({ email: user.email })}) as invitations`,
  );
  const [row] = rowsOf<{ unread: number | string | null; invitations: number | string | null }>(result);
  return { unread: Number(row?.unread ?? 0), invitations: Number(row?.invitations ?? 0) };
}
