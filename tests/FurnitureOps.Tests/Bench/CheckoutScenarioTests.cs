using FurnitureOps.Bench.Baseline;
using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Scenarios;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Bench;

/// <summary>
/// The checkout scenario does what its row says: a checkout is one operation of two requests, the second on
/// the reservation the first answer named, every tenth releasing its hold, and each request one effect.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class CheckoutScenarioTests
{
    [Fact]
    public async Task ACheckoutIsOneOperationOfAReserveThenItsCommitOrEveryTenthItsRelease()
    {
        await using var measured = await MeasuredBaseline.StartAsync(maxConnections: 64);

        // checkout at 0.1: 300 checkouts, so 270 commits and 30 releases, each on the reservation its reserve made.
        var checkout = await new CheckoutScenario().RunAsync(measured.Target, measured.Sampler, cpu: null, scale: 0.1, TimeSpan.FromMinutes(1));

        Assert.Equal(300, checkout.Load.Completed); // checkouts, not requests
        Assert.Equal(new Dictionary<int, int> { [200] = 300 }, checkout.Load.Statuses); // each checkout's last answer
        Assert.Equal((600L, 600L, 600L), (checkout.ExpectedEffects, checkout.Effects.Rows, checkout.Effects.DistinctKeys));
        Assert.True(checkout.Correct);
        Assert.Equal(600, checkout.WritePathStatements); // two function calls per checkout
        Assert.Equal(
            new Dictionary<string, long> { ["reserve"] = 300, ["reservation_commit"] = 270, ["reservation_release"] = 30 },
            await CountsAsync(measured.Baseline, "SELECT operation, count(*) FROM stock_ledger GROUP BY operation"));
        Assert.Equal(
            new Dictionary<string, long> { ["committed"] = 270, ["released"] = 30 },
            await CountsAsync(measured.Baseline, "SELECT status, count(*) FROM reservations GROUP BY status"));
        Assert.Equal(new Dictionary<string, long> { ["0"] = 100 }, await CountsAsync(measured.Baseline, "SELECT reserved::text, count(*) FROM stock GROUP BY reserved"));
    }

    [Fact]
    public void ACheckoutReservesThenCommitsOrEveryTenthReleasesTheReservationItsAnswerNames()
    {
        var reservation = Guid.NewGuid();

        var bought = CheckoutScenario.Checkout("S-1", 8);
        var released = CheckoutScenario.Checkout("S-1", 9);

        Assert.Equal((Operation.Reserve, "/v1/inventory/S-1/reservations"), (bought.Operation, bought.Path));
        Assert.Equal((Operation.Commit, Operation.Release), (bought.Then!.Operation, released.Then!.Operation));
        Assert.Equal($"/v1/inventory/S-1/reservations/{reservation:D}/commit", (bought.Then with { ReservationId = reservation }).Path);
        Assert.Equal($"/v1/inventory/S-1/reservations/{reservation:D}/release", (released.Then with { ReservationId = reservation }).Path);
        Assert.Equal(4, new[] { bought.IdempotencyKey, bought.Then.IdempotencyKey, released.IdempotencyKey, released.Then.IdempotencyKey }.Distinct().Count());
        Assert.Null(bought.Then.Then);
    }

    private static async Task<Dictionary<string, long>> CountsAsync(RowLockBaseline baseline, string sql)
    {
        var counts = new Dictionary<string, long>();
        await using var reader = await baseline.Database.CreateCommand(sql).ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts.Add(reader.GetString(0), reader.GetInt64(1));
        }

        return counts;
    }
}
