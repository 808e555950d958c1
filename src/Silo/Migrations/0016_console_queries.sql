-- 0016: indexes for the operators' queries (the console's lists and searches).
--
--   * GET /v1/rating-slips/attention lists a tenant's completed slips whose accrual is pending or stalled
--     (RatingSlipGrain's row statuses accrual_pending and accrual_stalled), least recently changed first. Only
--     those rows are indexed: they are few, and the index costs nothing for slips that are open or accrued.
--   * GET /v1/audit?requestId= finds the rows one request caused: audit_log_by_request.
--   * GET /v1/audit?entityId= without entityType scanned the tenant's whole log: audit_log_by_entity led with
--     entity_type. audit_log_by_entity_id (tenant, entity id, id) serves entityId with or without a type (the
--     type is a filter over that entity's rows) and replaces it, so audit_log, written on every effect, has one
--     index more than before (four with its primary key), not two. entityType alone is a filter over the
--     tenant's rows in id order, as an unfiltered page is: cheap for a common type, a long read for a rare one.
--
-- Locks: CREATE INDEX (not CONCURRENTLY, which cannot run in the migrator's transaction) holds a SHARE lock on
-- its table until this script commits, so WRITES TO audit_log WAIT WHILE ITS TWO INDEXES BUILD (every effect
-- writes an audit row: sales, accruals, holds all stall), for a time that grows with audit_log's size; reads
-- go on, except during DROP INDEX's brief exclusive lock. rating_slips' writes wait for its (small) index
-- likewise. On a large audit_log, build the indexes beforehand with CREATE INDEX CONCURRENTLY under the same
-- names (docs/operations.md): IF NOT EXISTS then finds them and this script only drops the old index.
-- The migrator runs this script and its journal entry in one transaction.

CREATE INDEX IF NOT EXISTS rating_slips_awaiting_accrual ON rating_slips (tenant_id, updated_at, slip_id)
    WHERE status IN ('accrual_pending', 'accrual_stalled');

CREATE INDEX IF NOT EXISTS audit_log_by_request ON audit_log (tenant_id, request_id, id);
CREATE INDEX IF NOT EXISTS audit_log_by_entity_id ON audit_log (tenant_id, entity_id, id);
DROP INDEX audit_log_by_entity;
