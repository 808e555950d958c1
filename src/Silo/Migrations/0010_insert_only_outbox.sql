-- 0010: publishing an event no longer rewrites its outbox row.
--
-- Until now the relay locked each unpublished row (FOR UPDATE) and then marked it (delivered_at,
-- feed_position): a row lock, a new version of a wide row and four index entries per event, the largest
-- FurnitureOps statements on the server under load. From here the outbox is insert-only:
--   * every row records the transaction that wrote it (txid, the 64-bit pg_current_xact_id());
--   * the relay publishes rows in (txid, id) order, and only rows whose transaction is older than every
--     transaction still running (txid below the snapshot's xmin). A row that commits later therefore always
--     sorts after every row already published, so a single position says what has been published;
--   * that position is one row (outbox_relay_position), moved in each publishing transaction;
--   * the feed is a narrow table of positions (event_feed), one row per published event;
--   * a row the relay cannot publish (its data is not a JSON object) is set aside in outbox_failures, retried
--     with backoff and dead-lettered there, without holding up the rows after it.
-- Old silos' relays, dispatchers and feed reads fail against this schema (their columns are gone) and publish
-- nothing; their grains keep writing events, and the new silos publish them. Nothing is published twice.
-- A rollback to an older release first runs deploy/sql/0010-insert-only-outbox-down.sql (docs/deployment.md).
-- The migrator runs this script and its journal entry in one transaction.

-- Rows already here get txid 0: those already published sort before the position set below, and those not
-- yet published are moved after it.
ALTER TABLE outbox ADD COLUMN txid xid8 NOT NULL DEFAULT '0';
ALTER TABLE outbox ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
UPDATE outbox SET txid = pg_current_xact_id()
WHERE delivered_at IS NULL AND dead_lettered_at IS NULL AND publish_attempts = 0;

-- The relay's scan, and the backlog gauge's count.
CREATE INDEX outbox_publication_order ON outbox (txid, id);

CREATE TABLE event_feed (
    position      bigint      PRIMARY KEY,
    -- No foreign key: the relay inserts only ids it has just read, and a key check would lock the outbox row.
    outbox_id     bigint      NOT NULL CONSTRAINT event_feed_publishes_a_row_once UNIQUE,
    tenant_id     text        NOT NULL,
    published_at  timestamptz NOT NULL
);

-- The pull feed: one tenant's events in publication order.
CREATE INDEX event_feed_by_tenant ON event_feed (tenant_id, position);

INSERT INTO event_feed (position, outbox_id, tenant_id, published_at)
SELECT feed_position, id, tenant_id, delivered_at FROM outbox WHERE feed_position IS NOT NULL;

CREATE TABLE outbox_relay_position (
    singleton      boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    -- The last row published or set aside, in publication order.
    last_txid      xid8        NOT NULL,
    last_id        bigint      NOT NULL,
    -- The last feed position handed out.
    last_position  bigint      NOT NULL,
    updated_at     timestamptz NOT NULL
);

INSERT INTO outbox_relay_position (last_txid, last_id, last_position, updated_at)
SELECT '0', coalesce(max(id), 0), coalesce(max(feed_position), 0), now() FROM outbox;

CREATE TABLE outbox_failures (
    outbox_id         bigint      PRIMARY KEY REFERENCES outbox (id),
    tenant_id         text        NOT NULL,
    -- Failed attempts since it was set aside, or since an operator last retried it (which resets it to 0).
    attempts          integer     NOT NULL CHECK (attempts >= 0),
    last_error        text        NOT NULL,
    next_attempt_at   timestamptz NOT NULL,
    dead_lettered_at  timestamptz NULL
);

CREATE INDEX outbox_failures_due ON outbox_failures (next_attempt_at) WHERE dead_lettered_at IS NULL;

INSERT INTO outbox_failures (outbox_id, tenant_id, attempts, last_error, next_attempt_at, dead_lettered_at)
SELECT id, tenant_id, publish_attempts, coalesce(last_error, 'unknown'), coalesce(next_attempt_at, now()), dead_lettered_at
FROM outbox
WHERE delivered_at IS NULL AND (dead_lettered_at IS NOT NULL OR publish_attempts > 0);

ALTER TABLE outbox
    DROP CONSTRAINT outbox_published_rows_have_a_position,
    DROP COLUMN delivered_at,
    DROP COLUMN feed_position,
    DROP COLUMN publish_attempts,
    DROP COLUMN next_attempt_at,
    DROP COLUMN last_error,
    DROP COLUMN dead_lettered_at;

-- What is still to be published, for operators and tests. (The backlog gauge counts the same rows with the
-- position as constants, which the planner can bound; joined to the position row it may scan the outbox.)
CREATE VIEW outbox_unpublished AS
SELECT o.*
FROM outbox o, outbox_relay_position p
WHERE (o.txid, o.id) > (p.last_txid, p.last_id)
UNION ALL
SELECT o.*
FROM outbox_failures f JOIN outbox o ON o.id = f.outbox_id
WHERE f.dead_lettered_at IS NULL;

-- For the services the outbox is now SELECT and INSERT only (0005); 0007's column grants went with their columns.
GRANT SELECT, INSERT ON event_feed TO furnitureops_app;
GRANT SELECT, UPDATE ON outbox_relay_position TO furnitureops_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_failures TO furnitureops_app;
GRANT SELECT ON outbox_unpublished TO furnitureops_app;
