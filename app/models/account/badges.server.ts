/**
 * The signed-in header's badges: unread notifications and pending invitations. Every signed-in page
 * shows both, so they are one statement (two subqueries), each count's rule staying in its module.
 */
import { sql } from "drizzle-orm";

import { db, rowsOf } from "../../utils/db.server";
import { unreadCountQuery } from "../shared/notification.server";
import { pendingInvitationsCountQuery } from "./invitation.server";

export async function headerBadges(user: { id: string; email: string }): Promise<{ unread: number; invitations: number }> {
  const result = await db().execute(
    sql`select (${unreadCountQuery(user.id)}) as unread, (${pendingInvitationsCountQuery({ email: user.email })}) as invitations`,
  );
  const [row] = rowsOf<{ unread: number | string | null; invitations: number | string | null }>(result);
  return { unread: Number(row?.unread ?? 0), invitations: Number(row?.invitations ?? 0) };
}
