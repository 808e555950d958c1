using FurnitureOps.Grains.Pos;
using FurnitureOps.Grains.RatingSlips;
using FurnitureOps.Grains.Sagas;
using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace FurnitureOps.Silo.Sagas;

/// <summary>
/// Once at startup, carries over the sagas that releases before the saga tables kept in Orleans grain storage:
/// it activates each one still there (its grain moves it into its table and deletes the old state, see
/// <see cref="LegacySagaStorage"/>) and resumes it if unfinished. When none is left, activations stop
/// looking in grain storage. Every silo runs it; a saga activates on one silo only, so they cannot collide.
/// </summary>
public sealed partial class LegacySagaImport(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    LegacySagaStorage legacy,
    IOptions<ClusterOptions> cluster,
    IHostApplicationLifetime lifetime,
    ILogger<LegacySagaImport> logger) : BackgroundService
{
    private const int BatchSize = 500;

    // Grain storage's state name per kind of saga, with the grain that owns such a saga.
    private static readonly (string StateName, SagaKind Kind)[] Sources =
    [
        (LegacySagaStorage.PosEvents.StateName, SagaKinds.All.Single(kind => kind.Table == PosEventGrain.Table)),
        (LegacySagaStorage.Slips.StateName, SagaKinds.All.Single(kind => kind.Table == RatingSlipGrain.Table)),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls need the silo running, which is a hosted service of its own.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            // A saga that is still there after its grain was called could not be moved (logged); it is not
            // tried again in this run, and a batch of only such sagas ends it.
            var tried = new HashSet<string>(StringComparer.Ordinal);
            for (var batch = await LeftAsync(stoppingToken); batch.Count > 0; batch = await LeftAsync(stoppingToken))
            {
                var fresh = batch.Where(saga => tried.Add(saga.Key)).ToList();
                if (fresh.Count == 0)
                {
                    LogStopped(logger, batch.Count);
                    return; // activations keep looking in grain storage; the next start tries these again
                }

                foreach (var (kind, key) in fresh)
                {
                    try
                    {
                        await kind.Grain(grains, key).ResumeAsync();
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        LogSagaNotMoved(logger, error, kind.Table.Name, key);
                    }
                }
            }

            legacy.Emptied();
            if (tried.Count > 0)
            {
                LogMoved(logger, tried.Count);
            }
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            LogStopped(logger, error);
        }
    }

    /// <summary>The next sagas still in grain storage: their kind and grain key (the storage's key extension).</summary>
    private async Task<List<(SagaKind Kind, string Key)>> LeftAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.Command(
            """
            SELECT grain_type_string, grain_id_extension_string FROM orleans_storage
            WHERE service_id = $1 AND grain_type_string = ANY($2) AND grain_id_extension_string IS NOT NULL
              AND payload_binary IS NOT NULL -- a moved saga's state is cleared to null, its row kept
            LIMIT $3
            """, cluster.Value.ServiceId, Sources.Select(source => source.StateName).ToArray(), BatchSize);
        var left = new List<(SagaKind, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stateName = reader.GetString(0);
            left.Add((Sources.Single(source => source.StateName == stateName).Kind, reader.GetString(1)));
        }

        return left;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} sagas from Orleans grain storage into their tables")]
    private static partial void LogMoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moving the saga of {Table} row {Key} from grain storage failed; the next startup retries it")]
    private static partial void LogSagaNotMoved(ILogger logger, Exception error, string table, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped moving sagas from grain storage: {Count} could not be moved; the next startup retries them")]
    private static partial void LogStopped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped moving sagas from grain storage; the next startup retries")]
    private static partial void LogStopped(ILogger logger, Exception error);
}
