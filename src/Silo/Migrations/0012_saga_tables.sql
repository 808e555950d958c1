-- 0012: the sagas' own tables.
--
-- A POS event and a rating slip were kept in Orleans grain storage, each with an Orleans reminder while its
-- saga was unfinished: two more transactions per saga, on their own connections, outside the commit pipeline.
-- From here each saga is one row here, written by its grain through the commit pipeline (in the same shared
-- transaction as the ledger writes of other grains):
--   * version guards the row as it guards a SKU's: a duplicate activation's write finds another version and
--     commits nothing;
--   * saga is the grain's whole state as JSON (the submission, the steps and their outcomes, the stored replies);
--   * status is the saga's state machine position, for operators' queries;
--   * next_attempt_at is set while the saga is unfinished, in the same commit that accepts it, and cleared in
--     the commit that finishes it. The sagas' sweeper resumes every row whose next_attempt_at has passed, so a
--     saga whose silo died is always finished by another; no reminder is involved.
-- Rows still in Orleans grain storage (written by a release before this one) are carried over by their grain
-- when it is first activated; the silo activates each of them once at startup (docs/operations.md).
-- The migrator runs this script and its journal entry in one transaction.

CREATE TABLE pos_events (
    tenant_id        text        NOT NULL,
    event_id         text        NOT NULL,
    version          bigint      NOT NULL CHECK (version > 0),
    status           text        NOT NULL,
    saga             jsonb       NOT NULL,
    next_attempt_at  timestamptz NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);

CREATE TABLE rating_slips (
    tenant_id        text        NOT NULL,
    slip_id          text        NOT NULL,
    version          bigint      NOT NULL CHECK (version > 0),
    status           text        NOT NULL,
    saga             jsonb       NOT NULL,
    next_attempt_at  timestamptz NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, slip_id)
);

-- The sweeper's scan: only unfinished rows are indexed.
CREATE INDEX pos_events_due ON pos_events (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX rating_slips_due ON rating_slips (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

-- The janitor's purge of sagas finished for good, after Sagas:FinishedRetention (the statuses are
-- SagaTable's list). Events needing attention, stalled accruals and open slips are never purged.
CREATE INDEX pos_events_finished ON pos_events (updated_at) WHERE status IN ('applied', 'rejected', 'resolved');
CREATE INDEX rating_slips_finished ON rating_slips (updated_at) WHERE status IN ('accrued');

GRANT SELECT, INSERT, UPDATE, DELETE ON pos_events, rating_slips TO furnitureops_app;
