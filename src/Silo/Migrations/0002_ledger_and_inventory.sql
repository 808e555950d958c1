-- 0002: the ledger write path's tables and the inventory entity.
--
-- Shared by every ledger entity: audit_log (immutable history of effects), outbox (versioned events
-- awaiting delivery) and idempotency_records (replies remembered under their Idempotency-Key).
-- Inventory's own: inventory_items (one state row per SKU, guarded by version) and inventory_ledger
-- (one row per accepted effect, with before/after values).
--
-- Invariants live here as well as in the grain, so no code path can break them:
-- stock and sold never negative, one ledger row per (tenant, sku, version), one record per key.
--
-- The migrator runs each script and its journal entry in one transaction (no BEGIN/COMMIT here).

CREATE TABLE inventory_items (
    tenant_id   text        NOT NULL,
    sku         text        NOT NULL,
    name        text        NOT NULL,
    on_hand     bigint      NOT NULL CONSTRAINT inventory_items_on_hand_not_negative CHECK (on_hand >= 0),
    sold        bigint      NOT NULL CONSTRAINT inventory_items_sold_not_negative CHECK (sold >= 0),
    version     bigint      NOT NULL CONSTRAINT inventory_items_version_positive CHECK (version >= 1),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, sku)
);

CREATE TABLE inventory_ledger (
    tenant_id        text        NOT NULL,
    sku              text        NOT NULL,
    version          bigint      NOT NULL,
    operation        text        NOT NULL CHECK (operation IN ('create', 'receive', 'sell', 'return', 'adjust')),
    quantity         bigint      NOT NULL,
    on_hand_before   bigint      NOT NULL,
    on_hand_after    bigint      NOT NULL CHECK (on_hand_after >= 0),
    sold_before      bigint      NOT NULL,
    sold_after       bigint      NOT NULL CHECK (sold_after >= 0),
    reference        text        NULL,
    actor            text        NOT NULL,
    request_id       text        NOT NULL,
    idempotency_key  text        NOT NULL,
    recorded_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, sku, version),
    FOREIGN KEY (tenant_id, sku) REFERENCES inventory_items (tenant_id, sku)
);

CREATE TABLE audit_log (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text        NOT NULL,
    recorded_at  timestamptz NOT NULL,
    actor        text        NOT NULL,
    action       text        NOT NULL,
    entity_type  text        NOT NULL,
    entity_id    text        NOT NULL,
    before       jsonb       NULL,
    after        jsonb       NULL,
    request_id   text        NOT NULL
);

CREATE INDEX audit_log_by_entity ON audit_log (tenant_id, entity_type, entity_id, id);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, id);

CREATE TABLE outbox (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id           uuid        NOT NULL UNIQUE,
    tenant_id          text        NOT NULL,
    event_type         text        NOT NULL CHECK (event_type ~ '\.v[0-9]+$'),
    aggregate_type     text        NOT NULL,
    aggregate_id       text        NOT NULL,
    aggregate_version  bigint      NOT NULL,
    payload            jsonb       NOT NULL,
    occurred_at        timestamptz NOT NULL,
    request_id         text        NOT NULL,
    delivered_at       timestamptz NULL
);

-- The relay (a later issue) scans only what is still undelivered, in order.
CREATE INDEX outbox_undelivered ON outbox (id) WHERE delivered_at IS NULL;

CREATE TABLE idempotency_records (
    tenant_id    text        NOT NULL,
    scope        text        NOT NULL,
    key          text        NOT NULL,
    fingerprint  text        NOT NULL,
    reply        jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, scope, key),
    CHECK (expires_at > created_at)
);

-- Lets the janitor delete expired records without scanning live ones.
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);
