using System.Net;
using System.Text.Json;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>The SKU and player ledgers newest first (<c>order=desc</c> with <c>beforeVersion</c>), beside the default oldest-first paging.</summary>
[Collection(ApiDefinition.Name)]
public sealed class LedgerOrderTests(ApiFixture api) : ApiTestBase(api)
{
    private readonly string _player = $"P-{Guid.NewGuid():N}";

    private string SkuLedger => $"/v1/inventory/{Sku}/ledger";

    private string PlayerLedger => $"/v1/players/{_player}/loyalty/ledger";

    [Fact]
    public async Task SkuLedgerNewestFirstPagesBackwardsUntilTheFirstRow()
    {
        await CreateSkuAsync(onHand: 10);
        for (var receipt = 1; receipt <= 4; receipt++)
        {
            await Client.PostJsonAsync($"/v1/inventory/{Sku}/receipts", new { quantity = receipt });
        }

        var first = await PageAsync($"{SkuLedger}?order=desc&limit=2");
        var second = await PageAsync($"{SkuLedger}?order=desc&limit=2&beforeVersion={first.NextBefore}");
        var last = await PageAsync($"{SkuLedger}?order=desc&limit=2&beforeVersion={second.NextBefore}");
        var whole = await PageAsync($"{SkuLedger}?order=desc&limit=5");

        Assert.Equal([5L, 4L], first.Versions);
        Assert.Equal(4, first.NextBefore);
        Assert.Equal([3L, 2L], second.Versions);
        Assert.Equal(2, second.NextBefore);
        Assert.Equal([1L], last.Versions);
        Assert.Null(last.NextBefore);
        Assert.Equal([5L, 4L, 3L, 2L, 1L], whole.Versions);
        Assert.Null(whole.NextBefore); // a full page, but nothing is before version 1
        Assert.All([first, second, last, whole], page => Assert.Null(page.NextAfter));
        Assert.Equal(["receive", "receive"], first.Entries.Select(e => e.GetProperty("op").GetString()));
        Assert.Equal(4, first.Entries[0].GetProperty("quantity").GetInt64());
    }

    [Fact]
    public async Task SkuLedgerStaysOldestFirstByDefault()
    {
        await CreateSkuAsync(onHand: 10);
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 });
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 });

        var byDefault = await PageAsync($"{SkuLedger}?limit=2");
        var ascending = await PageAsync($"{SkuLedger}?order=asc&afterVersion={byDefault.NextAfter}");

        Assert.Equal([1L, 2L], byDefault.Versions);
        Assert.Equal<(long?, long?)>((2, null), (byDefault.NextAfter, byDefault.NextBefore));
        Assert.Equal([3L], ascending.Versions);
        Assert.Equal<(long?, long?)>((null, null), (ascending.NextAfter, ascending.NextBefore));
    }

    [Fact]
    public async Task PlayerLedgerNewestFirstPagesBackwards()
    {
        foreach (var points in new[] { 10, 20, 30 })
        {
            await Client.PostJsonAsync($"/v1/players/{_player}/loyalty/accruals", new { points, sourceType = "visit", sourceId = $"s-{points}" });
        }

        var first = await PageAsync($"{PlayerLedger}?order=desc&limit=2");
        var rest = await PageAsync($"{PlayerLedger}?order=desc&limit=2&beforeVersion={first.NextBefore}");
        var byDefault = await PageAsync(PlayerLedger);

        Assert.Equal([3L, 2L], first.Versions);
        Assert.Equal<(long?, long?)>((null, 2), (first.NextAfter, first.NextBefore));
        Assert.Equal([30L, 20L], first.Entries.Select(e => e.GetProperty("points").GetInt64()));
        Assert.Equal([1L], rest.Versions);
        Assert.Null(rest.NextBefore);
        Assert.Equal([1L, 2L, 3L], byDefault.Versions);
    }

    [Theory]
    [InlineData("?beforeVersion=3", "beforeVersion")]
    [InlineData("?order=asc&beforeVersion=3", "beforeVersion")]
    [InlineData("?order=desc&afterVersion=1", "afterVersion")]
    [InlineData("?order=sideways", "order")]
    [InlineData("?order=DESC", "order")]
    [InlineData("?order=desc&beforeVersion=-1", "beforeVersion")]
    public async Task ACursorOfTheOtherOrderOrAnUnknownOrderIs400(string query, string field)
    {
        await CreateSkuAsync(onHand: 1);
        await Client.PostJsonAsync($"/v1/players/{_player}/loyalty/accruals", new { points = 5, sourceType = "visit", sourceId = "s" });

        foreach (var ledger in new[] { SkuLedger, PlayerLedger })
        {
            var problem = await (await Client.GetAsync(ledger + query)).AssertProblemAsync(400, "validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{ledger}{query}: {problem}");
        }
    }

    private async Task<(List<JsonElement> Entries, List<long> Versions, long? NextAfter, long? NextBefore)> PageAsync(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.JsonAsync();
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        return (entries, entries.Select(e => e.GetProperty("version").GetInt64()).ToList(),
            Cursor(page.GetProperty("nextAfterVersion")), Cursor(page.GetProperty("nextBeforeVersion")));
    }

    private static long? Cursor(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt64();
}
