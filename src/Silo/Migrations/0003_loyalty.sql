-- 0003: loyalty balances (one state row per player) and their ledger.
--
-- Invariants held here as well as by the player grain: the balance never goes negative, lifetime points
-- never decrease, one ledger row per (tenant, player, version), and a business key (an accrual source such
-- as "rating_slip:<id>", or a same-day manual reward) is used by at most one entry of a player.
-- The migrator runs this script and its journal entry in one transaction.

CREATE TABLE loyalty_players (
    tenant_id        text        NOT NULL,
    player_id        text        NOT NULL,
    balance          bigint      NOT NULL CONSTRAINT loyalty_players_balance_not_negative CHECK (balance >= 0),
    lifetime_points  bigint      NOT NULL CHECK (lifetime_points >= 0),
    tier             text        NOT NULL,
    version          bigint      NOT NULL CHECK (version >= 1),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, player_id),
    CHECK (balance <= lifetime_points)
);

CREATE FUNCTION loyalty_players_lifetime_never_decreases() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF NEW.lifetime_points < OLD.lifetime_points THEN
        RAISE EXCEPTION 'lifetime points of player % may not decrease (% -> %)',
            OLD.player_id, OLD.lifetime_points, NEW.lifetime_points USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$body$;

CREATE TRIGGER loyalty_players_lifetime_never_decreases
    BEFORE UPDATE OF lifetime_points ON loyalty_players
    FOR EACH ROW EXECUTE FUNCTION loyalty_players_lifetime_never_decreases();

CREATE TABLE loyalty_ledger (
    tenant_id         text        NOT NULL,
    player_id         text        NOT NULL,
    version           bigint      NOT NULL,
    operation         text        NOT NULL CHECK (operation IN ('accrue', 'reward', 'redeem')),
    points            bigint      NOT NULL CHECK (points > 0),
    balance_before    bigint      NOT NULL,
    balance_after     bigint      NOT NULL CHECK (balance_after >= 0),
    tier_before       text        NOT NULL,
    tier_after        text        NOT NULL,
    lifetime_after    bigint      NOT NULL,
    reason            text        NULL,
    source_reference  text        NULL,
    business_key      text        NULL,
    staff_id          text        NOT NULL,
    correlation_id    text        NOT NULL,
    idempotency_key   text        NOT NULL,
    recorded_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, player_id, version),
    FOREIGN KEY (tenant_id, player_id) REFERENCES loyalty_players (tenant_id, player_id),
    CHECK (balance_after = balance_before + CASE WHEN operation = 'redeem' THEN -points ELSE points END)
);

CREATE UNIQUE INDEX loyalty_ledger_business_key ON loyalty_ledger (tenant_id, player_id, business_key)
    WHERE business_key IS NOT NULL;
