using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Storage.Tables;
using Npgsql;

namespace FurnitureOps.Grains.Storage;

/// <summary>
/// What every ledger entity's store shares: reads through <see cref="PostgresStorage"/>, and commits handed to
/// the silo's <see cref="CommitPipeline"/> as rows described by the entity's <see cref="IEntityRows{TState,TCommand}"/>.
/// The idempotency <c>scope</c> names the target grain inside the tenant (e.g. <c>sku:TABLE-1</c>).
/// </summary>
public abstract class PostgresLedgerStore<TState, TCommand, TReply>(
    PostgresStorage storage,
    CommitPipeline pipeline,
    IEntityRows<TState, TCommand> rows,
    string tenantId,
    string entityId) : ILedgerStore<TState, TCommand, TReply>
    where TState : ILedgerState
{
    private readonly string _scope = $"{rows.Tables.EntityType}:{entityId}";

    protected PostgresStorage Storage { get; } = storage;

    protected NpgsqlDataSource DataSource => Storage.DataSource;

    public string TenantId { get; } = tenantId;

    public string EntityType => rows.Tables.EntityType;

    /// <summary>The entity's own id within the tenant (the SKU code, the player id).</summary>
    protected string EntityId { get; } = entityId;

    public async Task<TState> LoadStateAsync(CancellationToken cancellationToken) =>
        await Storage.Reads.ExecuteAsync(async token =>
        {
            await using var connection = await DataSource.OpenConnectionAsync(token);
            return await LoadStateAsync(connection, token);
        }, cancellationToken);

    public async Task<IReadOnlyList<IdempotencyRecord<TReply>>> LoadRecordsAsync(
        IReadOnlyCollection<string> keys, DateTimeOffset now, CancellationToken cancellationToken) =>
        await Storage.Reads.ExecuteAsync(
            async token => await IdempotencyRows.LoadLiveAsync<TReply>(DataSource, TenantId, _scope, keys, now, token),
            cancellationToken);

    public Task<CommitResult> CommitAsync(LedgerCommit<TState, TCommand, TReply> commit) =>
        pipeline.CommitAsync(new EntityWrite(
            rows.Tables,
            TenantId,
            EntityId,
            commit.Committed.Version,
            commit.Final.Version,
            rows.StateValues(commit.Final),
            [.. commit.Effects.Select(effect => (object?[])[TenantId, EntityId, effect.After.Version, .. rows.LedgerValues(effect)])],
            [.. commit.Effects.Select(AuditRow)],
            [.. commit.Effects.SelectMany(effect => effect.Events.Select(domainEvent => OutboxRow(effect, domainEvent)))],
            [.. commit.Records.Select(record => new IdempotencyRow(TenantId, _scope, record.Key, record.Fingerprint,
                LedgerJson.Serialize(record.Reply), record.CreatedAt, record.ExpiresAt))],
            rows.Tables.Children is null ? null : FinalChildRows(commit.Effects)));

    /// <summary>Each child row the flush changed, once, with its values after the last effect that changed it.</summary>
    private List<object?[]> FinalChildRows(IReadOnlyList<LedgerEffect<TState, TCommand>> effects)
    {
        var final = new Dictionary<object, object?[]>();
        foreach (var row in effects.SelectMany(rows.ChildValues))
        {
            final[row[1]!] = row; // the child key, after tenant_id
        }

        return [.. final.Values];
    }

    /// <summary>
    /// The SQL after a ledger read's <c>WHERE tenant_id = $1 AND {key} = $2 AND</c>: the rows after the version $3,
    /// oldest first, or (<paramref name="newestFirst"/>) before it, newest first. Either is a range of the ledger's
    /// primary key (tenant, entity, version), read forwards or backwards.
    /// </summary>
    protected static string LedgerPage(bool newestFirst) =>
        newestFirst ? "version < $3 ORDER BY version DESC LIMIT $4" : "version > $3 ORDER BY version LIMIT $4";

    /// <summary>Reads the entity's state row, or returns the empty state (version 0) if there is none.</summary>
    protected abstract Task<TState> LoadStateAsync(NpgsqlConnection connection, CancellationToken cancellationToken);

    private AuditRow AuditRow(LedgerEffect<TState, TCommand> effect) => new(
        TenantId, effect.At, effect.Context.Actor, effect.Action, EntityType, EntityId,
        Json(rows.AuditSnapshot(effect.Before)), Json(rows.AuditSnapshot(effect.After)), effect.Context.RequestId);

    private OutboxRow OutboxRow(LedgerEffect<TState, TCommand> effect, DomainEvent domainEvent) => new(
        Guid.CreateVersion7(effect.At), TenantId, domainEvent.Type, EntityType, EntityId, effect.After.Version,
        LedgerJson.SerializeObject(domainEvent.Payload), effect.At, effect.Context.RequestId);

    private static string? Json(object? snapshot) => snapshot is null ? null : LedgerJson.SerializeObject(snapshot);
}
