-- The row-lock baseline: the seeds' design without actors. Every request is ONE call of a function that runs
-- in its own transaction: INSERT … ON CONFLICT claims the idempotency key (a concurrent duplicate waits on
-- the key's index entry until the first commits, then finds it), SELECT … FOR UPDATE locks the stock row
-- (or player), then the update, the ledger row and the audit row, and the stored response. A reservation's
-- effects (reserve, commit, release) also write the reservation's row and an outbox event, as FurnitureOps'
-- do; sales and loyalty write no event (the baseline has no events for them).
-- It lives in a database of its own on the same server as FurnitureOps, and only in the bench tool.

CREATE TABLE idempotency (
    tenant_id    text  NOT NULL,
    key          text  NOT NULL,
    request_hash text  NOT NULL,
    status       int,
    response     jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

-- reserved is held by reservations: a sale or a new reservation can take only on_hand - reserved.
CREATE TABLE stock (
    tenant_id text   NOT NULL,
    sku       text   NOT NULL,
    on_hand   bigint NOT NULL CHECK (on_hand >= 0),
    sold      bigint NOT NULL DEFAULT 0,
    reserved  bigint NOT NULL DEFAULT 0,
    version   bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, sku),
    CONSTRAINT stock_reserved_within_on_hand CHECK (reserved >= 0 AND reserved <= on_hand)
);

CREATE TABLE stock_ledger (
    tenant_id       text   NOT NULL,
    sku             text   NOT NULL,
    version         bigint NOT NULL,
    operation       text   NOT NULL,
    quantity        bigint NOT NULL,
    on_hand_before  bigint NOT NULL,
    on_hand_after   bigint NOT NULL,
    reserved_before bigint NOT NULL,
    reserved_after  bigint NOT NULL,
    idempotency_key text   NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, sku, version)
);

-- One row per reservation, written in the transaction of the effect that changes it. It leaves 'held' once:
-- resolve_reservation() changes it only while held, under the stock row's lock. There is no expiry sweeper:
-- the bench's holds last milliseconds, so the baseline is spared one.
CREATE TABLE reservations (
    tenant_id          text        NOT NULL,
    reservation_id     uuid        NOT NULL,
    sku                text        NOT NULL,
    quantity           bigint      NOT NULL CHECK (quantity > 0),
    status             text        NOT NULL CHECK (status IN ('held', 'committed', 'released')),
    committed_quantity bigint      CHECK (committed_quantity = quantity),
    reference          text,
    expires_at         timestamptz NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    resolved_at        timestamptz,
    PRIMARY KEY (tenant_id, reservation_id),
    FOREIGN KEY (tenant_id, sku) REFERENCES stock (tenant_id, sku),
    CONSTRAINT reservations_resolved_when_not_held CHECK ((status = 'held') = (resolved_at IS NULL)),
    CONSTRAINT reservations_committed_quantity CHECK ((status = 'committed') = (committed_quantity IS NOT NULL))
);

CREATE TABLE players (
    tenant_id text   NOT NULL,
    player_id text   NOT NULL,
    balance   bigint NOT NULL CHECK (balance >= 0),
    lifetime  bigint NOT NULL DEFAULT 0,
    version   bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, player_id)
);

CREATE TABLE points_ledger (
    tenant_id       text   NOT NULL,
    player_id       text   NOT NULL,
    version         bigint NOT NULL,
    operation       text   NOT NULL,
    points          bigint NOT NULL,
    balance_before  bigint NOT NULL,
    balance_after   bigint NOT NULL,
    idempotency_key text   NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, player_id, version)
);

CREATE TABLE audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text   NOT NULL,
    action      text   NOT NULL,
    entity_id   text   NOT NULL,
    details     jsonb  NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- Events for other systems, written with the effect (no relay reads them: publishing is not measured).
CREATE TABLE outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text   NOT NULL,
    event_type  text   NOT NULL,
    entity_id   text   NOT NULL,
    payload     jsonb  NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- Claims the key. Returns NULL when this call owns it (go on), or the stored answer: a replay, or 409 when
-- the key came with another request.
CREATE FUNCTION claim_key(p_tenant text, p_key text, p_hash text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    stored idempotency;
BEGIN
    INSERT INTO idempotency (tenant_id, key, request_hash) VALUES (p_tenant, p_key, p_hash) ON CONFLICT DO NOTHING;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    SELECT * INTO stored FROM idempotency WHERE tenant_id = p_tenant AND key = p_key;
    IF stored.request_hash <> p_hash THEN
        RETURN jsonb_build_object('httpStatus', 409, 'code', 'idempotency_key_reused');
    END IF;
    RETURN stored.response || jsonb_build_object('httpStatus', stored.status, 'replayed', true);
END $$;

-- Stores the answer under the key and returns it with its HTTP status beside it, as httpStatus (a name no
-- answer's own fields use: a reservation's status is one of them), which the endpoint takes off again.
CREATE FUNCTION answer(p_tenant text, p_key text, p_status int, p_response jsonb) RETURNS jsonb LANGUAGE sql AS $$
    UPDATE idempotency SET status = p_status, response = p_response WHERE tenant_id = p_tenant AND key = p_key;
    SELECT p_response || jsonb_build_object('httpStatus', p_status);
$$;

CREATE FUNCTION sell(p_tenant text, p_key text, p_hash text, p_sku text, p_quantity bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    stored jsonb := claim_key(p_tenant, p_key, p_hash);
    row stock;
BEGIN
    IF stored IS NOT NULL THEN
        RETURN stored;
    END IF;
    SELECT * INTO row FROM stock WHERE tenant_id = p_tenant AND sku = p_sku FOR UPDATE;
    IF NOT FOUND THEN
        RETURN answer(p_tenant, p_key, 404, jsonb_build_object('code', 'sku_not_found'));
    END IF;
    IF row.on_hand - row.reserved < p_quantity THEN
        RETURN answer(p_tenant, p_key, 409, jsonb_build_object('code', 'insufficient_stock', 'available', row.on_hand - row.reserved));
    END IF;
    UPDATE stock SET on_hand = on_hand - p_quantity, sold = sold + p_quantity, version = version + 1
    WHERE tenant_id = p_tenant AND sku = p_sku;
    INSERT INTO stock_ledger (tenant_id, sku, version, operation, quantity, on_hand_before, on_hand_after, reserved_before, reserved_after, idempotency_key)
    VALUES (p_tenant, p_sku, row.version + 1, 'sell', p_quantity, row.on_hand, row.on_hand - p_quantity, row.reserved, row.reserved, p_key);
    INSERT INTO audit (tenant_id, action, entity_id, details)
    VALUES (p_tenant, 'sell', p_sku, jsonb_build_object('quantity', p_quantity, 'key', p_key));
    RETURN answer(p_tenant, p_key, 200, jsonb_build_object('sku', p_sku, 'onHand', row.on_hand - p_quantity, 'version', row.version + 1));
END $$;

-- accrue and reward add points (lifetime too); redeem takes them, never below zero.
CREATE FUNCTION loyalty(p_tenant text, p_key text, p_hash text, p_player text, p_operation text, p_points bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    stored jsonb := claim_key(p_tenant, p_key, p_hash);
    row players;
    delta bigint := CASE WHEN p_operation = 'redeem' THEN -p_points ELSE p_points END;
BEGIN
    IF stored IS NOT NULL THEN
        RETURN stored;
    END IF;
    INSERT INTO players (tenant_id, player_id, balance, version) VALUES (p_tenant, p_player, 0, 0) ON CONFLICT DO NOTHING;
    SELECT * INTO row FROM players WHERE tenant_id = p_tenant AND player_id = p_player FOR UPDATE;
    IF row.balance + delta < 0 THEN
        RETURN answer(p_tenant, p_key, 409, jsonb_build_object('code', 'insufficient_points', 'balance', row.balance));
    END IF;
    UPDATE players SET balance = balance + delta, lifetime = lifetime + greatest(delta, 0), version = version + 1
    WHERE tenant_id = p_tenant AND player_id = p_player;
    INSERT INTO points_ledger (tenant_id, player_id, version, operation, points, balance_before, balance_after, idempotency_key)
    VALUES (p_tenant, p_player, row.version + 1, p_operation, p_points, row.balance, row.balance + delta, p_key);
    INSERT INTO audit (tenant_id, action, entity_id, details)
    VALUES (p_tenant, p_operation, p_player, jsonb_build_object('points', p_points, 'key', p_key));
    RETURN answer(p_tenant, p_key, 200, jsonb_build_object('playerId', p_player, 'balance', row.balance + delta));
END $$;

-- A reservation effect's own rows besides the stock and reservation rows: the ledger row, the audit row, the
-- outbox event and the stored answer (the reservation, with the SKU after the effect).
CREATE FUNCTION reservation_effect(p_tenant text, p_key text, p_status int, p_operation text, p_quantity bigint,
                                   p_before stock, p_after stock, p_held reservations)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    reservation jsonb := jsonb_build_object(
        'reservationId', p_held.reservation_id, 'sku', p_held.sku, 'quantity', p_held.quantity, 'status', p_held.status,
        'committedQuantity', p_held.committed_quantity, 'reference', p_held.reference, 'expiresAt', p_held.expires_at,
        'item', jsonb_build_object('sku', p_after.sku, 'onHand', p_after.on_hand, 'sold', p_after.sold,
                                   'reserved', p_after.reserved, 'version', p_after.version));
BEGIN
    INSERT INTO stock_ledger (tenant_id, sku, version, operation, quantity, on_hand_before, on_hand_after, reserved_before, reserved_after, idempotency_key)
    VALUES (p_tenant, p_after.sku, p_after.version, p_operation, p_quantity, p_before.on_hand, p_after.on_hand,
            p_before.reserved, p_after.reserved, p_key);
    INSERT INTO audit (tenant_id, action, entity_id, details)
    VALUES (p_tenant, p_operation, p_after.sku, jsonb_build_object('reservationId', p_held.reservation_id, 'quantity', p_quantity, 'key', p_key));
    INSERT INTO outbox (tenant_id, event_type, entity_id, payload)
    VALUES (p_tenant, 'inventory.' || p_operation, p_after.sku, reservation);
    RETURN answer(p_tenant, p_key, p_status, reservation);
END $$;

-- Holds p_quantity of what is available (on hand less reserved) under a new reservation id, chosen here as
-- FurnitureOps' API chooses it; a resend under the same key replays the first answer and its id.
CREATE FUNCTION reserve(p_tenant text, p_key text, p_hash text, p_sku text, p_quantity bigint, p_expires_in_seconds int, p_reference text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    stored jsonb := claim_key(p_tenant, p_key, p_hash);
    stock_before stock;
    stock_after stock;
    held reservations;
BEGIN
    IF stored IS NOT NULL THEN
        RETURN stored;
    END IF;
    SELECT * INTO stock_before FROM stock WHERE tenant_id = p_tenant AND sku = p_sku FOR UPDATE;
    IF NOT FOUND THEN
        RETURN answer(p_tenant, p_key, 404, jsonb_build_object('code', 'sku_not_found'));
    END IF;
    IF stock_before.on_hand - stock_before.reserved < p_quantity THEN
        RETURN answer(p_tenant, p_key, 409, jsonb_build_object('code', 'insufficient_stock', 'available', stock_before.on_hand - stock_before.reserved));
    END IF;
    UPDATE stock SET reserved = reserved + p_quantity, version = version + 1
    WHERE tenant_id = p_tenant AND sku = p_sku RETURNING * INTO stock_after;
    INSERT INTO reservations (tenant_id, reservation_id, sku, quantity, status, reference, expires_at)
    VALUES (p_tenant, gen_random_uuid(), p_sku, p_quantity, 'held', p_reference, now() + make_interval(secs => p_expires_in_seconds))
    RETURNING * INTO held;
    RETURN reservation_effect(p_tenant, p_key, 201, 'reserve', p_quantity, stock_before, stock_after, held);
END $$;

-- Commits (p_outcome 'committed': the whole hold is sold) or releases ('released': it is available again) a
-- held reservation. The stock row is locked first, as reserve() locks it, so the functions take their locks
-- in one order, and a reservation (of this SKU only) is read and changed under that lock: two resolutions of
-- one reservation run one after the other, and the second finds it no longer held.
CREATE FUNCTION resolve_reservation(p_tenant text, p_key text, p_hash text, p_sku text, p_reservation uuid, p_outcome text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    stored jsonb := claim_key(p_tenant, p_key, p_hash);
    stock_before stock;
    stock_after stock;
    held reservations;
    sold_now bigint;
BEGIN
    IF stored IS NOT NULL THEN
        RETURN stored;
    END IF;
    SELECT * INTO stock_before FROM stock WHERE tenant_id = p_tenant AND sku = p_sku FOR UPDATE;
    IF NOT FOUND THEN
        RETURN answer(p_tenant, p_key, 404, jsonb_build_object('code', 'sku_not_found'));
    END IF;
    SELECT * INTO held FROM reservations WHERE tenant_id = p_tenant AND reservation_id = p_reservation AND sku = p_sku;
    IF NOT FOUND THEN
        RETURN answer(p_tenant, p_key, 404, jsonb_build_object('code', 'reservation_not_found'));
    END IF;
    IF held.status <> 'held' THEN
        RETURN answer(p_tenant, p_key, 409, jsonb_build_object('code', 'reservation_not_held', 'reservationStatus', held.status));
    END IF;
    sold_now := CASE WHEN p_outcome = 'committed' THEN held.quantity ELSE 0 END;
    UPDATE stock SET on_hand = on_hand - sold_now, sold = sold + sold_now, reserved = reserved - held.quantity, version = version + 1
    WHERE tenant_id = p_tenant AND sku = p_sku RETURNING * INTO stock_after;
    UPDATE reservations SET status = p_outcome, committed_quantity = nullif(sold_now, 0), resolved_at = now()
    WHERE tenant_id = p_tenant AND reservation_id = p_reservation RETURNING * INTO held;
    RETURN reservation_effect(p_tenant, p_key, 200,
        CASE WHEN p_outcome = 'committed' THEN 'reservation_commit' ELSE 'reservation_release' END, held.quantity, stock_before, stock_after, held);
END $$;
