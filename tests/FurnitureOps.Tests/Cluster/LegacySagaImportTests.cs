using FurnitureOps.Grains.Interfaces.Pos;
using FurnitureOps.Grains.Interfaces.RatingSlips;
using FurnitureOps.Grains.Pos;
using FurnitureOps.Grains.RatingSlips;
using FurnitureOps.Grains.Sagas;
using FurnitureOps.Testing;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// An upgrade from a release that kept sagas in Orleans grain storage: a silo that starts on such a database
/// moves every saga into its table on its own (no client call), finishes the one that was unfinished exactly
/// once, and leaves no state behind in grain storage. The old states are written by the real ADO.NET provider.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class LegacySagaImportTests
{
    private const string Tenant = "t-legacy";

    [Fact]
    public async Task ASiloStartingOnOldGrainStorageMovesEverySagaAndFinishesTheUnfinishedOnce()
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        var clusterId = $"legacy-{Guid.NewGuid():N}";
        var (pendingSlip, accruedSlip, posEvent) = ("slip-pending", "slip-done", Guid.NewGuid());

        // The previous release's states, through its provider, on a silo that never activates these grains.
        await using (var old = await SiloHost.StartAsync(connections.App, clusterId, settings: new Dictionary<string, string?> { ["Sagas:Enabled"] = "false" }))
        {
            var slips = old.Services.GetRequiredKeyedService<IGrainStorage>(LegacySagaStorage.Slips.Provider);
            await slips.WriteStateAsync(LegacySagaStorage.Slips.StateName, SlipId(pendingSlip), new GrainState<RatingSlipState>(CompletedSlip(AccrualStatus.Pending)));
            await slips.WriteStateAsync(LegacySagaStorage.Slips.StateName, SlipId(accruedSlip), new GrainState<RatingSlipState>(CompletedSlip(AccrualStatus.Accrued)));
            var events = old.Services.GetRequiredKeyedService<IGrainStorage>(LegacySagaStorage.PosEvents.Provider);
            await events.WriteStateAsync(LegacySagaStorage.PosEvents.StateName, GrainId.Create("posevent", $"{Tenant}/{posEvent}"), new GrainState<PosEventState>(AppliedEvent()));
        }

        Assert.Equal(3, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM orleans_storage WHERE payload_binary IS NOT NULL"));

        var logs = new CapturedLogs();
        await using var silo = await SiloHost.StartAsync(connections.App, clusterId, logs);

        await Poll.UntilAsync(async () => await LedgerRows.ScalarAsync(database,
            "SELECT count(*) FROM orleans_storage WHERE payload_binary IS NOT NULL") == 0,
            "the silo moved every saga out of grain storage", TimeSpan.FromSeconds(30), async () =>
            {
                await using var left = database.CreateCommand(
                    "SELECT string_agg(grain_type_string || ' ' || grain_id_extension_string, ', ') FROM orleans_storage WHERE payload_binary IS NOT NULL");
                return $"left: {await left.ExecuteScalarAsync()}; silo warnings: {string.Join(" | ", logs.Entries.Select(entry => entry.Message))}";
            });
        Assert.Equal(2, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM rating_slips WHERE status = 'accrued' AND next_attempt_at IS NULL"));
        Assert.Equal(1, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM pos_events WHERE status = 'applied' AND next_attempt_at IS NULL"));
        Assert.Equal(1, await LedgerRows.ScalarAsync(database,
            "SELECT count(*) FROM loyalty_ledger WHERE business_key = $1", $"rating_slip:{pendingSlip}"));
        Assert.Equal(40, await LedgerRows.ScalarAsync(database, "SELECT balance FROM loyalty_players WHERE player_id = 'P-1'"));
        Assert.Equal(1, await LedgerRows.ScalarAsync(database,
            "SELECT count(*) FROM outbox WHERE event_type = 'rating_slip.completed.v1' AND aggregate_id = $1", pendingSlip));

        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        var moved = await grains.GetGrain<IPosEventGrain>($"{Tenant}/{posEvent}").GetAsync();
        Assert.Equal((PosEventStatus.Applied, "till-9"), (moved!.Status, moved.Source));
        Assert.Equal(AccrualStatus.Accrued, (await grains.GetGrain<IRatingSlipGrain>($"{Tenant}/{pendingSlip}").GetAsync())!.Accrual);
    }

    private static GrainId SlipId(string slipId) => GrainId.Create("ratingslip", $"{Tenant}/{slipId}");

    private static RatingSlipState CompletedSlip(AccrualStatus accrual) => new()
    {
        PlayerId = "P-1",
        Game = "blackjack",
        AverageBet = 20m,
        Status = SlipStatus.Completed,
        MinutesPlayed = 20,
        Points = 40,
        Accrual = accrual,
        CorrelationId = "req-legacy",
        CompletedBy = "staff-1",
        OpenedAt = DateTimeOffset.UtcNow.AddHours(-1),
        CompletedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
        CompletionEventPending = accrual == AccrualStatus.Pending,
        SystemAccrualKey = true,
    };

    private static PosEventState AppliedEvent() => new()
    {
        Fingerprint = "legacy",
        Submission = new PosEventSubmission("till-9", PosEventType.Sale, DateTimeOffset.UtcNow.AddHours(-2), new List<PosLine> { new("S1", 1) }, null, null),
        Status = PosEventStatus.Applied,
        Steps = [new PosStepView(PosStepKind.SellLine, 1, "S1", 1, PosStepStatus.Applied, null, 1)],
        RequestId = "req-legacy",
        Actor = "till-9",
        AcceptedAt = DateTimeOffset.UtcNow.AddHours(-2),
        CompletedAt = DateTimeOffset.UtcNow.AddHours(-2),
        SystemStepKeys = true,
    };
}
