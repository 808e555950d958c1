using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

[Collection(ApiDefinition.Name)]
public sealed class InventoryApiTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task CreateAnswers201WithLocationAndTheItem()
    {
        var response = await Client.PostJsonAsync("/v1/inventory", new { sku = Sku, name = "Oak chair", onHand = 12 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/inventory/{Sku}", response.Headers.Location?.OriginalString);
        var item = await response.JsonAsync();
        Assert.Equal(Sku, item.GetProperty("sku").GetString());
        Assert.Equal(12, item.GetProperty("onHand").GetInt64());
        Assert.Equal(0, item.GetProperty("sold").GetInt64());
        Assert.Equal(1, item.GetProperty("version").GetInt64());
        Assert.True(item.TryGetProperty("updatedAt", out _));
    }

    [Fact]
    public async Task CreatingAnExistingSkuIs409SkuExists()
    {
        await CreateSkuAsync(onHand: 1);

        var response = await Client.PostJsonAsync("/v1/inventory", new { sku = Sku, name = "Other", onHand = 5 });

        await response.AssertProblemAsync(409, "sku_exists");
    }

    [Fact]
    public async Task GetAnswersTheItemOr404SkuNotFound()
    {
        await CreateSkuAsync(onHand: 3);

        var found = await Client.GetAsync($"/v1/inventory/{Sku}");
        var missing = await Client.GetAsync($"/v1/inventory/NOPE-{Guid.NewGuid():N}");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("Oak chair", (await found.JsonAsync()).GetProperty("name").GetString());
        await missing.AssertProblemAsync(404, "sku_not_found");
    }

    [Fact]
    public async Task ReceiptSaleAndReturnMoveOnHandAndSold()
    {
        await CreateSkuAsync(onHand: 10);

        var received = await Client.PostJsonAsync($"/v1/inventory/{Sku}/receipts", new { quantity = 5, reference = "po-1" });
        var sold = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 4, orderRef = "o-1" });
        var returned = await Client.PostJsonAsync($"/v1/inventory/{Sku}/returns", new { quantity = 1, orderRef = "o-1" });

        Assert.Equal((15L, 0L), await OnHandAndSoldAsync(received));
        Assert.Equal((11L, 4L), await OnHandAndSoldAsync(sold));
        Assert.Equal((12L, 3L), await OnHandAndSoldAsync(returned));
    }

    [Fact]
    public async Task OversellIs409InsufficientStockWithAvailable()
    {
        await CreateSkuAsync(onHand: 2);

        var response = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 3 });

        var problem = await response.AssertProblemAsync(409, "insufficient_stock");
        Assert.Equal(2, problem.GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task ReturnBeyondSoldIs409ReturnExceedsSold()
    {
        await CreateSkuAsync(onHand: 5);
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 });

        var response = await Client.PostJsonAsync($"/v1/inventory/{Sku}/returns", new { quantity = 2 });

        var problem = await response.AssertProblemAsync(409, "return_exceeds_sold");
        Assert.Equal(1, problem.GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task MutationsOfAnUnknownSkuAre404()
    {
        var response = await Client.PostJsonAsync($"/v1/inventory/{Sku}/receipts", new { quantity = 1 });

        await response.AssertProblemAsync(404, "sku_not_found");
    }

    [Fact]
    public async Task PatchSetsOnHandAndRequiresAReason()
    {
        await CreateSkuAsync(onHand: 10);

        var adjusted = await Client.SendJsonAsync(HttpMethod.Patch, $"/v1/inventory/{Sku}", new { onHand = 7, reason = "stock-take" }, "adjust-1");
        var noReason = await Client.SendJsonAsync(HttpMethod.Patch, $"/v1/inventory/{Sku}", new { onHand = 6 }, "adjust-2");

        Assert.Equal((7L, 0L), await OnHandAndSoldAsync(adjusted));
        var problem = await noReason.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task LedgerListsEveryEffectWithBeforeAndAfterAndPages()
    {
        await CreateSkuAsync(onHand: 10);
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 4, orderRef = "o-9" }, "sale-key");
        await Client.SendJsonAsync(HttpMethod.Patch, $"/v1/inventory/{Sku}", new { onHand = 5, reason = "count" }, "adjust-key");

        var all = await (await Client.GetAsync($"/v1/inventory/{Sku}/ledger")).JsonAsync();
        var page = await (await Client.GetAsync($"/v1/inventory/{Sku}/ledger?afterVersion=1&limit=1")).JsonAsync();

        var entries = all.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["create", "sell", "adjust"], entries.Select(e => e.GetProperty("op").GetString()));
        var sale = entries[1];
        Assert.Equal((2L, 4L, 10L, 6L, 0L, 4L), (sale.GetProperty("version").GetInt64(), sale.GetProperty("quantity").GetInt64(),
            sale.GetProperty("onHandBefore").GetInt64(), sale.GetProperty("onHandAfter").GetInt64(),
            sale.GetProperty("soldBefore").GetInt64(), sale.GetProperty("soldAfter").GetInt64()));
        Assert.Equal("staff-1", sale.GetProperty("actor").GetString());
        Assert.Equal("sale-key", sale.GetProperty("idempotencyKey").GetString());
        Assert.Equal("o-9", sale.GetProperty("reference").GetString());
        Assert.Single(page.GetProperty("entries").EnumerateArray());
        Assert.Equal(2, page.GetProperty("nextAfterVersion").GetInt64());
    }

    [Fact]
    public async Task AuditListsImmutableRowsWithBeforeAndAfter()
    {
        await CreateSkuAsync(onHand: 10);
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 3 });

        var audit = await (await Client.GetAsync($"/v1/audit?entityType=sku&entityId={Sku}")).JsonAsync();

        var rows = audit.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["inventory.created", "inventory.sold"], rows.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(JsonValueKindNull, rows[0].GetProperty("before").ValueKind);
        Assert.Equal(10, rows[1].GetProperty("before").GetProperty("onHand").GetInt64());
        Assert.Equal(7, rows[1].GetProperty("after").GetProperty("onHand").GetInt64());
        Assert.All(rows, r => Assert.Equal("staff-1", r.GetProperty("actor").GetString()));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static async Task<(long OnHand, long Sold)> OnHandAndSoldAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = await response.JsonAsync();
        return (item.GetProperty("onHand").GetInt64(), item.GetProperty("sold").GetInt64());
    }
}
