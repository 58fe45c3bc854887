import { auditEvents } from "../../db/schema";
import { type Database, db } from "../utils/db.server";

export interface AuditInput {
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | number;
  roundId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one event. Call it inside the transaction of the change it records. */
export async function recordAudit(input: AuditInput, tx: Database = db()) {
  await tx.insert(auditEvents).values({
    actorId: input.actorId,
    action: input.action,
    entity: input.entity,
    entityId: String(input.entityId),
    roundId: input.roundId ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
  });
}
