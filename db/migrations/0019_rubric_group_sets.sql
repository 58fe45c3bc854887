-- Issue 15, item 7 (last sub-point): a product group (nhóm 1–4) may have its own sub-criteria under
-- the fixed 40/40/10/10. Rows with product_group NULL are the round's default rubric; rows with a
-- group are that group's full tree (the four fixed criteria and its own sub-criteria). A group with
-- no rows uses the default. Group rows live in rubric_criteria, so the triggers rubric_criteria_frozen
-- (scoring started) and rubric_criteria_finalised_lock already freeze them with the rest.
ALTER TABLE rubric_criteria ADD COLUMN product_group smallint REFERENCES product_groups(no);
--> statement-breakpoint
ALTER TABLE rubric_criteria DROP CONSTRAINT rubric_criteria_code_unique;
--> statement-breakpoint
ALTER TABLE rubric_criteria ADD CONSTRAINT rubric_criteria_code_unique UNIQUE NULLS NOT DISTINCT (round_id, product_group, code);
--> statement-breakpoint
-- A score is given on a criterion of the sheet's round and of the set its entry is scored by: the
-- entry's group's own set when the round has one, the default set otherwise.
CREATE OR REPLACE FUNCTION scores_within_max() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  mx numeric;
  crit_round integer;
  crit_group smallint;
  sheet_round integer;
  entry_group smallint;
  set_group smallint;
BEGIN
  SELECT max_points, round_id, product_group INTO mx, crit_round, crit_group FROM rubric_criteria WHERE id = NEW.criterion_id;
  SELECT s.round_id, e.group_no INTO sheet_round, entry_group
    FROM score_sheets s JOIN entries e ON e.id = s.entry_id WHERE s.id = NEW.sheet_id;
  IF crit_round IS DISTINCT FROM sheet_round THEN
    RAISE EXCEPTION 'criterion % is not in the round of sheet %', NEW.criterion_id, NEW.sheet_id
      USING ERRCODE = 'P0001', HINT = 'cnnt:criterion_round';
  END IF;
  SELECT CASE WHEN EXISTS (SELECT 1 FROM rubric_criteria WHERE round_id = sheet_round AND product_group = entry_group)
    THEN entry_group END INTO set_group;
  IF crit_group IS DISTINCT FROM set_group THEN
    RAISE EXCEPTION 'criterion % is not in the rubric of the group of sheet %', NEW.criterion_id, NEW.sheet_id
      USING ERRCODE = 'P0001', HINT = 'cnnt:criterion_group';
  END IF;
  IF NEW.points > mx THEN
    RAISE EXCEPTION 'points % above maximum %', NEW.points, mx USING ERRCODE = 'P0001', HINT = 'cnnt:points_max';
  END IF;
  RETURN NEW;
END $$;
