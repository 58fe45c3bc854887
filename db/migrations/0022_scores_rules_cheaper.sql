-- Issue 18, item 5: scores_rules() (0021) a little cheaper per statement, its rules unchanged.
--   * cnnt_state_change_allowed() is asked only for a finalised round. It is a SQL function: called
--     from a query it is parsed and planned again on every call (~0.15 ms a statement), and the
--     planner ran it before the cheap "is the round finalised" test.
--   * Each sheet's round and set are looked up once per statement (for the sheets in new_ids), not
--     once per score row.
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
  -- cnnt_state_change_allowed() only for a finalised round: a SQL function called from a query is
  -- parsed and planned again on every call (~0.15 ms), and the planner put it first in the filter.
  SELECT s.round_id INTO rid FROM score_sheets s
    WHERE s.id = ANY (old_ids || new_ids)
      AND CASE WHEN (SELECT finalised_at FROM rounds WHERE id = s.round_id) IS NOT NULL
               THEN NOT cnnt_state_change_allowed(s.round_id) ELSE false END
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
  -- Each sheet's round and set are looked up once (by primary key, for the sheets in new_ids), not
  -- once per score.
  SELECT * INTO v FROM (
    SELECT n.sheet_id, n.criterion_id, n.points, c.max_points,
           CASE WHEN c.round_id IS DISTINCT FROM s.round_id THEN 1
                WHEN c.product_group IS DISTINCT FROM s.set_group THEN 2
                WHEN n.points > c.max_points THEN 3 END AS broken
    FROM new_rows n
    LEFT JOIN (
      SELECT k.id, k.round_id, CASE WHEN EXISTS (
               SELECT 1 FROM rubric_criteria g WHERE g.round_id = k.round_id AND g.product_group = k.group_no)
             THEN k.group_no END AS set_group
      FROM (SELECT id, round_id, (SELECT group_no FROM entries WHERE id = entry_id) AS group_no
            FROM score_sheets WHERE id = ANY (new_ids)) k
    ) s ON s.id = n.sheet_id
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
END $$;