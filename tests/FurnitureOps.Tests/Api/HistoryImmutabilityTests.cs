using FurnitureOps.Tests.Infrastructure;
using Npgsql;

namespace FurnitureOps.Tests.Api;

/// <summary>Ledger and audit rows cannot be changed or removed: not by the services' role, not by the owner.</summary>
[Collection(ApiDefinition.Name)]
public sealed class HistoryImmutabilityTests(ApiFixture api) : ApiTestBase(api)
{
    private const string PermissionDenied = "42501";

    public static TheoryData<string> RewritesOfHistory => new()
    {
        "UPDATE inventory_ledger SET quantity = quantity + 1 WHERE tenant_id = @tenant",
        "DELETE FROM inventory_ledger WHERE tenant_id = @tenant",
        "UPDATE audit_log SET actor = 'someone-else' WHERE tenant_id = @tenant",
        "DELETE FROM audit_log WHERE tenant_id = @tenant",
        "UPDATE loyalty_ledger SET points = points + 1 WHERE tenant_id = @tenant",
        "DELETE FROM loyalty_ledger WHERE tenant_id = @tenant",
        "TRUNCATE audit_log",
        "TRUNCATE inventory_ledger",
    };

    [Theory]
    [MemberData(nameof(RewritesOfHistory))]
    public async Task TheApplicationRoleCannotRewriteHistory(string sql)
    {
        await CreateHistoryAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAsync(Fixture.Connections.App, sql));

        Assert.Equal(PermissionDenied, error.SqlState);
        Assert.Contains("permission denied", error.MessageText, StringComparison.Ordinal);
        await AssertHistoryUnchangedAsync();
    }

    [Theory]
    [MemberData(nameof(RewritesOfHistory))]
    public async Task EvenTheOwnerIsRefusedByTheTrigger(string sql)
    {
        await CreateHistoryAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAsync(Fixture.Connections.Owner, sql));

        Assert.Equal(PermissionDenied, error.SqlState);
        Assert.Contains("immutable", error.MessageText, StringComparison.Ordinal);
        await AssertHistoryUnchangedAsync();
    }

    [Fact]
    public async Task TheApplicationRoleStillWritesThroughTheService()
    {
        await CreateHistoryAsync();

        Assert.Equal(2, (await CountRowsAsync()).Ledger);
    }

    private async Task CreateHistoryAsync()
    {
        await CreateSkuAsync(onHand: 5);
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 });
        await Client.PostJsonAsync($"/v1/players/P-{Guid.NewGuid():N}/loyalty/accruals", new { points = 5, sourceType = "visit", sourceId = "s" });
    }

    private async Task AssertHistoryUnchangedAsync()
    {
        Assert.Equal(new LedgerRows.Counts(2, 2, 2, 2), await CountRowsAsync());
        await LedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, Sku);
    }

    private async Task ExecuteAsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", Tenant);
        await command.ExecuteNonQueryAsync();
    }
}
