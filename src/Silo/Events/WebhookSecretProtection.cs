using FurnitureOps.Grains.Events;
using FurnitureOps.Grains.Storage.Tables;
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
            var clear = new RowSet([TableColumn.Uuid("id"), TableColumn.Text("secret")]);
            await using (var select = dataSource.CreateCommand("SELECT id, secret FROM webhook_subscriptions WHERE NOT secret_protected"))
            await using (var reader = await select.ExecuteReaderAsync(stoppingToken))
            {
                while (await reader.ReadAsync(stoppingToken))
                {
                    clear.Add(reader.GetGuid(0), secrets.Protect(reader.GetString(1)));
                }
            }

            if (clear.Count == 0)
            {
                return;
            }

            await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
            await using var update = clear.Command(
                """
                UPDATE webhook_subscriptions s SET secret = r.secret, secret_protected = true
                FROM unnest($1::uuid[], $2::text[]) AS r(id, secret)
                WHERE s.id = r.id AND NOT s.secret_protected
                """, connection, transaction: null);
            var protectedRows = await update.ExecuteNonQueryAsync(stoppingToken);
            LogProtected(logger, protectedRows);
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
