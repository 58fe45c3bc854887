/** The audit trail. */
import { bigserial, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";

import { createdAt } from "./columns";

// ───────────────────────────── audit ─────────────────────────────

/** Append-only: UPDATE and DELETE are refused by trigger. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: createdAt(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    roundId: integer("round_id"),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [index("audit_events_entity_idx").on(t.entity, t.entityId), index("audit_events_at_idx").on(t.at)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
