/**
 * Issue 12: the status lists are typed once, in TypeScript; the database's CHECK constraints and
 * triggers are tested against them, so a rename fails here rather than a trigger at run time.
 * Read from the migrated database itself (pg_constraint, pg_proc), not from the migration files.
 */
import fs from "node:fs";
import path from "node:path";

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { COUNCIL_ROLES } from "../../app/models/council/rules";
import { LEVEL_NAMES } from "../../app/models/round/rules";
import { db, rowsOf } from "../../app/utils/db.server";
import { RULE_HINTS } from "../../app/utils/rule-hints";
import { CERTIFICATE_KINDS, ENTRY_STATUSES, INVITATION_KINDS, LEGAL_FORMS, LEVELS, OUTBOX_STATUSES, ROLES, ROUND_STATUSES } from "../../db/schema";

const literals = (text: string) => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]!);

async function checkValues(name: string): Promise<string[]> {
  const [row] = rowsOf<{ def: string }>(
    await db().execute(sql`select pg_get_constraintdef(oid) as def from pg_constraint where conname = ${name} and contype = 'c'`),
  );
  expect(row, `CHECK ${name}`).toBeDefined();
  return literals(row!.def);
}

describe("CHECK constraints list exactly the TypeScript values", () => {
  const cases: [string, readonly string[]][] = [
    ["rounds_status_chk", ROUND_STATUSES],
    ["entries_status_chk", ENTRY_STATUSES],
    ["outbox_status_chk", OUTBOX_STATUSES],
    ["user_roles_role_chk", ROLES],
    ["facilities_legal_form_chk", LEGAL_FORMS],
    ["council_members_role_chk", Object.keys(COUNCIL_ROLES)],
    ["rounds_level_chk", Object.keys(LEVEL_NAMES)],
    ["rounds_level_chk", LEVELS],
    ["invitations_kind_chk", INVITATION_KINDS],
    ["certificates_kind_chk", CERTIFICATE_KINDS],
  ];
  it.each(cases)("%s", async (name, list) => {
    expect((await checkValues(name)).sort()).toEqual([...list].sort());
  });
});

describe("triggers", () => {
  it("compare statuses only with values of the TypeScript lists", async () => {
    const fns = rowsOf<{ name: string; src: string }>(
      await db().execute(sql`
        select p.proname as name, p.prosrc as src from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = current_schema() and p.prolang = (select oid from pg_language where lanname = 'plpgsql')`),
    );
    expect(fns.length).toBeGreaterThan(5);
    const known = new Set<string>([...ROUND_STATUSES, ...ENTRY_STATUSES, "draft", "submitted", "pending", "applied", "rejected", "withdrawn"]);
    const compared = fns.flatMap(({ name, src }) =>
      [...src.matchAll(/\bstatus\s*(?:=|<>|!=|\bIN\b)\s*\(?((?:\s*'[^']*'\s*,?)+)\)?/gi)].flatMap((m) => literals(m[1]!).map((v) => ({ name, v }))),
    );
    // The pattern reads the triggers' comparisons (the finalisation lock, the publication step, the sheet lock).
    for (const v of ["submitted", "deliberation", "published", "archived", "selected"]) expect(compared.map((c) => c.v)).toContain(v);
    expect(compared.filter((c) => !known.has(c.v)).map((c) => `${c.name}: '${c.v}'`)).toEqual([]);
  });

  it("raise only the hints of app/utils/rule-hints.ts, and every listed hint is raised", async () => {
    const dir = path.resolve("db/migrations");
    const raised = new Set(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .flatMap((f) => [...fs.readFileSync(path.join(dir, f), "utf8").matchAll(/HINT\s*=\s*'cnnt:([a-z_]+)'/g)].map((m) => m[1]!)),
    );
    expect([...raised].sort()).toEqual([...RULE_HINTS].sort());
    const live = rowsOf<{ src: string }>(await db().execute(sql`select prosrc as src from pg_proc where prosrc like '%cnnt:%'`));
    const inDb = new Set(live.flatMap(({ src }) => [...src.matchAll(/'cnnt:([a-z_]+)'/g)].map((m) => m[1]!)));
    for (const hint of inDb) expect(RULE_HINTS).toContain(hint);
  });
});
