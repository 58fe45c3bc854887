import { type SQL, sql } from "drizzle-orm";

import { auditEvents } from "../../../db/schema";
import { type Database, db, rowsOf } from "../../utils/db.server";

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
  await tx.execute(auditEachRow(input, sql`(select ${String(input.entityId)}::text as id)`));
}

/**
 * The statement that appends one event for each row `rows` returns (a data-modifying CTE of the
 * caller's statement, written `name as (update … returning id)` before it), its entity id that row's
 * `id`: a change and its event in one statement, none when the change touched nothing. The one
 * place an event's columns are written (recordAudit appends through it too).
 */
export function auditEachRow(input: Omit<AuditInput, "entityId">, rows: SQL): SQL {
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  return sql`insert into ${auditEvents} (actor_id, action, entity, entity_id, round_id, before, after)
    select ${input.actorId}::text, ${input.action}::text, ${input.entity}::text, r.id::text, ${input.roundId ?? null}::int,
      ${json(input.before)}::jsonb, ${json(input.after)}::jsonb
    from ${rows} r`;
}

export interface AuditFilter {
  action?: string;
  entity?: string;
  entityId?: string;
  actor?: string;
  from?: string; // yyyy-mm-dd, Vietnam date
  to?: string;
}

/** Events newest first, filtered; `actor` matches the actor's e-mail or id. */
export async function listAuditEvents(filter: AuditFilter, options: { limit?: number; offset?: number } = {}) {
  const conditions = [
    filter.action ? sql`e.action like ${`${escapeLike(filter.action)}%`}` : undefined,
    filter.entity ? sql`e.entity = ${filter.entity}` : undefined,
    filter.entityId ? sql`e.entity_id = ${filter.entityId}` : undefined,
    filter.actor ? sql`(e.actor_id = ${filter.actor} or lower(u.email) = ${filter.actor.toLowerCase()})` : undefined,
    filter.from ? sql`e.created_at >= (${filter.from}::date)::timestamp at time zone 'Asia/Ho_Chi_Minh'` : undefined,
    filter.to ? sql`e.created_at < ((${filter.to}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')` : undefined,
  ].filter(Boolean);
  const where = conditions.length ? sql`where ${sql.join(conditions as ReturnType<typeof sql>[], sql` and `)}` : sql``;
  const rows = rowsOf<{
    id: number;
    at: string | Date;
    actor_id: string | null;
    actor_email: string | null;
    action: string;
    entity: string;
    entity_id: string;
    round_id: number | null;
    before: unknown;
    after: unknown;
  }>(
    await db().execute(sql`
      select e.id, e.created_at as at, e.actor_id, u.email as actor_email, e.action, e.entity, e.entity_id, e.round_id, e.before, e.after
      from audit_events e left join users u on u.id = e.actor_id
      ${where}
      order by e.id desc
      limit ${options.limit ?? 200} offset ${options.offset ?? 0}`),
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}

function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
