/**
 * The rules the database enforces by trigger, by the hint each raises (`HINT = 'cnnt:<name>'` in
 * db/migrations). The one list: `ruleViolation` (db.server.ts) returns one of these, models turn
 * them into Vietnamese errors, and tests/integration/status-lists.test.ts fails when a migration
 * raises a hint not listed here or a listed hint is raised by no trigger.
 */
export const RULE_HINTS = [
  "audit_append_only",
  "round_finalised",
  "rubric_frozen",
  "criterion_round",
  "criterion_group",
  "points_max",
  "sheet_submitted",
  "sheet_total",
  "sheet_counted",
  "no_truncate",
  "certificate_immutable",
  "reopen_reason",
  "not_finalised",
  "council_closed",
  "province_unknown",
  "vote_frozen",
  "favourite_award",
] as const;
export type RuleHint = (typeof RULE_HINTS)[number];

export const HINT_PREFIX = "cnnt:";

/** The rule named by a trigger's hint, or undefined for another hint. */
export function ruleOfHint(hint: string): RuleHint | undefined {
  if (!hint.startsWith(HINT_PREFIX)) return undefined;
  const name = hint.slice(HINT_PREFIX.length);
  return (RULE_HINTS as readonly string[]).includes(name) ? (name as RuleHint) : undefined;
}
