-- 0004: Orleans ADO.NET grain persistence and reminders on PostgreSQL (rating-slip grains use both).
--
-- Microsoft.Orleans.Persistence.AdoNet / Reminders.AdoNet 10.x ship no SQL; they read these query keys from
-- orleansquery (see 0001). Our own contract notes:
--   persistence: the grain is identified by service id, type string, the two key numbers and the key
--   extension (the whole key for string keys). Write/clear answer exactly one row holding the new version,
--   or NULL when the expected version (@GrainStateVersion, NULL on a first write) does not match: Orleans
--   reads NULL, or the old version, as a conflict. A missing row would look like success, so one row always.
--   reminders: one row per (service, grain, reminder name) with a version bumped on every upsert; range
--   reads by the signed grain hash; deletes answer one boolean row.
-- The migrator runs this script and its journal entry in one transaction.

CREATE TABLE orleans_storage (
    service_id                 text        NOT NULL,
    grain_type_string          text        NOT NULL,
    grain_type_hash            integer     NOT NULL,
    grain_id_hash              integer     NOT NULL,
    grain_id_n0                bigint      NOT NULL,
    grain_id_n1                bigint      NOT NULL,
    grain_id_extension_string  text        NULL,
    payload_binary             bytea       NULL,
    version                    integer     NOT NULL CHECK (version >= 1),
    modified_on                timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX orleans_storage_grain ON orleans_storage
    (service_id, grain_type_string, grain_id_n0, grain_id_n1, coalesce(grain_id_extension_string, ''));

CREATE TABLE orleans_reminders (
    service_id     text        NOT NULL,
    grain_id       text        NOT NULL,
    reminder_name  text        NOT NULL,
    start_time     timestamptz NOT NULL,
    period         bigint      NOT NULL,
    grain_hash     integer     NOT NULL,
    version        integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminders_by_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $sql$
    SELECT payload_binary AS payloadbinary, version
    FROM orleans_storage
    WHERE service_id = @ServiceId AND grain_type_string = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND coalesce(grain_id_extension_string, '') = coalesce(@GrainIdExtensionString, '')
$sql$),

('WriteToStorageKey', $sql$
    WITH inserted AS (
        INSERT INTO orleans_storage (service_id, grain_type_string, grain_type_hash, grain_id_hash, grain_id_n0,
                                     grain_id_n1, grain_id_extension_string, payload_binary, version)
        SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1,
               @GrainIdExtensionString, @PayloadBinary, 1
        WHERE @GrainStateVersion IS NULL
        ON CONFLICT DO NOTHING
        RETURNING version),
    updated AS (
        UPDATE orleans_storage SET payload_binary = @PayloadBinary, version = version + 1, modified_on = now()
        WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
          AND service_id = @ServiceId AND grain_type_string = @GrainTypeString
          AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
          AND coalesce(grain_id_extension_string, '') = coalesce(@GrainIdExtensionString, '')
        RETURNING version)
    SELECT (SELECT version FROM inserted UNION ALL SELECT version FROM updated) AS newgrainstateversion
$sql$),

('ClearStorageKey', $sql$
    WITH cleared AS (
        UPDATE orleans_storage SET payload_binary = NULL, version = version + 1, modified_on = now()
        WHERE version = @GrainStateVersion
          AND service_id = @ServiceId AND grain_type_string = @GrainTypeString
          AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
          AND coalesce(grain_id_extension_string, '') = coalesce(@GrainIdExtensionString, '')
        RETURNING version)
    SELECT (SELECT version FROM cleared) AS newgrainstateversion
$sql$),

('ReadReminderRowsKey', $sql$
    SELECT grain_id AS grainid, reminder_name AS remindername, start_time AS starttime, period, version
    FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId
$sql$),

('ReadReminderRowKey', $sql$
    SELECT grain_id AS grainid, reminder_name AS remindername, start_time AS starttime, period, version
    FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$sql$),

-- The ring range (@BeginHash, @EndHash]: Orleans uses this key when it does not wrap around in signed order...
('ReadRangeRows1Key', $sql$
    SELECT grain_id AS grainid, reminder_name AS remindername, start_time AS starttime, period, version
    FROM orleans_reminders WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$sql$),

-- ...and this one when it does (including the whole ring, begin = end).
('ReadRangeRows2Key', $sql$
    SELECT grain_id AS grainid, reminder_name AS remindername, start_time AS starttime, period, version
    FROM orleans_reminders WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$sql$),

('UpsertReminderRowKey', $sql$
    INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
        SET start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash,
            version = orleans_reminders.version + 1
    RETURNING version
$sql$),

('DeleteReminderRowKey', $sql$
    WITH deleted AS (
        DELETE FROM orleans_reminders
        WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM deleted)
$sql$),

('DeleteReminderRowsKey', $sql$
    DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$sql$);
