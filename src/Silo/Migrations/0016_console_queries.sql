-- 0016: indexes for the operators' queries (the console's lists).
--
--   * GET /v1/rating-slips/attention lists a tenant's completed slips whose accrual is pending or stalled
--     (RatingSlipGrain's row statuses accrual_pending and accrual_stalled), least recently changed first. Only
--     those rows are indexed: they are few, and the index costs nothing for slips that are open or accrued.
-- The migrator runs this script and its journal entry in one transaction.

CREATE INDEX rating_slips_awaiting_accrual ON rating_slips (tenant_id, updated_at, slip_id)
    WHERE status IN ('accrual_pending', 'accrual_stalled');
