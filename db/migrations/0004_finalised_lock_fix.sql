-- 0001's refuse_if_round_finalised() reads NEW.sheet_id inside a CASE for every table; PL/pgSQL
-- resolves both arms, so inserts into tables without sheet_id (score_sheets, rubric_criteria,
-- assignments, tie_resolutions) fail with 42703. Branch with IF instead: the same rule, per table.
CREATE OR REPLACE FUNCTION refuse_if_round_finalised() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  rid integer;
  fin timestamptz;
  rec record;
BEGIN
  IF TG_OP = 'DELETE' THEN rec := OLD; ELSE rec := NEW; END IF;
  IF TG_TABLE_NAME = 'scores' THEN
    SELECT round_id INTO rid FROM score_sheets WHERE id = (to_jsonb(rec) ->> 'sheet_id')::integer;
  ELSE
    rid := (to_jsonb(rec) ->> 'round_id')::integer;
  END IF;
  SELECT finalised_at INTO fin FROM rounds WHERE id = rid;
  IF fin IS NOT NULL THEN
    RAISE EXCEPTION 'round % is finalised', rid USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
