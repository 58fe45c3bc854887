-- Issue 14: two bodies per round (the jury that scores = council_members; the council that votes =
-- council_seats), their founding decisions, council sessions and votes, provisional results with a
-- complaint window, complaints and their resolution, and the authority's decision details.
CREATE TABLE IF NOT EXISTS "round_bodies" (
  "round_id" integer NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "kind" text NOT NULL,
  "decision_no" text NOT NULL,
  "decision_date" date NOT NULL,
  "decision_signer" text NOT NULL,
  "pdf_id" text,
  "pdf_name" text,
  "pdf_sha256" text,
  "pdf_size" integer,
  "recorded_by" text REFERENCES "users"("id"),
  "recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "round_bodies_pk" PRIMARY KEY ("round_id", "kind"),
  CONSTRAINT "round_bodies_kind_chk" CHECK ("kind" in ('jury','council'))
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "council_seats" (
  "round_id" integer NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "user_id" text NOT NULL REFERENCES "users"("id"),
  "role" text NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "council_seats_pk" PRIMARY KEY ("round_id", "user_id"),
  CONSTRAINT "council_seats_role_chk" CHECK ("role" in ('chair','vice_chair','member','secretary'))
);--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "council_seats_one_chair" ON "council_seats" ("round_id") WHERE "role" = 'chair';--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "round_process" (
  "round_id" integer PRIMARY KEY NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "quorum_pct" smallint DEFAULT 50 NOT NULL,
  "vote_pct" smallint DEFAULT 50 NOT NULL,
  "complaint_days" smallint DEFAULT 10 NOT NULL,
  "provisional_published_at" timestamp with time zone,
  "complaints_close_at" timestamp with time zone,
  "provisional_session_id" integer,
  "decision_signer_name" text,
  "decision_note" text,
  CONSTRAINT "round_process_pct_chk" CHECK ("quorum_pct" between 0 and 99 and "vote_pct" between 0 and 99),
  CONSTRAINT "round_process_days_chk" CHECK ("complaint_days" between 1 and 90),
  CONSTRAINT "round_process_window_chk" CHECK (("provisional_published_at" is null) = ("complaints_close_at" is null))
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "council_sessions" (
  "id" serial PRIMARY KEY NOT NULL,
  "round_id" integer NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "seq" smallint NOT NULL,
  "held_on" date NOT NULL,
  "place" text NOT NULL,
  "present_user_ids" text[] NOT NULL,
  "members_total" integer NOT NULL,
  "purpose" text,
  "opened_by" text REFERENCES "users"("id"),
  "opened_at" timestamp with time zone DEFAULT now() NOT NULL,
  "closed_by" text REFERENCES "users"("id"),
  "closed_at" timestamp with time zone,
  CONSTRAINT "council_sessions_seq" UNIQUE ("round_id", "seq")
);--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "council_sessions_one_open" ON "council_sessions" ("round_id") WHERE "closed_at" is null;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "council_votes" (
  "session_id" integer NOT NULL REFERENCES "council_sessions"("id") ON DELETE CASCADE,
  "entry_id" integer NOT NULL REFERENCES "entries"("id"),
  "mode" text NOT NULL,
  "yes" integer NOT NULL,
  "no" integer NOT NULL,
  "approved" boolean NOT NULL,
  "reason" text,
  "member_votes" jsonb,
  "recorded_by" text REFERENCES "users"("id"),
  "recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "council_votes_pk" PRIMARY KEY ("session_id", "entry_id"),
  CONSTRAINT "council_votes_mode_chk" CHECK ("mode" in ('members','counts')),
  CONSTRAINT "council_votes_counts_chk" CHECK ("yes" >= 0 and "no" >= 0)
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "complaints" (
  "id" serial PRIMARY KEY NOT NULL,
  "round_id" integer NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "code" text NOT NULL UNIQUE,
  "entry_id" integer REFERENCES "entries"("id"),
  "body" text NOT NULL,
  "pdf_id" text,
  "pdf_name" text,
  "pdf_sha256" text,
  "pdf_size" integer,
  "user_id" text REFERENCES "users"("id"),
  "email" text,
  "filed_at" timestamp with time zone DEFAULT now() NOT NULL,
  "status" text DEFAULT 'open' NOT NULL,
  "resolution" text,
  "follow_up" text,
  "resolved_by" text REFERENCES "users"("id"),
  "resolved_at" timestamp with time zone,
  CONSTRAINT "complaints_status_chk" CHECK ("status" in ('open','accepted','rejected')),
  CONSTRAINT "complaints_follow_up_chk" CHECK ("follow_up" is null or "follow_up" in ('none','rescreen','new_session')),
  CONSTRAINT "complaints_resolved_chk" CHECK (("status" = 'open') = ("resolved_at" is null)),
  CONSTRAINT "complaints_who_chk" CHECK ("user_id" is not null or "email" is not null)
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "complaints_round_idx" ON "complaints" ("round_id");--> statement-breakpoint
-- Existing rounds: the council that votes starts as the jury's people in their roles (the jury chair
-- chairs the council, the secretary stays secretary), so old rounds keep one body in two roles.
INSERT INTO "council_seats" ("round_id", "user_id", "role", "created_at")
SELECT cm."round_id", cm."user_id", cm."role", cm."created_at" FROM "council_members" cm
ON CONFLICT DO NOTHING;
