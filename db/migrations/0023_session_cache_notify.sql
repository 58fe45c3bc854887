-- Issue 18, item 5: each server process keeps the signed-in user of a session (account, roles and
-- the header's badges, read in one statement by app/utils/auth.server.ts) in memory for GETs, and
-- the database says when that copy is no longer true. Every change of a session, an account, a
-- role or a notification notifies the channel `cnnt_sessions` with the user's id; a change of an
-- invitation (addressed by e-mail, not by user) or a TRUNCATE notifies '*' (everyone). Each process
-- LISTENs and drops the user's entries (app/utils/session-cache.server.ts). A notification is
-- delivered at commit, never for a rollback; identical ones of one transaction arrive once.
CREATE OR REPLACE FUNCTION cnnt_notify_session_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('cnnt_sessions', '*');
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('cnnt_sessions', OLD.id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('cnnt_sessions', OLD.user_id);
  ELSE
    PERFORM pg_notify('cnnt_sessions', NEW.user_id);
    IF TG_OP = 'UPDATE' AND NEW.user_id IS DISTINCT FROM OLD.user_id THEN
      PERFORM pg_notify('cnnt_sessions', OLD.user_id);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A new session is not in anyone's memory yet: its insertion says nothing.
CREATE TRIGGER sessions_session_user AFTER UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION cnnt_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER users_session_user AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION cnnt_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER user_roles_session_user AFTER INSERT OR UPDATE OR DELETE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION cnnt_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER notifications_session_user AFTER INSERT OR UPDATE OR DELETE ON notifications
  FOR EACH ROW EXECUTE FUNCTION cnnt_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER invitations_session_user AFTER INSERT OR UPDATE OR DELETE ON invitations
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER sessions_session_user_truncate AFTER TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER users_session_user_truncate AFTER TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER user_roles_session_user_truncate AFTER TRUNCATE ON user_roles
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER notifications_session_user_truncate AFTER TRUNCATE ON notifications
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_session_user();
--> statement-breakpoint
CREATE TRIGGER invitations_session_user_truncate AFTER TRUNCATE ON invitations
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_session_user();
