-- Issue 19, item 1 of "The public takes part": the people's-choice award ("Sản phẩm được công chúng yêu
-- thích") may get a certificate of its own kind, issued by the organiser for a most-voted product of a
-- frozen vote. It is advisory, not a recognition: no decision number or date, no validity period. It
-- names its entry in its own column (favourite_entry_id, a candidate of the round's vote), so every
-- query that reads a product certificate by entry_id keeps reading exactly one.
ALTER TABLE "certificates" ADD COLUMN "favourite_entry_id" integer;
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_favourite_candidate_fk"
  FOREIGN KEY ("round_id", "favourite_entry_id") REFERENCES "vote_candidates"("round_id", "entry_id");
--> statement-breakpoint
-- One favourite certificate per vote and entry (issuing twice is refused here, whatever the application did).
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_favourite_uq" UNIQUE ("round_id", "favourite_entry_id");
--> statement-breakpoint
ALTER TABLE "certificates" ALTER COLUMN "decision_no" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "certificates" ALTER COLUMN "decision_date" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "certificates" DROP CONSTRAINT "certificates_kind_chk";
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_kind_chk" CHECK ("kind" in ('product','merit','favourite'));
--> statement-breakpoint
ALTER TABLE "certificates" DROP CONSTRAINT "certificates_subject_chk";
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_subject_chk" CHECK (
  ("kind" = 'product' and "entry_id" is not null) or ("kind" = 'merit' and "recipient_id" is not null)
  or ("kind" = 'favourite' and "round_id" is not null and "favourite_entry_id" is not null and "entry_id" is null and "recipient_id" is null));
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_favourite_entry_chk" CHECK (("favourite_entry_id" is not null) = ("kind" = 'favourite'));
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_favourite_chk" CHECK ("kind" <> 'favourite'
  or ("decision_no" is null and "decision_date" is null and "valid_until" is null and "validity_rule" is null));
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_decision_chk" CHECK ("kind" = 'favourite' or ("decision_no" is not null and "decision_date" is not null));
--> statement-breakpoint
-- Only a most-voted product of a frozen vote gets one (ties: every tied product): read from the frozen
-- counts (vote_polls.final_totals), the same the public page and the API show. The application
-- decides the same with awardWinners (app/models/vote/rules.ts); this is the door for direct SQL.
CREATE OR REPLACE FUNCTION cnnt_favourite_award_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  frozen timestamptz;
  doc jsonb;
  top integer;
  mine integer;
BEGIN
  SELECT frozen_at, final_totals INTO frozen, doc FROM vote_polls WHERE round_id = NEW.round_id;
  IF frozen IS NULL THEN
    RAISE EXCEPTION 'the people''s-choice vote of round % is not frozen', NEW.round_id
      USING ERRCODE = 'P0001', HINT = 'cnnt:favourite_award';
  END IF;
  SELECT max((t->>'votes')::integer) INTO top FROM jsonb_array_elements(doc->'totals') t;
  SELECT (t->>'votes')::integer INTO mine
    FROM jsonb_array_elements(doc->'totals') t
    JOIN entries e ON e.code = t->>'entryCode' AND e.round_id = NEW.round_id
    WHERE e.id = NEW.favourite_entry_id;
  IF coalesce(top, 0) = 0 OR mine IS DISTINCT FROM top THEN
    RAISE EXCEPTION 'entry % is not a most-voted product of the vote of round %', NEW.favourite_entry_id, NEW.round_id
      USING ERRCODE = 'P0001', HINT = 'cnnt:favourite_award';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER certificates_favourite_award BEFORE INSERT ON certificates
  FOR EACH ROW WHEN (NEW.kind = 'favourite') EXECUTE FUNCTION cnnt_favourite_award_guard();
--> statement-breakpoint
-- The entry a favourite certificate names is part of what it says, like the others' entry and recipient
-- (an update that would move it to another product is refused as for the other columns).
CREATE OR REPLACE FUNCTION certificates_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'certificate % cannot be deleted', OLD.serial USING ERRCODE = 'P0001', HINT = 'cnnt:certificate_immutable';
  END IF;
  IF NEW.subject IS DISTINCT FROM OLD.subject OR NEW.subject_name IS DISTINCT FROM OLD.subject_name
     OR NEW.serial IS DISTINCT FROM OLD.serial OR NEW.code IS DISTINCT FROM OLD.code OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.entry_id IS DISTINCT FROM OLD.entry_id OR NEW.recipient_id IS DISTINCT FROM OLD.recipient_id
     OR NEW.favourite_entry_id IS DISTINCT FROM OLD.favourite_entry_id
     OR NEW.round_id IS DISTINCT FROM OLD.round_id OR NEW.issuer IS DISTINCT FROM OLD.issuer
     OR NEW.decision_no IS DISTINCT FROM OLD.decision_no OR NEW.decision_date IS DISTINCT FROM OLD.decision_date
     OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.valid_until IS DISTINCT FROM OLD.valid_until
     OR NEW.gold_book_no IS DISTINCT FROM OLD.gold_book_no THEN
    RAISE EXCEPTION 'certificate % is issued', OLD.serial USING ERRCODE = 'P0001', HINT = 'cnnt:certificate_immutable';
  END IF;
  RETURN NEW;
END $$;
