-- Wider than 20261206120000_ledger_changed_notify: any change to an account row, and any change to its plan
-- assignments or identities, announces the account on ledger_changed, also from a write that forgets to move
-- the ledger version (a manual fix in psql, a future code path). Processes that keep accounts in memory
-- (src/credits/credit-service.ts) drop them when told. NOTIFY dedups a repeated payload within a transaction.
CREATE OR REPLACE FUNCTION "notify_account_changed"() RETURNS trigger AS $$
DECLARE
  changed text;
BEGIN
  IF TG_TABLE_NAME = 'account' THEN
    changed := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
  ELSE
    changed := CASE WHEN TG_OP = 'DELETE' THEN OLD.account_id ELSE NEW.account_id END;
  END IF;
  PERFORM pg_notify('ledger_changed', changed);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS "account_ledger_changed" ON "account";
DROP TRIGGER IF EXISTS "account_created_or_deleted" ON "account";
DROP FUNCTION IF EXISTS "notify_ledger_changed"();

CREATE TRIGGER "account_changed"
  AFTER UPDATE ON "account"
  FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION "notify_account_changed"();

CREATE TRIGGER "account_created_or_deleted"
  AFTER INSERT OR DELETE ON "account"
  FOR EACH ROW
  EXECUTE FUNCTION "notify_account_changed"();

CREATE TRIGGER "plan_assignment_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "plan_assignment"
  FOR EACH ROW
  EXECUTE FUNCTION "notify_account_changed"();

CREATE TRIGGER "identity_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "identity"
  FOR EACH ROW
  EXECUTE FUNCTION "notify_account_changed"();
