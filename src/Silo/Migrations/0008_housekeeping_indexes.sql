-- Housekeeping that used to scan whole tables, and one table that was never purged.
--
-- The janitor deletes finished deliveries older than Events:DeliveredRetention, oldest first; deleting a webhook
-- subscription cancels its pending deliveries. Both read only the rows they touch through these indexes.
CREATE INDEX event_deliveries_finished ON event_deliveries (created_at) WHERE status IN ('delivered', 'cancelled');
CREATE INDEX event_deliveries_pending_by_subscriber ON event_deliveries (subscriber) WHERE status = 'pending';

-- processed_events makes a consumer exactly-once when it applies events through deliveries. A delivery can be
-- made again only while its row exists, and finished rows are purged after Events:DeliveredRetention; so a
-- record older than that can never be needed again, and the janitor purges it after the same retention.
CREATE INDEX processed_events_age ON processed_events (processed_at);

-- The janitor picks its batches with SELECT … FOR UPDATE SKIP LOCKED (so silos never contend), which needs the
-- UPDATE privilege as well as DELETE. used_signatures lacked it, so as the application role its purge failed
-- every round and stopped the purges after it.
GRANT UPDATE, DELETE ON processed_events, used_signatures TO furnitureops_app;
