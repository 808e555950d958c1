-- 0017: the operators' list of POS events still pending.
--
-- A POS event whose step keeps failing (storage down, a SKU overloaded) stays unfinished, retried by the
-- sagas' sweeper with backoff; its pos_events row is 'pending', or 'compensating' when a refused line is being
-- undone. Operators list those per tenant, oldest first (GET /v1/pos/pending), next to the events that need
-- attention, and may run one's steps at once (POST /v1/pos/events/{id}/retry). This index serves that list
-- without reading the tenant's finished events, which are kept for Sagas:FinishedRetention.
-- The migrator runs this script and its journal entry in one transaction.

CREATE INDEX pos_events_pending ON pos_events (tenant_id, created_at, event_id) WHERE status IN ('pending', 'compensating');
