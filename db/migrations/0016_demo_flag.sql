-- Issue 15 §8: flags about the installation itself. `demo_data` is set by the demo seed
-- (scripts/seed/demo.ts) before it loads anything; while it is set every page carries the
-- "Dữ liệu minh họa" notice. The flag is part of the public state (its fingerprint and the
-- NOTIFY below), so a cached public page never outlives a change of it.
CREATE TABLE "app_flags" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER app_flags_public_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON app_flags
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_public_state();
