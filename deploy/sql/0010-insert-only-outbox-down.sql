-- Undoes migration 0010 (the insert-only outbox), for a rollback to a release before it. Run as the owner
-- role with every silo stopped, then roll back (docs/deployment.md, "Rolling back across a contracting
-- migration"). What was published since the upgrade stays published: its feed position and publication
-- time go back onto the outbox row, and rows set aside go back to their attempts and dead letters. The
-- journal entry is removed too, so upgrading again re-runs 0010 on the data as the old release left it.

BEGIN;

ALTER TABLE outbox
    ADD COLUMN delivered_at      timestamptz NULL,
    ADD COLUMN feed_position     bigint      NULL CONSTRAINT outbox_feed_position_unique UNIQUE,
    ADD COLUMN publish_attempts  integer     NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at   timestamptz NULL,
    ADD COLUMN last_error        text        NULL,
    ADD COLUMN dead_lettered_at  timestamptz NULL;

UPDATE outbox o SET delivered_at = f.published_at, feed_position = f.position
FROM event_feed f WHERE f.outbox_id = o.id;

UPDATE outbox o
SET publish_attempts = x.attempts, last_error = x.last_error, next_attempt_at = x.next_attempt_at,
    dead_lettered_at = x.dead_lettered_at
FROM outbox_failures x WHERE x.outbox_id = o.id;

ALTER TABLE outbox ADD CONSTRAINT outbox_published_rows_have_a_position CHECK ((delivered_at IS NULL) = (feed_position IS NULL));
CREATE INDEX outbox_undelivered ON outbox (id) WHERE delivered_at IS NULL;
CREATE INDEX outbox_feed ON outbox (tenant_id, feed_position) WHERE feed_position IS NOT NULL;
CREATE INDEX outbox_dead_letters ON outbox (id) WHERE dead_lettered_at IS NOT NULL;
GRANT UPDATE (delivered_at, feed_position, publish_attempts, next_attempt_at, last_error, dead_lettered_at)
    ON outbox TO furnitureops_app;

DROP VIEW outbox_unpublished;
DROP TABLE outbox_failures, outbox_relay_position, event_feed;
ALTER TABLE outbox DROP COLUMN txid;

DELETE FROM schema_versions WHERE scriptname LIKE '%.0010_insert_only_outbox.sql';

COMMIT;
