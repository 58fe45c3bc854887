-- Issue 13: the counted set is a recorded fact, and the database holds the line against plain SQL.
ALTER TABLE "score_sheets" ADD COLUMN "counted" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "sheet_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"sheet_id" integer NOT NULL,
	"proposal" text NOT NULL,
	"cause" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sheet_decisions_proposal_chk" CHECK ("sheet_decisions"."proposal" in ('exclude','include')),
	CONSTRAINT "sheet_decisions_status_chk" CHECK ("sheet_decisions"."status" in ('pending','applied','rejected','withdrawn')),
	CONSTRAINT "sheet_decisions_decided_chk" CHECK (("sheet_decisions"."status" in ('pending','withdrawn')) or ("sheet_decisions"."reason" is not null and "sheet_decisions"."decided_at" is not null))
);--> statement-breakpoint
ALTER TABLE "sheet_decisions" ADD CONSTRAINT "sheet_decisions_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_decisions" ADD CONSTRAINT "sheet_decisions_sheet_id_score_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."score_sheets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sheet_decisions" ADD CONSTRAINT "sheet_decisions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "sheet_decisions_round_idx" ON "sheet_decisions" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "sheet_decisions_one_pending" ON "sheet_decisions" USING btree ("sheet_id") WHERE "sheet_decisions"."status" = 'pending';--> statement-breakpoint

-- One-time data migration: until now a submitted sheet stopped counting when its juror was in conflict
-- with the entry (a query). Record that as the sheet's fact, so every result stays what it was. The
-- owner runs migrations and may pass its own locks for this once.
ALTER TABLE "score_sheets" DISABLE TRIGGER USER;--> statement-breakpoint
UPDATE score_sheets s SET counted = false
FROM entries e
WHERE e.id = s.entry_id AND s.status = 'submitted'
  AND EXISTS (SELECT 1 FROM conflicts c WHERE c.round_id = s.round_id AND c.user_id = s.juror_id
              AND (c.entry_id = e.id OR c.facility_id = e.facility_id));--> statement-breakpoint
ALTER TABLE "score_sheets" ENABLE TRIGGER USER;--> statement-breakpoint
-- Snapshots of an older shape (the product name at the top level) take the one shape every reader
-- parses now (app/schemas/snapshot.ts): { product: { name, … }, … }.
ALTER TABLE "entries" DISABLE TRIGGER USER;--> statement-breakpoint
UPDATE entries SET snapshot = jsonb_build_object('product', jsonb_build_object('name', coalesce(snapshot->>'productName', snapshot->>'name')))
       || (snapshot - 'name' - 'productName')
WHERE snapshot IS NOT NULL AND jsonb_typeof(snapshot) = 'object' AND NOT snapshot ? 'product'
  AND (snapshot ? 'name' OR snapshot ? 'productName');--> statement-breakpoint
ALTER TABLE "entries" ENABLE TRIGGER USER;--> statement-breakpoint

-- Whether the running statement comes from one of the audited state functions below: they set a
-- transaction-local flag naming the round, and run as the owner (SECURITY DEFINER). A restricted app
-- role can set the flag, but it is not the owner outside those functions, so it cannot pass. A
-- connection that is itself the owner (PGlite, ALLOW_OWNER_ROLE=1) can: the owner can also drop triggers.
CREATE OR REPLACE FUNCTION cnnt_state_change_allowed(rid integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('cnnt.state_change', true), '') = rid::text
     AND current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.rounds'::regclass)
$$;--> statement-breakpoint

-- Finalisation locks look at the OLD and the NEW row: moving an entry or a sheet out of (or into) a
-- finalised round is refused as well.
CREATE OR REPLACE FUNCTION refuse_if_round_finalised() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  rids integer[] := '{}';
  rid integer;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF TG_TABLE_NAME = 'scores' THEN
      rids := rids || (SELECT round_id FROM score_sheets WHERE id = OLD.sheet_id);
    ELSE
      rids := rids || (to_jsonb(OLD) ->> 'round_id')::integer;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    IF TG_TABLE_NAME = 'scores' THEN
      rids := rids || (SELECT round_id FROM score_sheets WHERE id = NEW.sheet_id);
    ELSE
      rids := rids || (to_jsonb(NEW) ->> 'round_id')::integer;
    END IF;
  END IF;
  FOREACH rid IN ARRAY rids LOOP
    IF rid IS NOT NULL AND (SELECT finalised_at FROM rounds WHERE id = rid) IS NOT NULL
       AND NOT cnnt_state_change_allowed(rid) THEN
      RAISE EXCEPTION 'round % is finalised', rid USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
    END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION entries_finalised_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND (SELECT finalised_at FROM rounds WHERE id = OLD.round_id) IS NOT NULL
     AND NOT cnnt_state_change_allowed(OLD.round_id) THEN
    RAISE EXCEPTION 'round % is finalised', OLD.round_id USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND (SELECT finalised_at FROM rounds WHERE id = NEW.round_id) IS NOT NULL
     AND NOT cnnt_state_change_allowed(NEW.round_id) THEN
    RAISE EXCEPTION 'round % is finalised', NEW.round_id USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER sheet_decisions_finalised_lock BEFORE INSERT OR UPDATE OR DELETE ON sheet_decisions
  FOR EACH ROW EXECUTE FUNCTION refuse_if_round_finalised();--> statement-breakpoint

-- TRUNCATE fires no row trigger: refuse it per statement on every table the result depends on.
CREATE OR REPLACE FUNCTION refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'TRUNCATE % is refused', TG_TABLE_NAME USING ERRCODE = 'P0001', HINT = 'cnnt:no_truncate';
END $$;--> statement-breakpoint
CREATE TRIGGER scores_no_truncate BEFORE TRUNCATE ON scores FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER score_sheets_no_truncate BEFORE TRUNCATE ON score_sheets FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER assignments_no_truncate BEFORE TRUNCATE ON assignments FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER tie_resolutions_no_truncate BEFORE TRUNCATE ON tie_resolutions FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER rubric_criteria_no_truncate BEFORE TRUNCATE ON rubric_criteria FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER certificates_no_truncate BEFORE TRUNCATE ON certificates FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER sheet_decisions_no_truncate BEFORE TRUNCATE ON sheet_decisions FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER conflicts_no_truncate BEFORE TRUNCATE ON conflicts FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER rounds_no_truncate BEFORE TRUNCATE ON rounds FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint

-- A submitted sheet never returns to draft (except through the audited reopening), never changes its
-- total, comment, entry, juror or round; a submitted sheet's total is the sum of its scores.
CREATE OR REPLACE FUNCTION score_sheets_submitted_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  sum_points numeric;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'submitted' THEN
    IF NEW.status <> 'submitted' AND NOT cnnt_state_change_allowed(OLD.round_id) THEN
      RAISE EXCEPTION 'sheet % is submitted', OLD.id USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_submitted';
    END IF;
    IF NEW.status = 'submitted' AND (NEW.total IS DISTINCT FROM OLD.total OR NEW.comment IS DISTINCT FROM OLD.comment
        OR NEW.entry_id IS DISTINCT FROM OLD.entry_id OR NEW.juror_id IS DISTINCT FROM OLD.juror_id
        OR NEW.round_id IS DISTINCT FROM OLD.round_id OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at) THEN
      RAISE EXCEPTION 'sheet % is submitted', OLD.id USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_submitted';
    END IF;
  END IF;
  IF NEW.status = 'submitted' AND (TG_OP = 'INSERT' OR OLD.status <> 'submitted') THEN
    SELECT coalesce(sum(points), 0) INTO sum_points FROM scores WHERE sheet_id = NEW.id;
    IF sum_points <> NEW.total THEN
      RAISE EXCEPTION 'sheet % total % is not the sum of its scores %', NEW.id, NEW.total, sum_points
        USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_total';
    END IF;
  END IF;
  -- The counted flag only moves with a decision row of the same transaction (decideSheet).
  IF TG_OP = 'UPDATE' AND NEW.counted IS DISTINCT FROM OLD.counted AND NOT EXISTS (
      SELECT 1 FROM sheet_decisions d WHERE d.sheet_id = NEW.id AND d.status = 'applied'
        AND d.decided_at = now() AND d.proposal = CASE WHEN NEW.counted THEN 'include' ELSE 'exclude' END) THEN
    RAISE EXCEPTION 'sheet % counted changes only by a decision', OLD.id USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_counted';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
DROP TRIGGER IF EXISTS score_sheets_submitted_lock ON score_sheets;--> statement-breakpoint
CREATE TRIGGER score_sheets_submitted_lock BEFORE INSERT OR UPDATE ON score_sheets
  FOR EACH ROW EXECUTE FUNCTION score_sheets_submitted_lock();--> statement-breakpoint
-- Scores of a submitted sheet: checked on the OLD and the NEW sheet (moving a score between sheets).
CREATE OR REPLACE FUNCTION scores_submitted_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND (SELECT status FROM score_sheets WHERE id = OLD.sheet_id) = 'submitted' THEN
    RAISE EXCEPTION 'sheet % is submitted', OLD.sheet_id USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_submitted';
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND (SELECT status FROM score_sheets WHERE id = NEW.sheet_id) = 'submitted' THEN
    RAISE EXCEPTION 'sheet % is submitted', NEW.sheet_id USING ERRCODE = 'P0001', HINT = 'cnnt:sheet_submitted';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint

-- An issued certificate says what it said: subject, serial, code, kind, entry/recipient, issuer and
-- decision never change; only revocation and the stored PDF are recorded later. Never deleted.
CREATE OR REPLACE FUNCTION certificates_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'certificate % cannot be deleted', OLD.serial USING ERRCODE = 'P0001', HINT = 'cnnt:certificate_immutable';
  END IF;
  IF NEW.subject IS DISTINCT FROM OLD.subject OR NEW.subject_name IS DISTINCT FROM OLD.subject_name
     OR NEW.serial IS DISTINCT FROM OLD.serial OR NEW.code IS DISTINCT FROM OLD.code OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.entry_id IS DISTINCT FROM OLD.entry_id OR NEW.recipient_id IS DISTINCT FROM OLD.recipient_id
     OR NEW.round_id IS DISTINCT FROM OLD.round_id OR NEW.issuer IS DISTINCT FROM OLD.issuer
     OR NEW.decision_no IS DISTINCT FROM OLD.decision_no OR NEW.decision_date IS DISTINCT FROM OLD.decision_date
     OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.valid_until IS DISTINCT FROM OLD.valid_until THEN
    RAISE EXCEPTION 'certificate % is issued', OLD.serial USING ERRCODE = 'P0001', HINT = 'cnnt:certificate_immutable';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER certificates_immutable BEFORE UPDATE OR DELETE ON certificates
  FOR EACH ROW EXECUTE FUNCTION certificates_immutable();--> statement-breakpoint

-- rounds: once finalised, the finalisation state (finalised_at, final_hash, pass mark, quota, conflict
-- rule, scoring status) changes only through cnnt_reopen_round. Publication (deliberation → published,
-- published_at), the decision fields while in deliberation, archiving and the public version may move.
CREATE OR REPLACE FUNCTION rounds_finalisation_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.finalised_at IS NOT NULL OR EXISTS (SELECT 1 FROM score_sheets WHERE round_id = OLD.id) THEN
      RAISE EXCEPTION 'round % has a result', OLD.id USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.finalised_at IS NULL THEN
    IF NEW.finalised_at IS NOT NULL AND NEW.final_hash IS NULL THEN
      RAISE EXCEPTION 'round % finalised without a hash', OLD.id USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
    END IF;
    RETURN NEW;
  END IF;
  IF cnnt_state_change_allowed(OLD.id) THEN RETURN NEW; END IF;
  IF NEW.finalised_at IS DISTINCT FROM OLD.finalised_at OR NEW.final_hash IS DISTINCT FROM OLD.final_hash
     OR NEW.pass_mark IS DISTINCT FROM OLD.pass_mark OR NEW.quota IS DISTINCT FROM OLD.quota
     OR NEW.conflict_same_province IS DISTINCT FROM OLD.conflict_same_province
     OR NEW.scoring_closes_at IS DISTINCT FROM OLD.scoring_closes_at
     OR (NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'deliberation' AND NEW.status = 'published')
        OR (OLD.status = 'published' AND NEW.status = 'archived')))
     OR (NEW.published_at IS DISTINCT FROM OLD.published_at AND OLD.published_at IS NOT NULL)
     OR (OLD.status <> 'deliberation' AND (NEW.decision_no IS DISTINCT FROM OLD.decision_no
           OR NEW.decision_date IS DISTINCT FROM OLD.decision_date OR NEW.decision_signer IS DISTINCT FROM OLD.decision_signer)) THEN
    RAISE EXCEPTION 'round % is finalised', OLD.id USING ERRCODE = 'P0001', HINT = 'cnnt:round_finalised';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER rounds_finalisation_lock BEFORE UPDATE OR DELETE ON rounds
  FOR EACH ROW EXECUTE FUNCTION rounds_finalisation_lock();--> statement-breakpoint

-- The only way back from a finalised round: clears the lock, returns entries to eligible, optionally
-- returns chosen sheets to draft, and writes the audit event — one transaction, as the owner.
CREATE OR REPLACE FUNCTION cnnt_reopen_round(p_round integer, p_actor text, p_reason text, p_sheet_ids integer[])
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  r rounds%ROWTYPE;
  target text;
BEGIN
  IF p_reason IS NULL OR length(btrim(p_reason)) < 10 THEN
    RAISE EXCEPTION 'a reason is required' USING ERRCODE = 'P0001', HINT = 'cnnt:reopen_reason';
  END IF;
  SELECT * INTO r FROM rounds WHERE id = p_round FOR UPDATE;
  IF NOT FOUND OR r.finalised_at IS NULL THEN
    RAISE EXCEPTION 'round % is not finalised', p_round USING ERRCODE = 'P0001', HINT = 'cnnt:not_finalised';
  END IF;
  target := CASE WHEN coalesce(array_length(p_sheet_ids, 1), 0) > 0 THEN 'scoring' ELSE 'deliberation' END;
  PERFORM set_config('cnnt.state_change', p_round::text, true);
  UPDATE rounds SET finalised_at = NULL, final_hash = NULL, status = target, published_at = NULL,
         public_version = public_version + CASE WHEN r.status = 'published' THEN 1 ELSE 0 END, updated_at = now()
   WHERE id = p_round;
  UPDATE entries SET status = 'eligible', mean_score = NULL, rank = NULL, updated_at = now()
   WHERE round_id = p_round AND status IN ('selected', 'not_selected');
  IF coalesce(array_length(p_sheet_ids, 1), 0) > 0 THEN
    UPDATE score_sheets SET status = 'draft', submitted_at = NULL, updated_at = now()
     WHERE round_id = p_round AND id = ANY (p_sheet_ids);
  END IF;
  INSERT INTO audit_events (actor_id, action, entity, entity_id, round_id, before, after)
  VALUES (p_actor, 'round.reopen', 'round', p_round::text, p_round,
          jsonb_build_object('status', r.status, 'finalHash', r.final_hash),
          jsonb_build_object('status', target, 'reason', btrim(p_reason), 'sheetIds', to_jsonb(coalesce(p_sheet_ids, '{}'))));
  PERFORM set_config('cnnt.state_change', '', true);
  RETURN target;
END $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION cnnt_reopen_round(integer, text, text, integer[]) FROM PUBLIC;
