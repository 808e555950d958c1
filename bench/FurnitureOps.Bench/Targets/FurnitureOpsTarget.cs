using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FurnitureOps.Api.Auth;
using Npgsql;

namespace FurnitureOps.Bench.Targets;

/// <summary>FurnitureOps over HTTP: every caller is a principal of its own (a development token per tenant and client).</summary>
public sealed class FurnitureOpsTarget(FurnitureOpsService service, NpgsqlDataSource database, string databaseName, Statements statements, int maxConnections)
    : HttpTarget("FurnitureOps", service.ApiAddress, maxConnections)
{
    private readonly ConcurrentDictionary<(string Tenant, int Client), string> _tokens = new();

    public override void Identify(HttpRequestMessage request, string tenant, int client) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.GetOrAdd((tenant, client), key =>
            DevTokens.Issue(service.SigningKey, key.Tenant, $"bench-client-{key.Client}", Scopes.All, TimeSpan.FromHours(2))));

    /// <summary>Through the API (as an operator would), 16 at a time.</summary>
    public override async Task CreateSkusAsync(string tenant, IReadOnlyList<string> skus, long onHand) =>
        await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (sku, cancel) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/inventory")
            {
                Content = JsonContent.Create(new { sku, name = "Bench chair", onHand }),
            };
            request.Headers.Add("Idempotency-Key", $"create-{sku}");
            Identify(request, tenant, 0);
            using var response = await Http.SendAsync(request, cancel);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Creating {sku} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancel)}");
            }
        });

    public override Task<Effects> CountEffectsAsync(string tenant, EffectKind kind) => CountEffectsAsync(database, tenant, kind);

    public override Task<long> WritePathStatementsAsync() => WritePathStatementsAsync(statements, databaseName);

    public override async Task<FlushTotals?> FlushTotalsAsync() => await service.FlushTotalsAsync();

    public override async Task<long?> RateLimitGrainCallsAsync() => await service.RateLimitGrainCallsAsync();

    public override string? ConnectionHolder(string applicationName) => FurnitureOpsService.ConnectionHolder(applicationName);

    /// <summary>The tenant's rows of <paramref name="kind"/> in FurnitureOps' ledgers.</summary>
    public static Task<Effects> CountEffectsAsync(NpgsqlDataSource database, string tenant, EffectKind kind) =>
        CountEffectsAsync(database, tenant, kind, stockLedger: "inventory_ledger", loyaltyLedger: "loyalty_ledger");

    /// <summary>
    /// Statements on the write path's tables; the background workers (relay, deliveries, membership) touch
    /// others. Of <c>inventory_reservations</c> only the writes count: the expiry sweeper polls it every second
    /// whatever the load, as the relay polls the outbox.
    /// </summary>
    public static Task<long> WritePathStatementsAsync(Statements statements, string databaseName) =>
        statements.CountAsync(databaseName, @"inventory_items|inventory_ledger|insert into inventory_reservations|loyalty_players|loyalty_ledger|idempotency");
}
