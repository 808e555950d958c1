-- 0007: POS returns reverse loyalty points, and events leave the outbox.
--
-- Loyalty: a new ledger operation 'reverse' (points taken back because their source was reversed, e.g. a
-- POS return). It lowers the balance, never lifetime points, and is checked like a redemption.
--
-- Delivery: the relay publishes outbox rows in order and records it on the row (delivered_at, and a
-- feed_position assigned by one relay at a time, so feed order is commit order). Publishing fans each event
-- out into one event_deliveries row per subscriber (a webhook subscription or an internal consumer); the
-- dispatcher works those rows with retries, backoff and a dead-letter state. An outbox row that cannot be
-- published is retried with backoff and finally dead-lettered too. Internal consumers record what they
-- applied in processed_events, so a duplicate delivery changes nothing.
-- The migrator runs this script and its journal entry in one transaction.

ALTER TABLE loyalty_ledger DROP CONSTRAINT loyalty_ledger_operation_check;
ALTER TABLE loyalty_ledger ADD CONSTRAINT loyalty_ledger_operation_check
    CHECK (operation IN ('accrue', 'reward', 'redeem', 'reverse'));
ALTER TABLE loyalty_ledger DROP CONSTRAINT loyalty_ledger_check;
ALTER TABLE loyalty_ledger ADD CONSTRAINT loyalty_ledger_balance_arithmetic
    CHECK (balance_after = balance_before + CASE WHEN operation IN ('redeem', 'reverse') THEN -points ELSE points END);

ALTER TABLE outbox
    ADD COLUMN feed_position     bigint      NULL CONSTRAINT outbox_feed_position_unique UNIQUE,
    ADD COLUMN publish_attempts  integer     NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at   timestamptz NULL,
    ADD COLUMN last_error        text        NULL,
    ADD COLUMN dead_lettered_at  timestamptz NULL,
    ADD CONSTRAINT outbox_published_rows_have_a_position CHECK ((delivered_at IS NULL) = (feed_position IS NULL));

-- The pull feed: one tenant's events in publication order.
CREATE INDEX outbox_feed ON outbox (tenant_id, feed_position) WHERE feed_position IS NOT NULL;

-- Dead letters are few and counted for a gauge every few seconds.
CREATE INDEX outbox_dead_letters ON outbox (id) WHERE dead_lettered_at IS NOT NULL;

CREATE TABLE webhook_subscriptions (
    id           uuid        PRIMARY KEY,
    tenant_id    text        NOT NULL,
    url          text        NOT NULL,
    -- Exact types ("inventory.sold.v1") or prefixes ending in '*' ("inventory.*"); empty means every event.
    event_types  text[]      NOT NULL,
    -- Needed in clear to sign deliveries; never returned by the API.
    secret       text        NOT NULL,
    -- SHA-256 of the registration request, so a retried registration is recognised and a reused key refused.
    fingerprint  text        NOT NULL,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    deleted_at   timestamptz NULL
);

CREATE INDEX webhook_subscriptions_live ON webhook_subscriptions (tenant_id) WHERE deleted_at IS NULL;

CREATE TABLE event_deliveries (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id        bigint      NOT NULL REFERENCES outbox (id),
    -- 'webhook:{subscription id}' or 'consumer:{name}'
    subscriber       text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'cancelled')),
    -- Attempts claimed so far; each claim increments it, so one attempt is made by one dispatcher only.
    attempts         integer     NOT NULL DEFAULT 0,
    -- When a pending delivery is due; a claim pushes it out by the lease, so a dispatcher that dies mid-attempt
    -- leaves a row that becomes due again.
    next_attempt_at  timestamptz NOT NULL,
    last_error       text        NULL,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz NULL,
    UNIQUE (outbox_id, subscriber)
);

CREATE INDEX event_deliveries_due ON event_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX event_deliveries_dead ON event_deliveries (id) WHERE status = 'dead';

CREATE TABLE processed_events (
    consumer      text        NOT NULL,
    event_id      uuid        NOT NULL,
    processed_at  timestamptz NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

-- The low-stock projection: a reorder point per SKU (set through the API), the last stock level seen in the
-- inventory events, and an alert each time a SKU falls to or below its reorder point.
CREATE TABLE reorder_points (
    tenant_id      text        NOT NULL,
    sku            text        NOT NULL,
    reorder_point  bigint      NOT NULL CHECK (reorder_point >= 0),
    updated_by     text        NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, sku)
);

CREATE TABLE stock_levels (
    tenant_id   text        NOT NULL,
    sku         text        NOT NULL,
    on_hand     bigint      NOT NULL,
    version     bigint      NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, sku)
);

-- Deliberately without a unique event id: processed_events is what keeps an event from alerting twice.
CREATE TABLE low_stock_alerts (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      text        NOT NULL,
    sku            text        NOT NULL,
    event_id       uuid        NOT NULL,
    on_hand        bigint      NOT NULL,
    reorder_point  bigint      NOT NULL,
    raised_at      timestamptz NOT NULL
);

CREATE INDEX low_stock_alerts_by_sku ON low_stock_alerts (tenant_id, sku, id);

GRANT UPDATE (delivered_at, feed_position, publish_attempts, next_attempt_at, last_error, dead_lettered_at)
    ON outbox TO furnitureops_app;
GRANT SELECT, INSERT, UPDATE ON webhook_subscriptions, reorder_points, stock_levels TO furnitureops_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON event_deliveries TO furnitureops_app;
GRANT SELECT, INSERT ON processed_events, low_stock_alerts TO furnitureops_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO furnitureops_app;
