using FurnitureOps.Grains.Events;
using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// At start, protects the secrets of subscriptions registered before secrets were protected at rest (migration
/// 0009). Each row is updated only while still in clear, so silos starting together protect each row once.
/// </summary>
public sealed partial class WebhookSecretProtection(NpgsqlDataSource dataSource, IWebhookSecrets secrets, ILogger<WebhookSecretProtection> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var clear = new List<(Guid Id, string Secret)>();
            await using (var select = dataSource.CreateCommand("SELECT id, secret FROM webhook_subscriptions WHERE NOT secret_protected"))
            await using (var reader = await select.ExecuteReaderAsync(stoppingToken))
            {
                while (await reader.ReadAsync(stoppingToken))
                {
                    clear.Add((reader.GetGuid(0), reader.GetString(1)));
                }
            }

            foreach (var (id, secret) in clear)
            {
                await using var update = dataSource.CreateCommand(
                    "UPDATE webhook_subscriptions SET secret = $2, secret_protected = true WHERE id = $1 AND NOT secret_protected");
                update.Parameters.Add(new() { Value = id });
                update.Parameters.Add(new() { Value = secrets.Protect(secret) });
                await update.ExecuteNonQueryAsync(stoppingToken);
            }

            if (clear.Count > 0)
            {
                LogProtected(logger, clear.Count);
            }
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            // Deliveries read clear rows as before; the next start tries again.
            LogNotProtected(logger, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Protected {Count} webhook secrets stored in clear")]
    private static partial void LogProtected(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not protect the webhook secrets stored in clear; the next start tries again")]
    private static partial void LogNotProtected(ILogger logger, Exception error);
}
