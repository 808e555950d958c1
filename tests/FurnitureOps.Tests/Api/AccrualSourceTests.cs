using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// Accrual sources a client cannot abuse: the saga's source types are refused, a source type cannot make two
/// sources share a key, and the same source claiming other points is refused rather than answered with the
/// first entry.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class AccrualSourceTests(ApiFixture api) : ApiTestBase(api)
{
    private readonly string _player = $"P-{Guid.NewGuid():N}";

    private string Loyalty => $"/v1/players/{_player}/loyalty";

    [Theory]
    [InlineData("pos")]
    [InlineData("pos_return")]
    [InlineData("rating_slip")]
    [InlineData("POS")]
    [InlineData("a:b")] // with sourceId "c", the key "a:b:c" of sourceType "a" and sourceId "b:c"
    public async Task ASystemOrAmbiguousSourceTypeIs400AndWritesNothing(string sourceType)
    {
        var response = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 100, sourceType, sourceId = "c" });

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("sourceType", out _), problem.GetRawText());
        await (await Client.GetAsync(Loyalty)).AssertProblemAsync(404, "player_not_found");
    }

    [Fact]
    public async Task TheSameSourceWithOtherPointsIs409AndOnlyTheFirstAccrualCounts()
    {
        var first = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 50, sourceType = "web-order", sourceId = "o-1" }, "k-1");
        var other = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 60, sourceType = "web-order", sourceId = "o-1" }, "k-2");
        var otherAgain = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 60, sourceType = "web-order", sourceId = "o-1" }, "k-2");
        var same = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 50, sourceType = "web-order", sourceId = "o-1" }, "k-3");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var refused = await other.AssertProblemAsync(409, "source_reused");
        Assert.Equal(50, refused.GetProperty("points").GetInt64());
        await otherAgain.AssertProblemAsync(409, "source_reused"); // the same key replays the refusal
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.True((await same.JsonAsync()).GetProperty("deduplicated").GetBoolean());
        Assert.Equal(50, (await (await Client.GetAsync(Loyalty)).JsonAsync()).GetProperty("balance").GetInt64());
    }
}
