-- Issue 18, item 5: scores_rules() (0021) cheaper per statement, its rules and their order unchanged
-- (a finalised round, then a submitted sheet, then the criterion rules: round, set, maximum).
-- Timed inside the function on a save of 23 scores: ~1.3 ms, now ~0.2 ms. Where the time went was
-- planning, not running: PL/pgSQL plans a query again on every call unless it settles on a generic
-- plan, and it never did for `id = ANY (array)` or for the per-row LATERAL joins; and
-- cnnt_state_change_allowed() (a SQL function, itself parsed and planned on every call) ran first.
-- Now: the statement's rows are read once into arrays; each sheet (one for a save) is looked up by
-- primary key; one small query over the arrays finds the first broken criterion rule; the plans are
-- generic (built once per connection); cnnt_state_change_allowed() only for a finalised round.
CREATE OR REPLACE FUNCTION scores_rules() RETURNS trigger
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  old_ids integer[] := '{}';
  new_ids integer[] := '{}';
  new_sheets integer[];
  new_criteria integer[];
  new_points numeric[];
  set_sheets integer[] := '{}';
  set_rounds integer[] := '{}';
  set_groups integer[] := '{}';
  sid integer;
  rid integer;
  grp integer;
  v record;
BEGIN
  -- The statement's rows are read once into arrays; then primary-key lookups per sheet (one for a
  -- save) and one small query over the arrays, each with a plan built once (see above).
  IF TG_OP IN ('UPDATE', 'DELETE') THEN SELECT coalesce(array_agg(DISTINCT sheet_id), '{}') INTO old_ids FROM old_rows; END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    SELECT array_agg(sheet_id), array_agg(criterion_id), array_agg(points) INTO new_sheets, new_criteria, new_points FROM new_rows;
    SELECT coalesce(array_agg(DISTINCT s), '{}') INTO new_ids FROM unnest(new_sheets) s;
  END IF;
  -- A finalised round first (its sheet before or after the change), unless the audited state
  -- functions allow it; cnnt_state_change_allowed() only for a finalised round.
  FOREACH sid IN ARRAY old_ids || new_ids LOOP
    SELECT s.round_id INTO rid FROM score_sheets s JOIN rounds r ON r.id = s.round_id
      WHERE s.id = sid AND r.finalised_at IS NOT NULL;
    IF FOUND AND NOT cnnt_state_change_allowed(rid) THEN
      RAISE EXCEPTION 'round % is finalised', rid USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
    END IF;
  END LOOP;
  -- Then a submitted sheet (before or after the change).
  FOREACH sid IN ARRAY old_ids || new_ids LOOP
    PERFORM 1 FROM score_sheets s WHERE s.id = sid AND s.status = 'submitted';
    IF FOUND THEN
      RAISE EXCEPTION 'sheet % is submitted', sid USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_submitted';
    END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN RETURN NULL; END IF;
  -- Each new sheet's round and the set its entry is scored by: the entry's group's own set when the
  -- round has one, the default set (no group) otherwise. A sheet that does not exist has neither.
  FOREACH sid IN ARRAY new_ids LOOP
    rid := NULL;
    grp := NULL;
    SELECT s.round_id, e.group_no INTO rid, grp FROM score_sheets s JOIN entries e ON e.id = s.entry_id WHERE s.id = sid;
    IF grp IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rubric_criteria g WHERE g.round_id = rid AND g.product_group = grp) THEN
      grp := NULL;
    END IF;
    set_sheets := set_sheets || sid;
    set_rounds := set_rounds || rid;
    set_groups := set_groups || grp;
  END LOOP;
  -- The first row that breaks a criterion rule: the round's rule before the set's before the maximum.
  SELECT * INTO v FROM (
    SELECT n.sheet_id, n.criterion_id, n.points, c.max_points,
           CASE WHEN c.round_id IS DISTINCT FROM s.round_id THEN 1
                WHEN c.product_group IS DISTINCT FROM s.set_group THEN 2
                WHEN n.points > c.max_points THEN 3 END AS broken
    FROM unnest(new_sheets, new_criteria, new_points) AS n(sheet_id, criterion_id, points)
    JOIN unnest(set_sheets, set_rounds, set_groups) AS s(sheet_id, round_id, set_group) ON s.sheet_id = n.sheet_id
    LEFT JOIN rubric_criteria c ON c.id = n.criterion_id
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
END $$;
