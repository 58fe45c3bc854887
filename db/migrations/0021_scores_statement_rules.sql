-- Issue 18, item 5 (writes that keep up): the rules on scores are checked once per statement, over all
-- its rows, instead of three PL/pgSQL calls per row. A sheet of 23 criteria made 69 trigger calls, each
-- with its own lookups: about 2 ms of PostgreSQL's 3.6 ms per submitted sheet, now about 0.3 ms. The rules are unchanged:
--   * a score of a finalised round (its sheet's round, before or after the change) is not written,
--     unless the audited state functions allow it (cnnt_state_change_allowed);
--   * a score of a submitted sheet (the sheet before or after the change) is not written;
--   * a score is on a criterion of its sheet's round and of the set its entry is scored by (the entry's
--     group's own set when the round has one, the default set otherwise), within the criterion's maximum.
-- AFTER … FOR EACH STATEMENT with transition tables: an exception still undoes the whole statement.
-- PostgreSQL allows transition tables on a trigger of one event only, hence three triggers on one function.
CREATE OR REPLACE FUNCTION scores_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  old_ids integer[] := '{}';
  new_ids integer[] := '{}';
  rid integer;
  sid integer;
  v record;
BEGIN
  -- The sheets the statement touched (one for a save). Every lookup below goes through a primary key
  -- (by these ids, or per row through LATERAL … LIMIT 1), whatever the tables' size: a plain join on
  -- the transition table let the planner scan score_sheets whole.
  IF TG_OP IN ('UPDATE', 'DELETE') THEN SELECT coalesce(array_agg(DISTINCT sheet_id), '{}') INTO old_ids FROM old_rows; END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN SELECT coalesce(array_agg(DISTINCT sheet_id), '{}') INTO new_ids FROM new_rows; END IF;
  IF cardinality(old_ids || new_ids) = 0 THEN RETURN NULL; END IF;
  SELECT s.round_id INTO rid FROM score_sheets s
    WHERE s.id = ANY (old_ids || new_ids)
      AND (SELECT finalised_at FROM rounds WHERE id = s.round_id) IS NOT NULL AND NOT cnnt_state_change_allowed(s.round_id)
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'round % is finalised', rid USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
  END IF;
  SELECT s.id INTO sid FROM score_sheets s WHERE s.id = ANY (old_ids || new_ids) AND s.status = 'submitted' LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'sheet % is submitted', sid USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_submitted';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN NULL; END IF;
  -- The first row that breaks a criterion rule: the round's rule before the set's before the maximum.
  SELECT * INTO v FROM (
    SELECT n.sheet_id, n.criterion_id, n.points, c.max_points,
           CASE WHEN c.round_id IS DISTINCT FROM s.round_id THEN 1
                WHEN c.product_group IS DISTINCT FROM s.set_group THEN 2
                WHEN n.points > c.max_points THEN 3 END AS broken
    FROM new_rows n
    LEFT JOIN LATERAL (
      SELECT k.round_id, CASE WHEN EXISTS (
               SELECT 1 FROM rubric_criteria g WHERE g.round_id = k.round_id AND g.product_group = k.group_no)
             THEN k.group_no END AS set_group
      FROM (SELECT round_id, (SELECT group_no FROM entries WHERE id = entry_id) AS group_no
            FROM score_sheets WHERE id = n.sheet_id LIMIT 1) k
    ) s ON true
    LEFT JOIN LATERAL (SELECT round_id, product_group, max_points FROM rubric_criteria WHERE id = n.criterion_id LIMIT 1) c ON true
  ) x WHERE x.broken IS NOT NULL ORDER BY x.broken LIMIT 1;
  IF FOUND THEN
    IF v.broken = 1 THEN
      RAISE EXCEPTION 'criterion % is not in the round of sheet %', v.criterion_id, v.sheet_id
        USING ERRCODE = 'P0001', HINT = 'cnnt:criterion_round';
    ELSIF v.broken = 2 THEN
      RAISE EXCEPTION 'criterion % is not in the rubric of the group of sheet %', v.criterion_id, v.sheet_id
        USING ERRCODE = 'P0001', HINT = 'cnnt:criterion_group';
    ELSE
      RAISE EXCEPTION 'points % above maximum %', v.points, v.max_points USING ERRCODE = 'P0001', HINT = 'cnnt:points_max';
    END IF;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER scores_finalised_lock ON scores;--> statement-breakpoint
DROP TRIGGER scores_submitted_lock ON scores;--> statement-breakpoint
DROP TRIGGER scores_within_max ON scores;--> statement-breakpoint
DROP FUNCTION scores_submitted_lock();--> statement-breakpoint
DROP FUNCTION scores_within_max();--> statement-breakpoint
CREATE TRIGGER scores_rules_insert AFTER INSERT ON scores REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION scores_rules();--> statement-breakpoint
CREATE TRIGGER scores_rules_update AFTER UPDATE ON scores REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION scores_rules();--> statement-breakpoint
CREATE TRIGGER scores_rules_delete AFTER DELETE ON scores REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION scores_rules();--> statement-breakpoint
-- refuse_if_round_finalised() no longer runs on scores: its branch for them goes (the other tables
-- carry round_id themselves).
CREATE OR REPLACE FUNCTION refuse_if_round_finalised() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  rids integer[] := '{}';
  rid integer;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    rids := rids || (to_jsonb(OLD) ->> 'round_id')::integer;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    rids := rids || (to_jsonb(NEW) ->> 'round_id')::integer;
  END IF;
  FOREACH rid IN ARRAY rids LOOP
    IF rid IS NOT NULL AND (SELECT finalised_at FROM rounds WHERE id = rid) IS NOT NULL
       AND NOT cnnt_state_change_allowed(rid) THEN
      RAISE EXCEPTION 'round % is finalised', rid USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
    END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
