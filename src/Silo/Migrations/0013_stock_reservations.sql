-- 0013: stock reservations (holds with an expiry).
--
-- A reservation holds some of a SKU's stock for a while (a customer paying): it is committed (a sale of the
-- held quantity or less; the rest is released), released, or expired by the system once, and only once.
--   * inventory_items.reserved is the stock held now: never negative and never more than on hand, so a sale
--     can only take what is available (on_hand - reserved).
--   * inventory_ledger rows carry reserved before and after, like on hand and sold.
--   * inventory_reservations has one row per reservation, written by its SKU's grain in the same commit as
--     the effect that changes it. A row leaves 'held' once: the trigger refuses any change to a resolved row
--     and any change of a reservation's own values; the service's role cannot delete rows.
-- The migrator runs this script and its journal entry in one transaction.

ALTER TABLE inventory_items
    ADD COLUMN reserved bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT inventory_items_reserved_within_on_hand CHECK (reserved >= 0 AND reserved <= on_hand);

ALTER TABLE inventory_ledger
    ADD COLUMN reserved_before bigint NOT NULL DEFAULT 0,
    ADD COLUMN reserved_after  bigint NOT NULL DEFAULT 0 CHECK (reserved_after >= 0 AND reserved_after <= on_hand_after);

ALTER TABLE inventory_ledger DROP CONSTRAINT inventory_ledger_operation_check;
ALTER TABLE inventory_ledger ADD CONSTRAINT inventory_ledger_operation_check
    CHECK (operation IN ('create', 'receive', 'sell', 'return', 'adjust',
                         'reserve', 'reservation_commit', 'reservation_release', 'reservation_expire'));

CREATE TABLE inventory_reservations (
    tenant_id           text        NOT NULL,
    reservation_id      uuid        NOT NULL,
    sku                 text        NOT NULL,
    quantity            bigint      NOT NULL CHECK (quantity > 0),
    status              text        NOT NULL CHECK (status IN ('held', 'committed', 'released', 'expired')),
    -- What the commit sold (at most the quantity held); null unless committed.
    committed_quantity  bigint      NULL CHECK (committed_quantity > 0 AND committed_quantity <= quantity),
    reference           text        NULL,
    expires_at          timestamptz NOT NULL,
    created_at          timestamptz NOT NULL,
    resolved_at         timestamptz NULL,
    PRIMARY KEY (tenant_id, reservation_id),
    FOREIGN KEY (tenant_id, sku) REFERENCES inventory_items (tenant_id, sku),
    CHECK ((status = 'held') = (resolved_at IS NULL)),
    CHECK ((status = 'committed') = (committed_quantity IS NOT NULL))
);

-- A SKU's grain loads its held reservations when it activates; the expiry sweeper finds those that are due.
CREATE INDEX inventory_reservations_held_by_sku ON inventory_reservations (tenant_id, sku) WHERE status = 'held';
CREATE INDEX inventory_reservations_held_by_expiry ON inventory_reservations (expires_at) WHERE status = 'held';

CREATE FUNCTION reservation_resolves_once() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF OLD.status <> 'held' THEN
        RAISE EXCEPTION 'reservation % is already %', OLD.reservation_id, OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.tenant_id <> OLD.tenant_id OR NEW.reservation_id <> OLD.reservation_id OR NEW.sku <> OLD.sku
       OR NEW.quantity <> OLD.quantity OR NEW.expires_at <> OLD.expires_at OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'a reservation''s own values never change (reservation %)', OLD.reservation_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$body$;

CREATE TRIGGER inventory_reservations_resolve_once BEFORE UPDATE ON inventory_reservations
    FOR EACH ROW EXECUTE FUNCTION reservation_resolves_once();
GRANT SELECT, INSERT, UPDATE ON inventory_reservations TO furnitureops_app;
