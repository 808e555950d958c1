-- 0001: Orleans ADO.NET clustering (membership table and gateway list) on PostgreSQL.
--
-- The Microsoft.Orleans.Clustering.AdoNet 10.x provider ships no SQL. On start it runs
-- `SELECT QueryKey, QueryText FROM OrleansQuery` (unquoted, so the table is lowercase here) and requires
-- the nine clustering keys below on silos and clients alike. Our own contract notes, per key:
--   * parameters are bound by name (@DeploymentId, @Address, @Port, @Generation, ...); times arrive as
--     UTC timestamptz, so every time column is timestamptz;
--   * result columns are read by name, case-insensitively (starttime matches StartTime);
--   * the membership reads must return at least one row: the version row, with NULL member columns
--     when there are no members;
--   * insert/update answer one boolean row and succeed only if the deployment's version still equals
--     @Version (the version Orleans last read), bumping it by one; they never raise on conflicts;
--   * the heartbeat neither checks nor bumps the version.
-- The migrator runs this script and its journal entry in one transaction.

CREATE TABLE orleansquery (
    querykey   varchar(64) PRIMARY KEY,
    querytext  text        NOT NULL
);

CREATE TABLE orleans_membership_version (
    deployment_id  text        PRIMARY KEY,
    version        integer     NOT NULL DEFAULT 0 CHECK (version >= 0),
    changed_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans_membership (
    deployment_id  text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address        text        NOT NULL,
    port           integer     NOT NULL,
    generation     integer     NOT NULL,
    silo_name      text        NOT NULL,
    host_name      text        NOT NULL,
    status         integer     NOT NULL,
    proxy_port     integer     NOT NULL,
    suspect_times  text        NULL,
    start_time     timestamptz NOT NULL,
    iamalive_time  timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', $sql$
    WITH created AS (
        INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM created)
$sql$),

('MembershipReadAllKey', $sql$
    SELECT v.version, m.address, m.port, m.generation, m.silo_name AS siloname, m.host_name AS hostname,
           m.status, m.proxy_port AS proxyport, m.suspect_times AS suspecttimes,
           m.start_time AS starttime, m.iamalive_time AS iamalivetime
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId
$sql$),

('MembershipReadRowKey', $sql$
    SELECT v.version, m.address, m.port, m.generation, m.silo_name AS siloname, m.host_name AS hostname,
           m.status, m.proxy_port AS proxyport, m.suspect_times AS suspecttimes,
           m.start_time AS starttime, m.iamalive_time AS iamalivetime
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
        AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId
$sql$),

-- The version row is locked (FOR UPDATE) so two writers expecting the same version cannot both win:
-- the second re-reads the bumped version after the first commits and matches nothing.
('InsertMembershipKey', $sql$
    WITH expected AS (
        SELECT deployment_id FROM orleans_membership_version
        WHERE deployment_id = @DeploymentId AND version = @Version
        FOR UPDATE),
    inserted AS (
        INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name,
                                        status, proxy_port, start_time, iamalive_time)
        SELECT deployment_id, @Address, @Port, @Generation, coalesce(@SiloName, ''), @HostName,
               @Status, @ProxyPort, @StartTime, @IAmAliveTime
        FROM expected
        ON CONFLICT DO NOTHING
        RETURNING deployment_id),
    bumped AS (
        UPDATE orleans_membership_version v SET version = v.version + 1, changed_at = now()
        FROM inserted WHERE v.deployment_id = inserted.deployment_id
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM bumped)
$sql$),

('UpdateMembershipKey', $sql$
    WITH expected AS (
        SELECT deployment_id FROM orleans_membership_version
        WHERE deployment_id = @DeploymentId AND version = @Version
        FOR UPDATE),
    updated AS (
        UPDATE orleans_membership m
        SET status = @Status, suspect_times = @SuspectTimes, iamalive_time = @IAmAliveTime
        FROM expected
        WHERE m.deployment_id = expected.deployment_id
          AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
        RETURNING m.deployment_id),
    bumped AS (
        UPDATE orleans_membership_version v SET version = v.version + 1, changed_at = now()
        FROM updated WHERE v.deployment_id = updated.deployment_id
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM bumped)
$sql$),

('UpdateIAmAlivetimeKey', $sql$
    UPDATE orleans_membership SET iamalive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$sql$),

-- Status 3 is Active; silos without a gateway advertise proxy port 0 and are not gateways.
('GatewaysQueryKey', $sql$
    SELECT address, proxy_port AS proxyport, generation
    FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$sql$),

-- Member rows go with their version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $sql$
    DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$sql$),

-- Status 6 is Dead. Only rows dead and silent since before the cutoff are removed.
('CleanupDefunctSiloEntriesKey', $sql$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = 6
      AND iamalive_time < @IAmAliveTime AND start_time < @IAmAliveTime
$sql$),

-- Optional in 10.4 (preferred when present): a compare-and-delete of one dead row, so a row that changed
-- since the cleanup agent read it survives.
('CleanupDefunctSiloEntryKey', $sql$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
      AND status = 6 AND start_time = @StartTime AND iamalive_time = @IAmAliveTime
      AND suspect_times IS NOT DISTINCT FROM @SuspectTimes
$sql$);
