-- Issue 19: the people's-choice vote (bình chọn của công chúng). Advisory: nothing here touches a
-- score, a sheet or an entry. One poll per round over an explicit set of entries; voters prove an
-- e-mail address by a one-time link; a vote row keeps only hashed client addresses; bursts are
-- flagged in groups the organiser keeps or excludes with a reason; the final counts are frozen with
-- a SHA-256 like the jury's results.
CREATE TABLE IF NOT EXISTS "vote_polls" (
  "round_id" integer PRIMARY KEY NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "basis" text NOT NULL,
  "opens_at" timestamp with time zone NOT NULL,
  "closes_at" timestamp with time zone NOT NULL,
  "max_total" smallint DEFAULT 5 NOT NULL,
  "max_per_entry" smallint DEFAULT 1 NOT NULL,
  "max_per_day" smallint,
  "show_live" boolean DEFAULT true NOT NULL,
  "frozen_at" timestamp with time zone,
  "final_totals" jsonb,
  "final_hash" text,
  "created_by" text REFERENCES "users"("id"),
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "vote_polls_basis_chk" CHECK ("basis" in ('eligible','selected')),
  CONSTRAINT "vote_polls_window_chk" CHECK ("opens_at" < "closes_at"),
  CONSTRAINT "vote_polls_limits_chk" CHECK ("max_total" between 1 and 100 and "max_per_entry" between 1 and 10
    and ("max_per_day" is null or "max_per_day" between 1 and 100))
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "vote_candidates" (
  "round_id" integer NOT NULL REFERENCES "vote_polls"("round_id") ON DELETE CASCADE,
  "entry_id" integer NOT NULL REFERENCES "entries"("id"),
  CONSTRAINT "vote_candidates_pk" PRIMARY KEY ("round_id", "entry_id")
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "voters" (
  "id" serial PRIMARY KEY NOT NULL,
  "email" text NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "verified_at" timestamp with time zone
);--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "voters_email_uq" ON "voters" (lower("email"));--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "voter_tokens" (
  "id" serial PRIMARY KEY NOT NULL,
  "voter_id" integer NOT NULL REFERENCES "voters"("id") ON DELETE CASCADE,
  "round_id" integer NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "purpose" text NOT NULL,
  "token_hash" text NOT NULL UNIQUE,
  "entry_ids" jsonb,
  "expires_at" timestamp with time zone NOT NULL,
  "used_at" timestamp with time zone,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "voter_tokens_purpose_chk" CHECK ("purpose" in ('sign_in','ballot'))
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "vote_flags" (
  "id" serial PRIMARY KEY NOT NULL,
  "round_id" integer NOT NULL REFERENCES "vote_polls"("round_id") ON DELETE CASCADE,
  "entry_id" integer NOT NULL REFERENCES "entries"("id"),
  "kind" text NOT NULL,
  "prefix_hash" text,
  "first_at" timestamp with time zone NOT NULL,
  "last_at" timestamp with time zone NOT NULL,
  "status" text DEFAULT 'pending' NOT NULL,
  "reason" text,
  "decided_by" text REFERENCES "users"("id"),
  "decided_at" timestamp with time zone,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "vote_flags_kind_chk" CHECK ("kind" in ('prefix','fresh')),
  CONSTRAINT "vote_flags_status_chk" CHECK ("status" in ('pending','kept','excluded')),
  CONSTRAINT "vote_flags_reason_chk" CHECK ("status" = 'pending' or length(trim("reason")) >= 5)
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "votes" (
  "id" bigserial PRIMARY KEY NOT NULL,
  "round_id" integer NOT NULL REFERENCES "vote_polls"("round_id") ON DELETE CASCADE,
  "entry_id" integer NOT NULL REFERENCES "entries"("id"),
  "voter_id" integer NOT NULL REFERENCES "voters"("id"),
  "slot" smallint DEFAULT 1 NOT NULL,
  "cast_at" timestamp with time zone DEFAULT now() NOT NULL,
  "client_hash" text NOT NULL,
  "prefix_hash" text NOT NULL,
  "user_agent" text,
  "withdrawn_at" timestamp with time zone,
  "flag_id" integer REFERENCES "vote_flags"("id")
);--> statement-breakpoint
-- Two tabs voting at once: the second insert of the same slot fails here, whatever the application did.
CREATE UNIQUE INDEX IF NOT EXISTS "votes_voter_slot_uq" ON "votes" ("round_id", "voter_id", "entry_id", "slot") WHERE "withdrawn_at" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "votes_round_entry_idx" ON "votes" ("round_id", "entry_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "votes_round_cast_idx" ON "votes" ("round_id", "cast_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "votes_voter_idx" ON "votes" ("voter_id", "round_id");--> statement-breakpoint
-- Frozen counts cannot move: no vote is cast, withdrawn or re-flagged once the poll is frozen.
CREATE OR REPLACE FUNCTION cnnt_vote_frozen_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE rid integer;
BEGIN
  rid := CASE WHEN TG_OP = 'DELETE' THEN OLD.round_id ELSE NEW.round_id END;
  IF EXISTS (SELECT 1 FROM vote_polls WHERE round_id = rid AND frozen_at IS NOT NULL) THEN
    RAISE EXCEPTION 'the people''s-choice vote of round % is frozen', rid USING HINT = 'cnnt:vote_frozen';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;--> statement-breakpoint
CREATE TRIGGER votes_frozen BEFORE INSERT OR UPDATE OR DELETE ON votes
  FOR EACH ROW EXECUTE FUNCTION cnnt_vote_frozen_guard();--> statement-breakpoint
CREATE TRIGGER vote_flags_frozen BEFORE INSERT OR UPDATE OR DELETE ON vote_flags
  FOR EACH ROW EXECUTE FUNCTION cnnt_vote_frozen_guard();--> statement-breakpoint
CREATE TRIGGER vote_polls_public_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON vote_polls
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_public_state();
