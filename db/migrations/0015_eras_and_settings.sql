-- Issue 15, items 6 and 7. Per-round settings for rules the regulation does not confirm (today's value
-- as default); the regime each product certificate's validity came from; commendation recipients and
-- programme figures may name a province of either era (checked against the era of their date by the
-- models; here only that the code exists in one of the two lists).
ALTER TABLE "rounds" ADD COLUMN "score_step" numeric(5, 2) DEFAULT '0.5' NOT NULL;
--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "disagreement_spread" numeric(5, 2) DEFAULT '20' NOT NULL;
--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "conflict_same_product" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_score_step_chk" CHECK ("rounds"."score_step" in (0.5, 1));
--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_disagreement_spread_chk" CHECK ("rounds"."disagreement_spread" > 0 and "rounds"."disagreement_spread" <= 100);
--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "validity_rule" text;
--> statement-breakpoint
-- Product certificates issued before this migration followed the one rule there was (31/12 of the
-- fourth year); name the regime of their decision date so the page says which rule that was.
UPDATE "certificates" SET "validity_rule" = CASE
    WHEN "decision_date" >= DATE '2025-07-01' THEN 'TT38_2025'
    WHEN "decision_date" >= DATE '2018-08-16' THEN 'TT14_2018'
    ELSE 'TT26_2014' END
  WHERE "kind" = 'product' AND "valid_until" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "commendation_recipients" DROP CONSTRAINT "commendation_recipients_province_code_provinces_code_fk";
--> statement-breakpoint
ALTER TABLE "programme_figures" DROP CONSTRAINT "programme_figures_province_code_provinces_code_fk";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cnnt_province_code_known() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.province_code IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM provinces WHERE code = NEW.province_code)
     AND NOT EXISTS (SELECT 1 FROM provinces_2025 WHERE code = NEW.province_code) THEN
    RAISE EXCEPTION 'unknown province code %', NEW.province_code USING HINT = 'cnnt:province_unknown';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER commendation_recipients_province_known BEFORE INSERT OR UPDATE OF province_code ON commendation_recipients
  FOR EACH ROW EXECUTE FUNCTION cnnt_province_code_known();
--> statement-breakpoint
CREATE TRIGGER programme_figures_province_known BEFORE INSERT OR UPDATE OF province_code ON programme_figures
  FOR EACH ROW EXECUTE FUNCTION cnnt_province_code_known();
