using FurnitureOps.Grains.Interfaces;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FurnitureOps.Grains;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Testing;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace FurnitureOps.Benchmarks;

/// <summary>
/// What batching buys: the same sales through the same grain and PostgreSQL, once with one transaction per
/// command (<c>Ledger:MaxBatchSize = 1</c>, the baseline) and once with the default batching. Both clusters
/// run in this one process against one database, so the Ratio column compares like with like.
/// </summary>
[Config(typeof(Config))]
public class WritePathBenchmarks
{
    private InProcessTestCluster _oneTransactionPerCommand = null!;
    private InProcessTestCluster _batched = null!;
    private ISkuGrain _baselineSku = null!;
    private ISkuGrain _batchedSku = null!;

    /// <summary>Sales per iteration; the reported time is per sale.</summary>
    private const int SalesPerIteration = 200;

    /// <summary>Sales in flight at once against one SKU: 1 is a strictly sequential caller.</summary>
    [Params(1, 20, 200)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public async Task StartClustersAsync()
    {
        var connectionString = (await TestDatabase.CreateAsync(durable: true)).App;
        _oneTransactionPerCommand = await StartClusterAsync(connectionString, maxBatchSize: 1);
        _batched = await StartClusterAsync(connectionString, maxBatchSize: 256);
    }

    [IterationSetup]
    public void CreateFreshSkus()
    {
        _baselineSku = CreateSkuAsync(_oneTransactionPerCommand).GetAwaiter().GetResult();
        _batchedSku = CreateSkuAsync(_batched).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "one transaction per command", OperationsPerInvoke = SalesPerIteration)]
    public Task OneTransactionPerCommand() => SellInWavesAsync(_baselineSku);

    [Benchmark(Description = "batched flush (write path)", OperationsPerInvoke = SalesPerIteration)]
    public Task BatchedFlush() => SellInWavesAsync(_batchedSku);

    [GlobalCleanup]
    public async Task StopClustersAsync()
    {
        await _oneTransactionPerCommand.DisposeAsync();
        await _batched.DisposeAsync();
    }

    private async Task SellInWavesAsync(ISkuGrain sku)
    {
        for (var sold = 0; sold < SalesPerIteration; sold += Concurrency)
        {
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ =>
            {
                var key = Guid.NewGuid().ToString("N");
                return sku.ExecuteAsync(new SellStock(1, null), new CommandContext(key, key, "bench", key));
            }));
        }
    }

    private static async Task<ISkuGrain> CreateSkuAsync(InProcessTestCluster cluster)
    {
        var sku = cluster.Client.GetGrain<ISkuGrain>(TenantKey.Format("bench", $"SKU-{Guid.NewGuid():N}"));
        await sku.ExecuteAsync(new CreateSku("bench", 1_000_000), new CommandContext("create", "create", "bench", "create"));
        return sku;
    }

    private static async Task<InProcessTestCluster> StartClusterAsync(string connectionString, int maxBatchSize)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Ledger:MaxBatchSize"] = maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        builder.ConfigureSilo((_, silo) => silo.Services.AddFurnitureOpsGrains());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In-process, so both clusters and the baseline share the process and the database; one call per
            // iteration because every iteration starts from fresh SKUs.
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(3)
                .WithIterationCount(15)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
        }
    }
}
