-- 0011: POS events that need an operator.
--
-- A POS event whose line is refused undoes the lines applied before it. When one of those compensations is
-- refused too (the returned unit was sold meanwhile), stock or points stay off by that line: the event ends
-- needs-attention instead of rejected, and gets a row here. An operator resolves it (POST
-- /v1/pos/events/{id}/resolve): the row records who, when and how, in the same transaction as its audit row.
-- The POS saga's own state still lives in Orleans grain storage; this table is what can be listed and counted.
-- The migrator runs this script and its journal entry in one transaction.

CREATE TABLE pos_events_needing_attention (
    tenant_id    text        NOT NULL,
    event_id     uuid        NOT NULL,
    source       text        NOT NULL,
    -- The refusal code of the compensation that could not be made (e.g. insufficient_stock).
    reason       text        NOT NULL,
    request_id   text        NOT NULL,
    raised_at    timestamptz NOT NULL,
    resolved_at  timestamptz NULL,
    resolved_by  text        NULL,
    resolution   text        NULL,
    PRIMARY KEY (tenant_id, event_id),
    CHECK ((resolved_at IS NULL) = (resolved_by IS NULL) AND (resolved_at IS NULL) = (resolution IS NULL))
);

-- The operators' list and the gauge: only what is still open.
CREATE INDEX pos_events_needing_attention_open ON pos_events_needing_attention (tenant_id, raised_at) WHERE resolved_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON pos_events_needing_attention TO furnitureops_app;
