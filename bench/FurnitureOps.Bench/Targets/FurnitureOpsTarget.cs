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

    public override Task<Effects> CountEffectsAsync(string tenant, bool loyalty) => CountEffectsAsync(database, tenant, loyalty);

    public override Task<long> WritePathStatementsAsync() => WritePathStatementsAsync(statements, databaseName);

    public override async Task<FlushTotals?> FlushTotalsAsync() => await service.FlushTotalsAsync();

    public override async Task<long?> RateLimitGrainCallsAsync() => await service.RateLimitGrainCallsAsync();

    public override string? ConnectionHolder(string applicationName) => FurnitureOpsService.ConnectionHolder(applicationName);

    /// <summary>Sale or loyalty rows of the tenant in FurnitureOps' ledgers.</summary>
    public static async Task<Effects> CountEffectsAsync(NpgsqlDataSource database, string tenant, bool loyalty)
    {
        var sql = loyalty
            ? "SELECT count(*), count(DISTINCT idempotency_key) FROM loyalty_ledger WHERE tenant_id = $1"
            : "SELECT count(*), count(DISTINCT idempotency_key) FROM inventory_ledger WHERE tenant_id = $1 AND operation = 'sell'";
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new() { Value = tenant });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Effects(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Statements on the write path's tables; the background workers (relay, deliveries, membership) touch others.</summary>
    public static Task<long> WritePathStatementsAsync(Statements statements, string databaseName) =>
        statements.CountAsync(databaseName, @"inventory_items|inventory_ledger|loyalty_players|loyalty_ledger|idempotency");
}
