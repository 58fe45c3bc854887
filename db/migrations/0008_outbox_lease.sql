-- Issue 16: a claimed outbox row carries a lease. A deliverer that stops mid-send (crash, kill) leaves
-- its rows "sending" until the lease runs out; then any deliverer may take them again. No blanket
-- requeue at start, so a second app server never re-sends a row another one is sending.
ALTER TABLE "outbox" ADD COLUMN "claimed_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "outbox_claimed_idx" ON "outbox" USING btree ("status","claimed_until");--> statement-breakpoint
-- Rows a stopped process left "sending" before leases existed go back to the queue (what the start-up
-- requeue did until now).
UPDATE "outbox" SET "status" = 'queued' WHERE "status" = 'sending' AND "claimed_until" IS NULL;--> statement-breakpoint
-- Council invitations carry what the organiser chose for the member (product groups, home province),
-- so the page adds members only by invitation (no page reveals whether an address has an account).
ALTER TABLE "invitations" ADD COLUMN "group_nos" smallint[] DEFAULT '{}'::smallint[] NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "province_code" text;
