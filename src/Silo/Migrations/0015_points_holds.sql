-- 0015: points holds (loyalty points held with an expiry), the loyalty side of 0013's stock reservations.
--
-- A hold sets some of a player's points aside for a while (a voucher being paid with points): it is
-- committed (a redemption of the held points or fewer; the rest is released), released, or expired by the
-- system once, and only once.
--   * loyalty_players.held is the points held now: never negative and never more than the balance, so a
--     redemption, a new hold or a reversal can only take what is available (balance - held).
--   * loyalty_ledger rows carry held before and after, like the balance. The balance arithmetic is rewritten:
--     a hold, its release and its expiry leave the balance alone; a commit spends like a redemption. The held
--     arithmetic says how each operation moves held (a commit releases the whole hold, spending part of it).
--   * loyalty_holds has one row per hold, written by its player's grain in the same commit as the effect that
--     changes it. A row leaves 'held' once: the trigger refuses any change to a resolved row and any change of
--     a hold's own values; the service's role cannot delete rows.
-- The migrator runs this script and its journal entry in one transaction.

ALTER TABLE loyalty_players
    ADD COLUMN held bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT loyalty_players_held_within_balance CHECK (held >= 0 AND held <= balance);

ALTER TABLE loyalty_ledger
    ADD COLUMN held_before bigint NOT NULL DEFAULT 0,
    ADD COLUMN held_after  bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT loyalty_ledger_held_within_balance CHECK (held_after >= 0 AND held_after <= balance_after);

ALTER TABLE loyalty_ledger DROP CONSTRAINT loyalty_ledger_operation_check;
ALTER TABLE loyalty_ledger ADD CONSTRAINT loyalty_ledger_operation_check
    CHECK (operation IN ('accrue', 'reward', 'redeem', 'reverse', 'hold', 'hold_commit', 'hold_release', 'hold_expire'));

ALTER TABLE loyalty_ledger DROP CONSTRAINT loyalty_ledger_balance_arithmetic;
ALTER TABLE loyalty_ledger ADD CONSTRAINT loyalty_ledger_balance_arithmetic
    CHECK (balance_after = balance_before + CASE
        WHEN operation IN ('redeem', 'reverse', 'hold_commit') THEN -points
        WHEN operation IN ('hold', 'hold_release', 'hold_expire') THEN 0
        ELSE points END);

-- A commit's points are what it spent; the hold it resolves may have held more, released with it.
ALTER TABLE loyalty_ledger ADD CONSTRAINT loyalty_ledger_held_arithmetic
    CHECK (CASE operation
        WHEN 'hold' THEN held_after = held_before + points
        WHEN 'hold_release' THEN held_after = held_before - points
        WHEN 'hold_expire' THEN held_after = held_before - points
        WHEN 'hold_commit' THEN held_after <= held_before - points
        ELSE held_after = held_before END);

CREATE TABLE loyalty_holds (
    tenant_id         text        NOT NULL,
    hold_id           uuid        NOT NULL,
    player_id         text        NOT NULL,
    points            bigint      NOT NULL CHECK (points > 0),
    status            text        NOT NULL CHECK (status IN ('held', 'committed', 'released', 'expired')),
    -- What the commit redeemed (at most the points held); null unless committed.
    committed_points  bigint      NULL CHECK (committed_points > 0 AND committed_points <= points),
    reference         text        NULL,
    expires_at        timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    resolved_at       timestamptz NULL,
    PRIMARY KEY (tenant_id, hold_id),
    FOREIGN KEY (tenant_id, player_id) REFERENCES loyalty_players (tenant_id, player_id),
    CHECK ((status = 'held') = (resolved_at IS NULL)),
    CHECK ((status = 'committed') = (committed_points IS NOT NULL))
);

-- A player's grain loads its held points when it activates; the expiry sweeper finds those that are due.
CREATE INDEX loyalty_holds_held_by_player ON loyalty_holds (tenant_id, player_id) WHERE status = 'held';
CREATE INDEX loyalty_holds_held_by_expiry ON loyalty_holds (expires_at) WHERE status = 'held';

CREATE FUNCTION points_hold_resolves_once() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF OLD.status <> 'held' THEN
        RAISE EXCEPTION 'points hold % is already %', OLD.hold_id, OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.tenant_id <> OLD.tenant_id OR NEW.hold_id <> OLD.hold_id OR NEW.player_id <> OLD.player_id
       OR NEW.points <> OLD.points OR NEW.expires_at <> OLD.expires_at OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'a points hold''s own values never change (hold %)', OLD.hold_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$body$;

CREATE TRIGGER loyalty_holds_resolve_once BEFORE UPDATE ON loyalty_holds
    FOR EACH ROW EXECUTE FUNCTION points_hold_resolves_once();
GRANT SELECT, INSERT, UPDATE ON loyalty_holds TO furnitureops_app;
