using FurnitureOps.Api.Http;
using FurnitureOps.Api.Inventory;
using FurnitureOps.Bench.Load;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace FurnitureOps.Bench.Targets;

/// <summary>
/// FurnitureOps' grains called directly by an Orleans client in the bench process, as the API calls them but
/// without HTTP, authentication or rate limiting: the write path's own figures, for comparison with pgbench.
/// </summary>
public sealed class GrainTarget : Target
{
    private readonly IHost _client;
    private readonly IClusterClient _cluster;
    private readonly FurnitureOpsService _service;
    private readonly NpgsqlDataSource _database;
    private readonly string _databaseName;
    private readonly Statements _statements;

    private GrainTarget(IHost client, FurnitureOpsService service, NpgsqlDataSource database, string databaseName, Statements statements)
        : base("FurnitureOps grains")
    {
        _client = client;
        _cluster = client.Services.GetRequiredService<IClusterClient>();
        _service = service;
        _database = database;
        _databaseName = databaseName;
        _statements = statements;
    }

    /// <summary>Connects an Orleans client to the service's cluster through its membership table.</summary>
    public static async Task<GrainTarget> ConnectAsync(FurnitureOpsService service, string appConnectionString, NpgsqlDataSource database, string databaseName, Statements statements)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Services.Configure<ClusterOptions>(cluster =>
            {
                ClusterDefaults.Apply(cluster);
                cluster.ClusterId = service.ClusterId;
            });
            client.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = "Npgsql";
                clustering.ConnectionString = appConnectionString;
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new GrainTarget(host, service, database, databaseName, statements);
    }

    public override async Task<BenchAnswer> SendAsync(BenchRequest request, string tenant, int client, CancellationToken cancellationToken)
    {
        // The API fingerprints the request body; any value fixed per request does here.
        var context = new CommandContext(request.IdempotencyKey, request.Body, $"bench-client-{client}", Guid.NewGuid().ToString("N"));
        var key = TenantKey.Format(tenant, request.Entity);
        try
        {
            return request.Operation switch
            {
                Operation.PosSale => throw new NotSupportedException("POS events are measured over HTTP only (Scenario.RunsOn)."),
                Operation.Accrue or Operation.Reward or Operation.Redeem => Answer(await _cluster.GetGrain<IPlayerLoyaltyGrain>(key).ExecuteAsync(request.Operation switch
                {
                    Operation.Accrue => new AccruePoints(request.Amount, "bench", request.IdempotencyKey),
                    Operation.Reward => new AwardPoints(request.Amount, $"bench {request.IdempotencyKey}"),
                    _ => new RedeemPoints(request.Amount, request.IdempotencyKey),
                }, context), reply => reply.Rejection is not null),
                _ => Answer(await _cluster.GetGrain<ISkuGrain>(key).ExecuteAsync(SkuCommandOf(request), context), request.Operation == Operation.Reserve),
            };
        }
        catch (Exception error) when (error is StorageUnavailableException or OrleansException or TimeoutException)
        {
            return new BenchAnswer(503); // what the API would answer
        }
    }

    /// <summary>The SKU command the API would send for the request; like the API, the caller names a new reservation.</summary>
    private static SkuCommand SkuCommandOf(BenchRequest request) => request.Operation switch
    {
        Operation.Sell => new SellStock(request.Amount, request.IdempotencyKey),
        Operation.Reserve => new ReserveStock(Guid.CreateVersion7(), request.Amount,
            DateTimeOffset.UtcNow.AddSeconds(HoldLimits.DefaultExpiresInSeconds), request.IdempotencyKey),
        Operation.Commit => new CommitReservation(request.Reservation, Quantity: null),
        Operation.Release => new ReleaseReservation(request.Reservation),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.Operation, "Not a SKU operation."),
    };

    public override async Task CreateSkusAsync(string tenant, IReadOnlyList<string> skus, long onHand) =>
        await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (sku, _) =>
        {
            var outcome = await _cluster.GetGrain<ISkuGrain>(TenantKey.Format(tenant, sku)).ExecuteAsync(
                new CreateSku("Bench chair", onHand), new CommandContext($"create-{sku}", "create", "bench", Guid.NewGuid().ToString("N")));
            if (outcome.Reply?.Rejection is { } rejection)
            {
                throw new InvalidOperationException($"Creating {sku} was refused: {rejection.Code}");
            }
        });

    /// <summary>The SKU's committed state, read through its grain (activating it if it is not active).</summary>
    public Task<SkuSnapshot?> GetSkuAsync(string tenant, string sku) => _cluster.GetGrain<ISkuGrain>(TenantKey.Format(tenant, sku)).GetAsync();

    /// <summary>
    /// Deactivates the SKU's grain and waits until no silo lists it as active, for at most <paramref name="bound"/>,
    /// so the next call builds a new activation from the database.
    /// </summary>
    public async Task DeactivateSkuAsync(string tenant, string sku, TimeSpan bound)
    {
        var management = _cluster.GetGrain<IManagementGrain>(0);
        var grainId = _cluster.GetGrain<ISkuGrain>(TenantKey.Format(tenant, sku)).GetGrainId();
        using var deadline = new CancellationTokenSource(bound);
        await management.DeactivateGrain(grainId, deadline.Token);
        while ((await management.GetActiveGrains(grainId.Type)).Contains(grainId))
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{grainId} was still active {bound.TotalSeconds:F0} s after its deactivation.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    public override Task<Effects> CountEffectsAsync(string tenant, EffectKind kind) => FurnitureOpsTarget.CountEffectsAsync(_database, tenant, kind);

    public override Task<long> WritePathStatementsAsync() => FurnitureOpsTarget.WritePathStatementsAsync(_statements, _databaseName);

    public override async Task<FlushTotals?> FlushTotalsAsync() => await _service.FlushTotalsAsync();

    // The bench's own Orleans client connects unnamed, so it is not counted; the API, idle here, still is.
    public override string? ConnectionHolder(string applicationName) => FurnitureOpsService.ConnectionHolder(applicationName);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client.StopAsync().GetAwaiter().GetResult();
            _client.Dispose();
        }

        base.Dispose(disposing);
    }

    // As the API maps outcomes: a reused key or a business refusal is 409, anything else applied or replayed 200.
    private static BenchAnswer Answer<TReply>(CommandOutcome<TReply> outcome, Func<TReply, bool> refused) =>
        new(outcome.Status == IdempotencyStatus.KeyReused || (outcome.Reply is { } reply && refused(reply)) ? 409 : 200);

    // A reservation made is 201 with its id, as the API answers it (a replay carries the first one's id).
    private static BenchAnswer Answer(CommandOutcome<SkuReply> outcome, bool reserve)
    {
        var answer = Answer(outcome, reply => reply.Rejection is not null);
        return reserve && answer.Succeeded ? new BenchAnswer(201, outcome.Reply!.Reservation!.ReservationId) : answer;
    }
}
