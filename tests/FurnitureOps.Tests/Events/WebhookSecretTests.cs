using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Events;

/// <summary>
/// Webhook secrets are not readable at rest: registration stores them protected (Data Protection, its key ring in
/// <c>data_protection_keys</c>), a secret stored in clear before is protected when a silo starts, and deliveries
/// are still signed with the secret itself, whichever silo makes them.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class WebhookSecretTests(ApiFixture api)
{
    private static readonly string[] InventoryEvents = ["inventory.*"];
    private readonly string _tenant = $"t-{Guid.NewGuid():N}";
    private readonly string _secret = $"secret-{Guid.NewGuid():N}";

    [Fact]
    public async Task ARegisteredSecretIsStoredProtectedAndDeliveriesAreSignedWithIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => Task.FromResult(204));
        var client = api.Client(_tenant);
        var response = await client.PostJsonAsync("/v1/webhooks", new { url = receiver.Url, eventTypes = InventoryEvents, secret = _secret });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var (stored, isProtected) = await StoredSecretAsync();
        Assert.True(isProtected);
        Assert.DoesNotContain(_secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, await KeyRingAsync(), StringComparison.Ordinal);

        await CreateSkuAsync(client);
        await Poll.UntilAsync(() => Task.FromResult(!receiver.Received.IsEmpty), "the event is delivered");
        Assert.True(WebhookSignatures.Verify(receiver.Received.First(), _secret));
    }

    [Fact]
    public async Task ASecretStoredInClearIsProtectedWhenASiloStartsAndStillSigns()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => Task.FromResult(204));
        await using (var insert = api.Database.CreateCommand(
            """
            INSERT INTO webhook_subscriptions (id, tenant_id, url, event_types, secret, fingerprint, created_by, created_at)
            VALUES (gen_random_uuid(), $1, $2, '{inventory.*}', $3, 'before-0009', 'staff-1', now())
            """)) // as a subscription registered before migration 0009 was stored
        {
            insert.Parameters.Add(new() { Value = _tenant });
            insert.Parameters.Add(new() { Value = receiver.Url });
            insert.Parameters.Add(new() { Value = _secret });
            await insert.ExecuteNonQueryAsync();
        }

        var second = await SiloHost.StartAsync(api.ConnectionString, api.ClusterId);
        try
        {
            await Poll.UntilAsync(async () => (await StoredSecretAsync()).Protected, "the starting silo protects the secret");
            Assert.DoesNotContain(_secret, (await StoredSecretAsync()).Stored, StringComparison.Ordinal);

            await CreateSkuAsync(api.Client(_tenant));
            await Poll.UntilAsync(() => Task.FromResult(!receiver.Received.IsEmpty), "the event is delivered");
            Assert.True(WebhookSignatures.Verify(receiver.Received.First(), _secret));
        }
        finally
        {
            await second.StopAsync();
            await second.DisposeAsync();
        }
    }

    private static async Task CreateSkuAsync(HttpClient client) =>
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/v1/inventory", new { sku = "CHAIR-1", name = "Oak chair", onHand = 5 })).StatusCode);

    private async Task<(string Stored, bool Protected)> StoredSecretAsync()
    {
        await using var command = api.Database.CreateCommand("SELECT secret, secret_protected FROM webhook_subscriptions WHERE tenant_id = $1");
        command.Parameters.Add(new() { Value = _tenant });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetBoolean(1));
    }

    private async Task<string> KeyRingAsync()
    {
        await using var command = api.Database.CreateCommand("SELECT coalesce(string_agg(xml, ''), '') FROM data_protection_keys");
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
