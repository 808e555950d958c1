-- 0006: the replay guard of HMAC-signed machine requests.
--
-- A signature may be used once within its validity window: the first use inserts its SHA-256 here, a replay
-- collides with the primary key. Rows past expires_at are deleted by the silos' expiry janitor.
-- The migrator runs this script and its journal entry in one transaction.

CREATE TABLE used_signatures (
    signature_sha256  bytea       PRIMARY KEY,
    key_id            text        NOT NULL,
    expires_at        timestamptz NOT NULL
);

CREATE INDEX used_signatures_expiry ON used_signatures (expires_at);

GRANT SELECT, INSERT, DELETE ON used_signatures TO furnitureops_app;
