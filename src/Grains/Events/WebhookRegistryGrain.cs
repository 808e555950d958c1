using System.Security.Cryptography;
using System.Text;
using FurnitureOps.Grains.Interfaces.Events;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Storage;
using Npgsql;
using NpgsqlTypes;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Events;

/// <summary>
/// Webhook subscriptions in <c>webhook_subscriptions</c>. A subscription's id is derived from tenant and
/// idempotency key, so a retried registration finds the row it created instead of making a second one. The
/// secret is stored protected (<see cref="IWebhookSecrets"/>) and never read back here.
/// </summary>
[StatelessWorker]
public sealed class WebhookRegistryGrain(PostgresStorage storage, GrainClock clock, IWebhookSecrets secrets) : Grain, IWebhookRegistryGrain
{
    private const string Columns = "id, url, event_types, created_by, created_at, fingerprint";

    // Single-shot: the write pipeline never retries, so a lost acknowledgement surfaces as 503 and the client's
    // retry with the same key finds the row.
    public async Task<CommandOutcome<WebhookSubscription>> RegisterAsync(string tenantId, WebhookRegistration registration, CommandContext context) =>
        await storage.Writes.ExecuteAsync(async token =>
        {
            var id = SubscriptionId(tenantId, context.IdempotencyKey);
            await using (var insert = storage.DataSource.Command(
                $"""
                INSERT INTO webhook_subscriptions (id, tenant_id, url, event_types, secret, secret_protected, fingerprint, created_by, created_at)
                VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8)
                ON CONFLICT (id) DO NOTHING
                RETURNING {Columns}
                """,
                id, tenantId, registration.Url,
                new NpgsqlParameter { Value = registration.EventTypes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                secrets.Protect(registration.Secret), context.Fingerprint, context.Actor, clock.Time.GetUtcNow()))
            {
                if (await ReadOneAsync(insert, token) is { } created)
                {
                    return new CommandOutcome<WebhookSubscription>(created.Subscription, IdempotencyStatus.Fresh);
                }
            }

            await using var existing = storage.DataSource.Command($"SELECT {Columns} FROM webhook_subscriptions WHERE id = $1", id);
            var earlier = await ReadOneAsync(existing, token) ?? throw new InvalidOperationException($"Webhook subscription {id} vanished.");
            return earlier.Fingerprint == context.Fingerprint
                ? new CommandOutcome<WebhookSubscription>(earlier.Subscription, IdempotencyStatus.Replayed)
                : new CommandOutcome<WebhookSubscription>(null, IdempotencyStatus.KeyReused);
        }, CancellationToken.None);

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(string tenantId) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.Command(
                $"SELECT {Columns} FROM webhook_subscriptions WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY created_at, id", tenantId);
            var subscriptions = new List<WebhookSubscription>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                subscriptions.Add(Read(reader).Subscription);
            }

            return (IReadOnlyList<WebhookSubscription>)subscriptions;
        }, CancellationToken.None);

    // Idempotent: deleting twice finds nothing live the second time.
    public async Task<bool> DeleteAsync(string tenantId, Guid subscriptionId) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.Command(
                """
                WITH deleted AS (
                    UPDATE webhook_subscriptions SET deleted_at = now()
                    WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL
                    RETURNING id),
                cancelled AS (
                    UPDATE event_deliveries SET status = 'cancelled', last_error = 'the webhook subscription was deleted'
                    WHERE subscriber = 'webhook:' || $1::text AND status = 'pending' AND EXISTS (SELECT FROM deleted))
                SELECT count(*) FROM deleted
                """, subscriptionId, tenantId);
            return Convert.ToInt64(await command.ExecuteScalarAsync(token)) == 1;
        }, CancellationToken.None);

    private static Guid SubscriptionId(string tenantId, string idempotencyKey) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"webhook\n{tenantId}\n{idempotencyKey}")).AsSpan(0, 16));

    private static async Task<Row?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static Row Read(NpgsqlDataReader reader) => new(
        new WebhookSubscription(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4)),
        reader.GetString(5));

    private sealed record Row(WebhookSubscription Subscription, string Fingerprint);
}
