-- Extensions for diacritic-insensitive, typo-tolerant Vietnamese search.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- unaccent() is STABLE; an IMMUTABLE wrapper with the dictionary named lets indexes use it.
-- "đ" is not decomposed by unaccent's default rules everywhere, so it is mapped explicitly.
CREATE OR REPLACE FUNCTION vn_fold(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT lower(translate(public.unaccent('public.unaccent'::regdictionary, input), 'đĐ', 'dD'))
$$;--> statement-breakpoint

-- The audit log is append-only.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'P0001', HINT = 'cnnt:audit_append_only';
END $$;--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();--> statement-breakpoint

-- After finalisation nothing that makes the result may change: sheets, scores, entry results,
-- rubric and tie resolutions. Reopening (clearing rounds.finalised_at) is the only way back.
CREATE OR REPLACE FUNCTION refuse_if_round_finalised() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  rid integer;
  fin timestamptz;
BEGIN
  IF TG_OP = 'DELETE' THEN
    rid := CASE TG_TABLE_NAME
      WHEN 'scores' THEN (SELECT round_id FROM score_sheets WHERE id = OLD.sheet_id)
      ELSE OLD.round_id END;
  ELSE
    rid := CASE TG_TABLE_NAME
      WHEN 'scores' THEN (SELECT round_id FROM score_sheets WHERE id = NEW.sheet_id)
      ELSE NEW.round_id END;
  END IF;
  SELECT finalised_at INTO fin FROM rounds WHERE id = rid;
  IF fin IS NOT NULL THEN
    RAISE EXCEPTION 'round % is finalised', rid USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER scores_finalised_lock BEFORE INSERT OR UPDATE OR DELETE ON scores
  FOR EACH ROW EXECUTE FUNCTION refuse_if_round_finalised();--> statement-breakpoint
CREATE TRIGGER score_sheets_finalised_lock BEFORE INSERT OR UPDATE OR DELETE ON score_sheets
  FOR EACH ROW EXECUTE FUNCTION refuse_if_round_finalised();--> statement-breakpoint
CREATE TRIGGER rubric_criteria_finalised_lock BEFORE INSERT OR UPDATE OR DELETE ON rubric_criteria
  FOR EACH ROW EXECUTE FUNCTION refuse_if_round_finalised();--> statement-breakpoint
CREATE TRIGGER tie_resolutions_finalised_lock BEFORE INSERT OR UPDATE OR DELETE ON tie_resolutions
  FOR EACH ROW EXECUTE FUNCTION refuse_if_round_finalised();--> statement-breakpoint
CREATE TRIGGER assignments_finalised_lock BEFORE INSERT OR UPDATE OR DELETE ON assignments
  FOR EACH ROW EXECUTE FUNCTION refuse_if_round_finalised();--> statement-breakpoint
-- Entries: the status, snapshot and final figures are locked; nothing else on an entry changes later.
CREATE OR REPLACE FUNCTION entries_finalised_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT finalised_at FROM rounds WHERE id = COALESCE(NEW.round_id, OLD.round_id)) IS NOT NULL THEN
    RAISE EXCEPTION 'round % is finalised', COALESCE(NEW.round_id, OLD.round_id)
      USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER entries_finalised_lock BEFORE INSERT OR UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION entries_finalised_lock();--> statement-breakpoint

-- The rubric is frozen once scoring starts (status beyond screening).
CREATE OR REPLACE FUNCTION rubric_frozen_after_screening() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  st text;
BEGIN
  SELECT status INTO st FROM rounds WHERE id = COALESCE(NEW.round_id, OLD.round_id);
  IF st NOT IN ('draft', 'registration', 'screening') THEN
    RAISE EXCEPTION 'rubric of round % is frozen', COALESCE(NEW.round_id, OLD.round_id)
      USING ERRCODE = 'P0001', HINT = 'cnnt:rubric_frozen';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER rubric_criteria_frozen BEFORE INSERT OR UPDATE OR DELETE ON rubric_criteria
  FOR EACH ROW EXECUTE FUNCTION rubric_frozen_after_screening();--> statement-breakpoint

-- Points are bounded by their criterion's maximum, and the criterion belongs to the sheet's round.
CREATE OR REPLACE FUNCTION scores_within_max() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  mx numeric;
  crit_round integer;
  sheet_round integer;
BEGIN
  SELECT max_points, round_id INTO mx, crit_round FROM rubric_criteria WHERE id = NEW.criterion_id;
  SELECT round_id INTO sheet_round FROM score_sheets WHERE id = NEW.sheet_id;
  IF crit_round IS DISTINCT FROM sheet_round THEN
    RAISE EXCEPTION 'criterion % is not in the round of sheet %', NEW.criterion_id, NEW.sheet_id
      USING ERRCODE = 'P0001', HINT = 'cnnt:criterion_round';
  END IF;
  IF NEW.points > mx THEN
    RAISE EXCEPTION 'points % above maximum %', NEW.points, mx USING ERRCODE = 'P0001', HINT = 'cnnt:points_max';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER scores_within_max BEFORE INSERT OR UPDATE ON scores
  FOR EACH ROW EXECUTE FUNCTION scores_within_max();--> statement-breakpoint

-- A submitted sheet is locked (the juror's signature); only an audited reopening of the round
-- by the organiser (which sets the sheet back to draft explicitly) changes it.
CREATE OR REPLACE FUNCTION score_sheets_submitted_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'submitted' AND NEW.status = 'submitted' AND
     (NEW.total IS DISTINCT FROM OLD.total OR NEW.comment IS DISTINCT FROM OLD.comment) THEN
    RAISE EXCEPTION 'sheet % is submitted', OLD.id USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_submitted';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER score_sheets_submitted_lock BEFORE UPDATE ON score_sheets
  FOR EACH ROW EXECUTE FUNCTION score_sheets_submitted_lock();--> statement-breakpoint
CREATE OR REPLACE FUNCTION scores_submitted_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT status FROM score_sheets WHERE id = COALESCE(NEW.sheet_id, OLD.sheet_id)) = 'submitted' THEN
    RAISE EXCEPTION 'sheet % is submitted', COALESCE(NEW.sheet_id, OLD.sheet_id)
      USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_submitted';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER scores_submitted_lock BEFORE INSERT OR UPDATE OR DELETE ON scores
  FOR EACH ROW EXECUTE FUNCTION scores_submitted_lock();--> statement-breakpoint

-- Search indexes over folded text.
CREATE INDEX products_name_trgm_idx ON products USING gin (vn_fold(name) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX facilities_name_trgm_idx ON facilities USING gin (vn_fold(name) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX commendation_recipients_name_trgm_idx ON commendation_recipients USING gin (vn_fold(name) gin_trgm_ops);
