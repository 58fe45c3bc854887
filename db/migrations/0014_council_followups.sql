-- Issue 14, finishing: (1) one home for the signer's name of a round's decision (rounds); (2) the
-- council's votes and closed sessions cannot change after the session closed or the round was
-- finalised; (3) complaints by an e-mail address without an account wait in complaint_requests
-- until the mailed link is followed; (4) the re-screening an accepted complaint asks for.

-- (1) round_process.decision_signer_name duplicated rounds.decision_signer_name: keep the rounds column.
UPDATE "rounds" r SET "decision_signer_name" = rp."decision_signer_name"
  FROM "round_process" rp
 WHERE rp."round_id" = r."id" AND r."decision_signer_name" IS NULL AND rp."decision_signer_name" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "round_process" DROP COLUMN IF EXISTS "decision_signer_name";--> statement-breakpoint

-- (2) Votes belong to their session: none is added, changed or removed once the session is closed or
-- the round is finalised (only the audited reopening passes, cnnt_state_change_allowed).
CREATE OR REPLACE FUNCTION council_votes_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  sids integer[] := '{}';
  sid integer;
  s record;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN sids := sids || OLD.session_id; END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN sids := sids || NEW.session_id; END IF;
  FOREACH sid IN ARRAY sids LOOP
    SELECT cs.round_id, cs.closed_at, r.finalised_at INTO s
      FROM council_sessions cs JOIN rounds r ON r.id = cs.round_id WHERE cs.id = sid;
    IF FOUND AND (s.closed_at IS NOT NULL OR s.finalised_at IS NOT NULL) AND NOT cnnt_state_change_allowed(s.round_id) THEN
      RAISE EXCEPTION 'council session % is closed', sid USING ERRCODE = 'P0001', HINT = 'cnnt:council_closed';
    END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER council_votes_lock BEFORE INSERT OR UPDATE OR DELETE ON council_votes
  FOR EACH ROW EXECUTE FUNCTION council_votes_lock();--> statement-breakpoint

-- A closed session (its date, place, attendance, closing) never changes and is never removed; no
-- session is opened, changed or removed in a finalised round.
CREATE OR REPLACE FUNCTION council_sessions_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  rid integer := CASE WHEN TG_OP = 'INSERT' THEN NEW.round_id ELSE OLD.round_id END;
BEGIN
  IF cnnt_state_change_allowed(rid) THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF (SELECT finalised_at FROM rounds WHERE id = rid) IS NOT NULL
     OR (TG_OP IN ('UPDATE', 'DELETE') AND OLD.closed_at IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND NEW.round_id IS DISTINCT FROM OLD.round_id) THEN
    RAISE EXCEPTION 'council session of round % is closed', rid USING ERRCODE = 'P0001', HINT = 'cnnt:council_closed';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER council_sessions_lock BEFORE INSERT OR UPDATE OR DELETE ON council_sessions
  FOR EACH ROW EXECUTE FUNCTION council_sessions_lock();--> statement-breakpoint
CREATE TRIGGER council_votes_no_truncate BEFORE TRUNCATE ON council_votes FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER council_sessions_no_truncate BEFORE TRUNCATE ON council_sessions FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint

-- (3) A complaint by e-mail, recorded only when the link is followed.
CREATE TABLE IF NOT EXISTS "complaint_requests" (
  "id" serial PRIMARY KEY NOT NULL,
  "round_id" integer NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "entry_id" integer REFERENCES "entries"("id"),
  "body" text NOT NULL,
  "pdf_id" text,
  "pdf_name" text,
  "pdf_sha256" text,
  "pdf_size" integer,
  "email" text NOT NULL,
  "client" text,
  "token_hash" text NOT NULL UNIQUE,
  "receipt_hash" text,
  "expires_at" timestamp with time zone NOT NULL,
  "used_at" timestamp with time zone,
  "complaint_id" integer REFERENCES "complaints"("id"),
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "complaint_requests_used_chk" CHECK (("complaint_id" IS NULL) OR ("used_at" IS NOT NULL))
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "complaint_requests_round_idx" ON "complaint_requests" ("round_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "complaint_requests_email_idx" ON "complaint_requests" ("email");--> statement-breakpoint

-- (4) The re-screening an accepted complaint asked for.
CREATE TABLE IF NOT EXISTS "complaint_rescreenings" (
  "complaint_id" integer PRIMARY KEY NOT NULL REFERENCES "complaints"("id") ON DELETE CASCADE,
  "entry_id" integer NOT NULL REFERENCES "entries"("id"),
  "outcome" text NOT NULL,
  "note" text NOT NULL,
  "decided_by" text REFERENCES "users"("id"),
  "decided_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "complaint_rescreenings_outcome_chk" CHECK ("outcome" in ('eligible','ineligible'))
);
