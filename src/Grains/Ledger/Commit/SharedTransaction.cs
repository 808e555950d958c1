using FurnitureOps.Grains.Storage.Tables;
using Npgsql;

namespace FurnitureOps.Grains.Ledger.Commit;

/// <summary>
/// The writes of many grains in ONE PostgreSQL transaction, with a constant number of statements: per kind of
/// entity one guarded state update, one insert of new entities and one ledger insert; then one idempotency
/// upsert, one audit insert and one outbox insert for everyone. All of them go in one round trip, the COMMIT in
/// a second.
/// </summary>
/// <remarks>
/// <para>Every statement that can find another writer's rows says which rows it wrote (<c>RETURNING</c>): the
/// state guard only matches rows still at the grain's version, new entities and ledger rows skip rows that
/// already exist, and an idempotency record only replaces an expired one. A grain is isolated by what comes
/// back: if any of its rows is missing, the transaction is rolled back, that grain alone is told why
/// (<see cref="CommitStatus.Conflict"/> or <see cref="CommitStatus.KeysLive"/>), and the pipeline commits the
/// others again at once without it. Both cases are rare (a duplicate activation; a resend of a key the grain no
/// longer holds in memory), so the common transaction needs no savepoints and no per-grain statement.</para>
/// <para>Any error fails the whole transaction: nothing of it is committed, and the pipeline fails every write.</para>
/// </remarks>
internal static class SharedTransaction
{
    /// <summary>
    /// Runs the transaction. Returns one result per write: all <see cref="CommitResult.Committed"/> when it
    /// committed; otherwise it was rolled back, and the writes that passed every check have <c>null</c> (commit
    /// them again without the others).
    /// </summary>
    public static async Task<CommitResult?[]> RunAsync(NpgsqlConnection connection, IReadOnlyList<EntityWrite> writes, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var statements = Build(writes, batch);

        var written = new Written();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            for (var i = 0; i < statements.Count; i++)
            {
                if (i > 0 && !await reader.NextResultAsync(cancellationToken))
                {
                    throw new InvalidOperationException($"Statement {i} of the shared transaction returned no rows description.");
                }

                while (await reader.ReadAsync(cancellationToken))
                {
                    written.Add(statements[i], reader);
                }
            }

            // The remaining statements (audit, outbox) return nothing; reading on surfaces any error they raise.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }

        var results = writes.Select(written.Judge).ToArray();
        if (results.All(result => result is null))
        {
            await transaction.CommitAsync(cancellationToken);
            return [.. writes.Select(_ => CommitResult.Committed)];
        }

        await transaction.RollbackAsync(cancellationToken);
        return results;
    }

    /// <summary>Adds the statements to the batch, those that return rows first, and says what each one's rows confirm.</summary>
    private static List<Returned> Build(IReadOnlyList<EntityWrite> writes, NpgsqlBatch batch)
    {
        var returning = new List<Returned>();
        foreach (var kind in writes.GroupBy(write => write.Tables))
        {
            var tables = kind.Key;
            var updates = new RowSet(tables.UpdateColumns);
            var inserts = new RowSet(tables.InsertColumns);
            var ledger = new RowSet(tables.LedgerRowColumns);
            var children = tables.Children is { } childTable ? new RowSet(childTable.Columns) : null;
            foreach (var write in kind)
            {
                if (write.CommittedVersion == 0)
                {
                    inserts.Add([write.TenantId, write.EntityId, write.FinalVersion, .. write.FinalState]);
                }
                else
                {
                    updates.Add([write.TenantId, write.EntityId, write.CommittedVersion, write.FinalVersion, .. write.FinalState]);
                }

                foreach (var row in write.LedgerRows)
                {
                    ledger.Add(row);
                }

                foreach (var row in write.Children)
                {
                    (children ?? throw new InvalidOperationException($"A {tables.EntityType} write carries child rows, but the kind has none.")).Add(row);
                }
            }

            AddIfAny(batch, returning, inserts, tables.InsertStateSql, new Returned(Confirms.State, tables));
            AddIfAny(batch, returning, updates, tables.UpdateStateSql, new Returned(Confirms.State, tables));
            if (ledger.Count > 0)
            {
                var sql = tables.InsertLedgerSql ?? throw new InvalidOperationException($"A {tables.EntityType} write carries ledger rows, but the kind has no ledger.");
                AddIfAny(batch, returning, ledger, sql, new Returned(Confirms.Ledger, tables));
            }

            if (children is not null)
            {
                AddIfAny(batch, returning, children, tables.Children!.UpsertSql, new Returned(Confirms.Child, tables));
            }
        }

        var records = IdempotencyRows.NewSet();
        var audit = AuditRows.NewSet();
        var outbox = OutboxRows.NewSet();
        foreach (var write in writes)
        {
            foreach (var record in write.Records)
            {
                IdempotencyRows.Add(records, record);
            }

            foreach (var row in write.AuditRows)
            {
                AuditRows.Add(audit, row);
            }

            foreach (var row in write.OutboxRows)
            {
                OutboxRows.Add(outbox, row);
            }
        }

        if (records.Count > 0)
        {
            batch.BatchCommands.Add(IdempotencyRows.Upsert(records));
            returning.Add(new Returned(Confirms.Record, null));
        }

        if (audit.Count > 0)
        {
            batch.BatchCommands.Add(AuditRows.Insert(audit));
        }

        if (outbox.Count > 0)
        {
            batch.BatchCommands.Add(OutboxRows.Insert(outbox));
        }

        return returning;
    }

    private static void AddIfAny(NpgsqlBatch batch, List<Returned> returning, RowSet rows, string sql, Returned returned)
    {
        if (rows.Count > 0)
        {
            batch.BatchCommands.Add(rows.Statement(sql));
            returning.Add(returned);
        }
    }

    private enum Confirms
    {
        State,
        Ledger,
        Child,
        Record,
    }

    /// <summary>A statement that returns the keys of the rows it wrote: state and ledger rows by (tenant, entity), records by (tenant, scope, key).</summary>
    private sealed record Returned(Confirms What, EntityTables? Tables);

    /// <summary>What the statements say they wrote, and the verdict on each write.</summary>
    private sealed class Written
    {
        private readonly HashSet<(EntityTables, string, string)> _states = [];
        private readonly Dictionary<(EntityTables, string, string), int> _ledgerRows = [];
        private readonly Dictionary<(EntityTables, string, string), int> _childRows = [];
        private readonly HashSet<(string, string, string)> _records = [];

        public void Add(Returned statement, NpgsqlDataReader row)
        {
            switch (statement.What)
            {
                case Confirms.State:
                    _states.Add((statement.Tables!, row.GetString(0), row.GetString(1)));
                    break;
                case Confirms.Ledger:
                    var entity = (statement.Tables!, row.GetString(0), row.GetString(1));
                    _ledgerRows[entity] = _ledgerRows.GetValueOrDefault(entity) + 1;
                    break;
                case Confirms.Child:
                    var owner = (statement.Tables!, row.GetString(0), row.GetString(1));
                    _childRows[owner] = _childRows.GetValueOrDefault(owner) + 1;
                    break;
                case Confirms.Record:
                    _records.Add((row.GetString(0), row.GetString(1), row.GetString(2)));
                    break;
            }
        }

        /// <summary>Null when every row of the write was written; otherwise why the write may not commit.</summary>
        public CommitResult? Judge(EntityWrite write)
        {
            var entity = (write.Tables, write.TenantId, write.EntityId);
            if (!_states.Contains(entity))
            {
                return CommitResult.Conflict(write.CommittedVersion == 0
                    ? $"{write.Tables.EntityType} {write.EntityId} was created by another writer."
                    : $"{write.Tables.EntityType} {write.EntityId} is no longer at version {write.CommittedVersion}.");
            }

            if (_ledgerRows.GetValueOrDefault(entity) != write.LedgerRows.Count)
            {
                return CommitResult.Conflict($"{write.Tables.EntityType} {write.EntityId} already has ledger rows this activation did not write.");
            }

            if (_childRows.GetValueOrDefault(entity) != write.Children.Count)
            {
                return CommitResult.Conflict($"{write.Tables.EntityType} {write.EntityId} has child rows another writer changed first.");
            }

            var live = write.Records.Where(record => !_records.Contains((record.TenantId, record.Scope, record.Key)))
                .Select(record => record.Key).ToList();
            return live.Count > 0 ? CommitResult.KeysLive(live) : null;
        }
    }
}
