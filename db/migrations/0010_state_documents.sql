-- Issue 14 item 5 and the number rule of item 4: documents as the state writes them.

-- A decision number is unique for one issuer within one year (a 2019 "4286/QĐ-BCT" may follow the
-- 2016 one), not across all years.
ALTER TABLE "commendation_decisions" DROP CONSTRAINT IF EXISTS "commendation_decisions_number_unique";--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "commendation_decisions_number_year_uq"
  ON "commendation_decisions" (lower("authority"), (extract(year from "signed_on")), "number");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "rounds_decision_number_year_uq"
  ON "rounds" (lower("authority"), (extract(year from "decision_date")), "decision_no") WHERE "decision_no" IS NOT NULL;--> statement-breakpoint

-- The signing block of a product certificate: the capacity lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ
-- TỊCH", "PHÓ CHỦ TỊCH", one per line) and the signer's name; decision_signer stays the title.
ALTER TABLE "rounds" ADD COLUMN IF NOT EXISTS "decision_signer_name" text;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN IF NOT EXISTS "decision_signer_capacity" text;--> statement-breakpoint

-- "Ông" / "Bà" before an individual's name on the Bằng khen.
ALTER TABLE "commendation_recipients" ADD COLUMN IF NOT EXISTS "honorific" text;--> statement-breakpoint
ALTER TABLE "commendation_recipients" ADD CONSTRAINT "commendation_recipients_honorific_chk"
  CHECK ("honorific" IS NULL OR ("honorific" IN ('Ông','Bà') AND "kind" = 'individual'));--> statement-breakpoint

-- Số sổ vàng: the number of a Bằng khen in its issuer's golden book, counted per issuer and year.
ALTER TABLE "certificates" ADD COLUMN IF NOT EXISTS "gold_book_no" integer;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_gold_book_chk"
  CHECK ("gold_book_no" IS NULL OR ("kind" = 'merit' AND "gold_book_no" > 0));--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "certificates_gold_book_uq"
  ON "certificates" (lower("issuer"), (extract(year from "decision_date")), "gold_book_no") WHERE "gold_book_no" IS NOT NULL;--> statement-breakpoint
-- Bằng khen issued before this migration get their numbers in serial order, and the counters continue.
UPDATE "certificates" c SET "gold_book_no" = n.no
  FROM (SELECT id, row_number() OVER (PARTITION BY lower(issuer), extract(year from decision_date) ORDER BY serial, id) AS no
          FROM "certificates" WHERE kind = 'merit') n
 WHERE c.id = n.id AND c.gold_book_no IS NULL;--> statement-breakpoint
INSERT INTO "serial_counters" (prefix, last)
  SELECT 'SV|' || lower(issuer) || '|' || extract(year from decision_date)::int, max(gold_book_no)
    FROM "certificates" WHERE gold_book_no IS NOT NULL GROUP BY lower(issuer), extract(year from decision_date)
  ON CONFLICT (prefix) DO UPDATE SET last = greatest(serial_counters.last, excluded.last);--> statement-breakpoint

-- The golden-book number is part of what an issued certificate says.
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
     OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.valid_until IS DISTINCT FROM OLD.valid_until
     OR NEW.gold_book_no IS DISTINCT FROM OLD.gold_book_no THEN
    RAISE EXCEPTION 'certificate % is issued', OLD.serial USING ERRCODE = 'P0001', HINT = 'cnnt:certificate_immutable';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint

-- The emblem an issuer prints at the top of its Bằng khen (uploaded by a ministry officer; a PNG
-- made from the checked upload, stored under uploads/emblems/).
CREATE TABLE IF NOT EXISTS "issuer_emblems" (
  "authority" text PRIMARY KEY NOT NULL,
  "storage_key" text NOT NULL,
  "sha256" text NOT NULL,
  "width" integer NOT NULL,
  "height" integer NOT NULL,
  "original_name" text NOT NULL,
  "uploaded_by" text REFERENCES "users"("id"),
  "uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
