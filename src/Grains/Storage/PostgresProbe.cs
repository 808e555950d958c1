using Npgsql;

namespace FurnitureOps.Grains.Storage;

/// <summary>Whether PostgreSQL answers a trivial query within a bound; the timer is always cleaned up.</summary>
public sealed class PostgresProbe(NpgsqlDataSource dataSource)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Null when PostgreSQL answered in time, otherwise why not.</summary>
    public async Task<string?> FailureAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(deadline.Token);
            return null;
        }
        catch (Exception error) when (error is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                ? $"PostgreSQL did not answer within {timeout.TotalSeconds:0.#} s."
                : $"PostgreSQL is unreachable: {error.Message}";
        }
    }
}
