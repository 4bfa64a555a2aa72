-- Every change to an account's ledger moves its ledger_version (usage batches, grants, plan changes, account and
-- identity updates). An account appears or goes away by INSERT or DELETE. Tell every process at commit, so each
-- can keep the account in memory until it changes instead of reading it on every chat turn
-- (src/infra/pg-listen.ts, src/infra/db.ts `subscribe`, src/credits/credit-service.ts).
CREATE OR REPLACE FUNCTION "notify_ledger_changed"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('ledger_changed', OLD.id);
  ELSE
    PERFORM pg_notify('ledger_changed', NEW.id);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "account_ledger_changed"
  AFTER UPDATE OF "ledger_version" ON "account"
  FOR EACH ROW
  WHEN (OLD."ledger_version" IS DISTINCT FROM NEW."ledger_version")
  EXECUTE FUNCTION "notify_ledger_changed"();

CREATE TRIGGER "account_created_or_deleted"
  AFTER INSERT OR DELETE ON "account"
  FOR EACH ROW
  EXECUTE FUNCTION "notify_ledger_changed"();
