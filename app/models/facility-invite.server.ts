import { and, eq, isNull, sql } from "drizzle-orm";

import { facilityInvites, facilityMembers, users } from "../../db/schema";
import { db } from "../utils/db.server";
import { recordAudit } from "./audit.server";
import { recordMembershipConflict } from "./sheet-decisions.server";

/** Turns pending invitations to the user's e-mail into facility memberships (staff). */
export async function acceptInvites(input: { userId: string }) {
  await db().transaction(async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
    if (!user) return;
    const pending = await tx
      .select()
      .from(facilityInvites)
      .where(and(sql`lower(${facilityInvites.email}) = ${user.email.toLowerCase()}`, isNull(facilityInvites.acceptedAt)));
    for (const invite of pending) {
      await tx
        .insert(facilityMembers)
        .values({ facilityId: invite.facilityId, userId: input.userId, role: "staff" })
        .onConflictDoNothing();
      await tx.update(facilityInvites).set({ acceptedAt: new Date() }).where(eq(facilityInvites.id, invite.id));
      await recordMembershipConflict({ userId: input.userId, facilityId: invite.facilityId, tx });
      await recordAudit(
        { actorId: input.userId, action: "facility.invite_accept", entity: "facility", entityId: invite.facilityId },
        tx,
      );
    }
  });
}
