-- 0014: multi-line stock holds (a checkout), POST /v1/holds.
--
-- A hold is a saga like a POS event or a rating slip (migration 0012): one row, written by its grain through
-- the commit pipeline, with the grain's whole state as JSON. Each of its lines is a reservation of its SKU
-- (inventory_reservations, migration 0013), made, committed, released or expired by the hold under a system
-- key of its own; the row records the step under way (placing, committing, releasing, expiring) before the
-- step runs, and next_attempt_at makes the sagas' sweeper finish a step that a crash interrupted. While a
-- hold is held, next_attempt_at is its expiry time: the sweeper expires it then.
-- The migrator runs this script and its journal entry in one transaction.

CREATE TABLE stock_holds (
    tenant_id        text        NOT NULL,
    hold_id          text        NOT NULL,
    version          bigint      NOT NULL CHECK (version > 0),
    status           text        NOT NULL CHECK (status IN ('placing', 'held', 'refused', 'committing', 'committed',
                                                             'releasing', 'released', 'expiring', 'expired')),
    saga             jsonb       NOT NULL,
    next_attempt_at  timestamptz NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, hold_id)
);

-- The sweeper's scan, and the janitor's purge of holds that ended (the statuses are StockHoldGrain's list).
CREATE INDEX stock_holds_due ON stock_holds (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX stock_holds_finished ON stock_holds (updated_at) WHERE status IN ('refused', 'committed', 'released', 'expired');

GRANT SELECT, INSERT, UPDATE, DELETE ON stock_holds TO furnitureops_app;
