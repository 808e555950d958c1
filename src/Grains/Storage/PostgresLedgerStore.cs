using FurnitureOps.Grains.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace FurnitureOps.Grains.Storage;

/// <summary>
/// The part of a ledger commit every entity shares: one transaction holding the entity's own state and
/// ledger statements plus the audit, outbox and idempotency rows, sent as one batch.
/// The idempotency <c>scope</c> names the target grain inside the tenant (e.g. <c>sku:TABLE-1</c>).
/// </summary>
public abstract class PostgresLedgerStore<TState, TCommand, TReply>(
    PostgresStorage storage,
    string tenantId,
    string scope,
    string entityType,
    string entityId) : ILedgerStore<TState, TCommand, TReply>
    where TState : ILedgerState
{
    private const string UniqueViolation = "23505";

    // The state statements depend only on the entity's table and columns: built on first use, then reused.
    private string? _insertStateSql;
    private string? _updateStateSql;

    protected PostgresStorage Storage { get; } = storage;

    protected NpgsqlDataSource DataSource => Storage.DataSource;

    public string TenantId { get; } = tenantId;

    public string EntityType { get; } = entityType;

    /// <summary>The entity's own id within the tenant (the SKU code, the player id).</summary>
    protected string EntityId { get; } = entityId;

    public async Task<LedgerSnapshot<TState, TReply>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await Storage.Reads.ExecuteAsync(async token =>
        {
            await using var connection = await DataSource.OpenConnectionAsync(token);
            var state = await LoadStateAsync(connection, token);
            var records = await IdempotencyRows.LoadLiveAsync<TReply>(connection, TenantId, scope, now, token);
            return new LedgerSnapshot<TState, TReply>(state, records);
        }, cancellationToken);

    // Never retried here: if the outcome of a commit is unknown, the write path retires the activation instead.
    public async Task CommitAsync(LedgerCommit<TState, TCommand, TReply> commit, CancellationToken cancellationToken) =>
        await Storage.Writes.ExecuteAsync(token => new ValueTask(CommitOnceAsync(commit, token)), cancellationToken);

    private async Task CommitOnceAsync(LedgerCommit<TState, TCommand, TReply> commit, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);

        var guard = AddStateWrite(batch, commit.Committed.Version, commit.Final);
        foreach (var effect in commit.Effects)
        {
            AddLedgerRow(batch, effect);
            AddAuditRow(batch, effect);
            foreach (var domainEvent in effect.Events)
            {
                AddOutboxRow(batch, effect, domainEvent);
            }
        }

        var recordWrites = commit.Records.Select(record => IdempotencyRows.AddUpsert(batch, TenantId, scope, record)).ToList();

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException error) when (error.SqlState == UniqueViolation)
        {
            // A ledger version or live key we did not know about already exists: someone else wrote them.
            throw new LedgerConflictException($"{EntityType} {EntityId}: {error.MessageText}");
        }

        if (guard.RecordsAffected != 1)
        {
            throw new LedgerConflictException(
                $"{EntityType} {EntityId} is no longer at version {commit.Committed.Version}.");
        }

        if (recordWrites.Any(write => write.RecordsAffected != 1))
        {
            throw new LedgerConflictException($"{EntityType} {EntityId} has a live idempotency key this activation did not know.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Reads the entity's state row, or returns the empty state (version 0) if there is none.</summary>
    protected abstract Task<TState> LoadStateAsync(NpgsqlConnection connection, CancellationToken cancellationToken);

    /// <summary>The entity's state table, keyed (<c>tenant_id</c>, <see cref="KeyColumn"/>), with <c>version</c>, <c>created_at</c> and <c>updated_at</c>.</summary>
    protected abstract string StateTable { get; }

    /// <summary>The entity's key column in <see cref="StateTable"/>.</summary>
    protected abstract string KeyColumn { get; }

    /// <summary>The state row's own columns and values, <c>updated_at</c> included (not tenant, key or version).</summary>
    protected abstract IReadOnlyList<(string Column, object? Value)> StateColumns(TState state);

    /// <summary>Adds the entity's ledger row for one effect, with its values before and after.</summary>
    protected abstract void AddLedgerRow(NpgsqlBatch batch, LedgerEffect<TState, TCommand> effect);

    /// <summary>
    /// The version guard, for every entity: an insert when <paramref name="committedVersion"/> is 0 (nothing if the
    /// row appeared meanwhile), otherwise an update that only matches the row still at that version. The caller
    /// refuses the commit unless it affected exactly one row.
    /// </summary>
    private NpgsqlBatchCommand AddStateWrite(NpgsqlBatch batch, long committedVersion, TState final)
    {
        var columns = StateColumns(final);
        List<object?> values = [TenantId, EntityId, .. columns.Select(column => column.Value), final.Version];
        string sql;
        if (committedVersion == 0)
        {
            sql = _insertStateSql ??= BuildStateSql([.. columns.Select(column => column.Column)], insert: true);
        }
        else
        {
            sql = _updateStateSql ??= BuildStateSql([.. columns.Select(column => column.Column)], insert: false);
            values.Add(committedVersion);
        }

        var command = Statement(sql, [.. values]);
        batch.BatchCommands.Add(command);
        return command;
    }

    private string BuildStateSql(List<string> columns, bool insert)
    {
        var version = $"${columns.Count + 3}";
        return insert
            ? $"""
                INSERT INTO {StateTable} (tenant_id, {KeyColumn}, {string.Join(", ", columns)}, version, created_at)
                VALUES ($1, $2, {string.Join(", ", columns.Select((_, i) => $"${i + 3}"))}, {version}, ${columns.IndexOf("updated_at") + 3})
                ON CONFLICT (tenant_id, {KeyColumn}) DO NOTHING
                """
            : $"""
                UPDATE {StateTable}
                SET {string.Join(", ", columns.Select((column, i) => $"{column} = ${i + 3}"))}, version = {version}
                WHERE tenant_id = $1 AND {KeyColumn} = $2 AND version = ${columns.Count + 4}
                """;
    }

    /// <summary>The snapshot written to audit <c>before</c>/<c>after</c>; null where the entity did not exist.</summary>
    protected abstract object? AuditSnapshot(TState state);

    private void AddAuditRow(NpgsqlBatch batch, LedgerEffect<TState, TCommand> effect)
    {
        var before = AuditSnapshot(effect.Before);
        var after = AuditSnapshot(effect.After);
        batch.BatchCommands.Add(Statement(
            """
            INSERT INTO audit_log (tenant_id, recorded_at, actor, action, entity_type, entity_id, before, after, request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            TenantId, effect.At, effect.Context.Actor, effect.Action, EntityType, EntityId,
            Jsonb(before is null ? null : LedgerJson.SerializeObject(before)),
            Jsonb(after is null ? null : LedgerJson.SerializeObject(after)),
            effect.Context.RequestId));
    }

    private void AddOutboxRow(NpgsqlBatch batch, LedgerEffect<TState, TCommand> effect, DomainEvent domainEvent)
    {
        batch.BatchCommands.Add(Statement(
            """
            INSERT INTO outbox (event_id, tenant_id, event_type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at, request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            Guid.CreateVersion7(effect.At), TenantId, domainEvent.Type, EntityType, EntityId, effect.After.Version,
            Jsonb(LedgerJson.SerializeObject(domainEvent.Payload)), effect.At, effect.Context.RequestId));
    }

    /// <summary>A positional-parameter statement; <c>null</c> values become SQL NULL.</summary>
    protected static NpgsqlBatchCommand Statement(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    protected static NpgsqlParameter Jsonb(string? json) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)json ?? DBNull.Value };
}
