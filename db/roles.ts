/**
 * Least privilege on PostgreSQL (issue 13): migrations run as the owner of the tables
 * (MIGRATION_DATABASE_URL); the app connects as a role that can only read and write rows
 * (DATABASE_URL). Not being the owner, it cannot TRUNCATE, run DDL, disable triggers or change
 * session_replication_role (which needs superuser). PGlite has a single role and skips all this.
 */
import { sql } from "drizzle-orm";

import { type Database, rowsOf } from "../app/utils/db.server";

/** A role name as PostgreSQL quotes it. */
function ident(name: string) {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The user of a postgres:// address. */
export function roleOfUrl(url: string) {
  return decodeURIComponent(new URL(url).username) || "postgres";
}

/** Grants the app role row access to everything the migrations made; run by the owner after migrating. */
export async function grantAppRole(owner: Database, appRole: string) {
  const role = ident(appRole);
  for (const statement of [
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${role}`,
    // Read-only, so a backup (pg_dump) as the app role sees which migrations ran.
    `GRANT USAGE ON SCHEMA drizzle TO ${role}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO ${role}`,
  ])
    await owner.execute(sql.raw(statement));
  // The job queue (pg-boss, db/queue.ts): rows only; its queues (partitions) are made by the owner.
  const [queue] = rowsOf<{ present: boolean }>(await owner.execute(sql`select to_regnamespace('pgboss') is not null as present`));
  if (queue?.present)
    for (const statement of [
      `GRANT USAGE ON SCHEMA pgboss TO ${role}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${role}`,
      `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pgboss TO ${role}`,
      `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO ${role}`,
    ])
      await owner.execute(sql.raw(statement));
}

export interface RoleCheck {
  role: string;
  superuser: boolean;
  ownsTables: boolean;
}

/** Whether the connected role is a superuser or owns the application's tables. */
export async function inspectRole(database: Database): Promise<RoleCheck> {
  const [row] = rowsOf<{ role: string; superuser: boolean; owns: boolean }>(
    await database.execute(sql`
      select current_user as role,
             (select rolsuper from pg_roles where rolname = current_user) as superuser,
             exists (select 1 from pg_tables where schemaname = 'public' and tableowner = current_user) as owns`),
  );
  return { role: row.role, superuser: Boolean(row.superuser), ownsTables: Boolean(row.owns) };
}

/**
 * Refuses to run the app as the owner or a superuser (it could disable the triggers that hold the
 * result), unless ALLOW_OWNER_ROLE=1, which is logged loudly.
 * @throws Error with the Vietnamese explanation.
 */
export async function assertRestrictedRole(database: Database, options: { allowOwner: boolean; log?: (m: string) => void }) {
  const check = await inspectRole(database);
  if (!check.superuser && !check.ownsTables) return check;
  const what = check.superuser ? "là superuser" : "là chủ sở hữu các bảng";
  const message = `Vai trò cơ sở dữ liệu "${check.role}" của ứng dụng ${what}: nó có thể tắt trigger và sửa kết quả đã chốt. Dùng DATABASE_URL với vai trò chỉ đọc/ghi dòng và MIGRATION_DATABASE_URL với vai trò chủ sở hữu (README, mục Cấu hình).`;
  if (!options.allowOwner) throw new Error(message);
  (options.log ?? console.warn)(`\n!!! CẢNH BÁO ALLOW_OWNER_ROLE=1: ${message}\n!!! Các bảo đảm toàn vẹn của cơ sở dữ liệu KHÔNG còn hiệu lực với vai trò này.\n`);
  return check;
}
