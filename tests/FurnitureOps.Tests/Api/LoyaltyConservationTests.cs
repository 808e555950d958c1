using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// Conservation over the whole database, whatever other tests have written: per tenant, the sum of balances
/// equals everything accrued and rewarded minus everything redeemed (directly or by committing a points hold) or
/// reversed; holding, releasing and expiring points move no balance; and no player row disagrees with its ledger.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class LoyaltyConservationTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task BalancesEqualAccruedPlusRewardedMinusRedeemedPerTenant()
    {
        var player = $"/v1/players/P-{Guid.NewGuid():N}/loyalty";
        await Client.PostJsonAsync($"{player}/accruals", new { points = 90, sourceType = "visit", sourceId = "s1" });
        await Client.PostJsonAsync($"{player}/rewards", new { points = 15, reason = "welcome" });
        await Client.PostJsonAsync($"{player}/redemptions", new { points = 35, reference = "v1" });

        await using var connection = await Fixture.Database.OpenConnectionAsync();
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using var command = new Npgsql.NpgsqlCommand(
            """
            WITH balances AS (SELECT tenant_id, sum(balance) AS total FROM loyalty_players GROUP BY tenant_id),
                 flows AS (
                     SELECT tenant_id,
                            sum(points) FILTER (WHERE operation = 'accrue') AS accrued,
                            sum(points) FILTER (WHERE operation = 'reward') AS rewarded,
                            sum(points) FILTER (WHERE operation IN ('redeem', 'reverse', 'hold_commit')) AS spent
                     FROM loyalty_ledger GROUP BY tenant_id)
            SELECT b.tenant_id, b.total, coalesce(f.accrued, 0), coalesce(f.rewarded, 0), coalesce(f.spent, 0)
            FROM balances b LEFT JOIN flows f USING (tenant_id)
            """, connection, snapshot);
        var tenants = new List<(string Tenant, long Balances, long Accrued, long Rewarded, long Spent)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tenants.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }

        Assert.Contains(tenants, t => t.Tenant == Tenant && t.Balances == 70);
        Assert.All(tenants, t => Assert.Equal(t.Accrued + t.Rewarded - t.Spent, t.Balances));
    }
}
