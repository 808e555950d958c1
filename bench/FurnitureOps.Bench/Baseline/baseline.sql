-- The row-lock baseline: the seeds' design without actors. Every request is ONE call of a function that runs
-- in its own transaction: INSERT … ON CONFLICT claims the idempotency key (a concurrent duplicate waits on
-- the key's index entry until the first commits, then finds it), SELECT … FOR UPDATE locks the stock row
-- (or player), then the update, the ledger row and the audit row, and the stored response.
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

CREATE TABLE stock (
    tenant_id text   NOT NULL,
    sku       text   NOT NULL,
    on_hand   bigint NOT NULL CHECK (on_hand >= 0),
    sold      bigint NOT NULL DEFAULT 0,
    version   bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, sku)
);

CREATE TABLE stock_ledger (
    tenant_id       text   NOT NULL,
    sku             text   NOT NULL,
    version         bigint NOT NULL,
    operation       text   NOT NULL,
    quantity        bigint NOT NULL,
    on_hand_before  bigint NOT NULL,
    on_hand_after   bigint NOT NULL,
    idempotency_key text   NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, sku, version)
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
        RETURN jsonb_build_object('status', 409, 'code', 'idempotency_key_reused');
    END IF;
    RETURN stored.response || jsonb_build_object('status', stored.status, 'replayed', true);
END $$;

CREATE FUNCTION answer(p_tenant text, p_key text, p_status int, p_response jsonb) RETURNS jsonb LANGUAGE sql AS $$
    UPDATE idempotency SET status = p_status, response = p_response WHERE tenant_id = p_tenant AND key = p_key;
    SELECT p_response || jsonb_build_object('status', p_status);
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
    IF row.on_hand < p_quantity THEN
        RETURN answer(p_tenant, p_key, 409, jsonb_build_object('code', 'insufficient_stock', 'available', row.on_hand));
    END IF;
    UPDATE stock SET on_hand = on_hand - p_quantity, sold = sold + p_quantity, version = version + 1
    WHERE tenant_id = p_tenant AND sku = p_sku;
    INSERT INTO stock_ledger (tenant_id, sku, version, operation, quantity, on_hand_before, on_hand_after, idempotency_key)
    VALUES (p_tenant, p_sku, row.version + 1, 'sell', p_quantity, row.on_hand, row.on_hand - p_quantity, p_key);
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
