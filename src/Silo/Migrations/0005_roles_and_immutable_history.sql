-- 0005: least privilege for the services, and history that cannot be rewritten.
--
-- Two roles: the owner (runs these migrations, owns every table) and furnitureops_app (what silos and the
-- API connect as). Provisioning (run.sh, the test fixture, the Helm chart) creates the application role;
-- this script only grants it what the services need:
--   * ledgers and the audit log: SELECT and INSERT only — never UPDATE, DELETE or TRUNCATE;
--   * state rows: SELECT, INSERT, UPDATE (changed only through the version-guarded write path);
--   * idempotency records: also DELETE (expiry); outbox: INSERT (delivery, a later issue, adds its own grant);
--   * Orleans tables: what the providers need.
-- A trigger also refuses UPDATE, DELETE and TRUNCATE of history for every role, the owner included, unless
-- a migration deliberately sets furnitureops.rewriting_history = 'on' for its own transaction.
-- The migrator runs this script and its journal entry in one transaction.

DO $body$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'furnitureops_app') THEN
        RAISE EXCEPTION 'role furnitureops_app does not exist: create it (LOGIN, with a password) before migrating';
    END IF;
END
$body$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO furnitureops_app;

GRANT SELECT, INSERT ON inventory_ledger, loyalty_ledger, audit_log TO furnitureops_app;
GRANT SELECT, INSERT, UPDATE ON inventory_items, loyalty_players TO furnitureops_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_records TO furnitureops_app;
GRANT SELECT, INSERT ON outbox TO furnitureops_app;
GRANT SELECT ON orleansquery, schema_versions TO furnitureops_app;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON orleans_membership_version, orleans_membership, orleans_storage, orleans_reminders TO furnitureops_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO furnitureops_app;

CREATE FUNCTION history_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF coalesce(current_setting('furnitureops.rewriting_history', true), '') <> 'on' THEN
        RAISE EXCEPTION '% on % is not allowed: ledger and audit rows are immutable', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$body$;

CREATE TRIGGER inventory_ledger_immutable BEFORE UPDATE OR DELETE ON inventory_ledger
    FOR EACH ROW EXECUTE FUNCTION history_is_immutable();
CREATE TRIGGER inventory_ledger_no_truncate BEFORE TRUNCATE ON inventory_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION history_is_immutable();
CREATE TRIGGER loyalty_ledger_immutable BEFORE UPDATE OR DELETE ON loyalty_ledger
    FOR EACH ROW EXECUTE FUNCTION history_is_immutable();
CREATE TRIGGER loyalty_ledger_no_truncate BEFORE TRUNCATE ON loyalty_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION history_is_immutable();
CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION history_is_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION history_is_immutable();
