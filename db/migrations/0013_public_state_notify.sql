-- Issue 18, item 1: the public-state version each server process holds in memory is changed by the
-- database. Every statement that changes a table feeding the public pages (publication, reopening,
-- certificates and their revocation, commendations, approved programme figures) notifies the
-- channel `cnnt_public_state`; every process LISTENs and re-reads the public fingerprint
-- (app/utils/public-state.server.ts). A notification is delivered at commit, never for a rollback.
CREATE OR REPLACE FUNCTION cnnt_notify_public_state() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cnnt_public_state', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER rounds_public_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rounds
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_public_state();
--> statement-breakpoint
CREATE TRIGGER certificates_public_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON certificates
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_public_state();
--> statement-breakpoint
CREATE TRIGGER commendation_decisions_public_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON commendation_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_public_state();
--> statement-breakpoint
CREATE TRIGGER commendation_recipients_public_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON commendation_recipients
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_public_state();
--> statement-breakpoint
CREATE TRIGGER programme_figures_public_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programme_figures
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_public_state();
--> statement-breakpoint
CREATE TRIGGER programme_indicators_public_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programme_indicators
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_public_state();
