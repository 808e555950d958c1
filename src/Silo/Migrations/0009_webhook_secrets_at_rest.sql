-- Webhook secrets at rest: the silo stores each secret protected by ASP.NET Core Data Protection
-- (docs/security.md), and the key ring lives here so that every silo can read what any other protected.
-- Data Protection only ever adds elements to its ring (new keys, revocations), so the application role may
-- read and insert, not change or delete.
CREATE TABLE data_protection_keys (
    name        text        PRIMARY KEY,
    xml         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT ON data_protection_keys TO furnitureops_app;

-- Rows registered before this migration hold their secret in clear until a silo starts and protects them.
ALTER TABLE webhook_subscriptions ADD COLUMN secret_protected boolean NOT NULL DEFAULT false;
