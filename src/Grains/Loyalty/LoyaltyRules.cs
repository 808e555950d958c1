using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Ledger;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>
/// The loyalty rules: the balance never goes negative, lifetime points only grow, a business key (accrual
/// source, same-day manual reward) produces at most one entry, and a redemption or reversal takes only what is
/// available (the balance less the points held). Points holds are decided by <see cref="PointsHoldRules"/>.
/// </summary>
/// <param name="playerId">The player whose balance this is.</param>
/// <param name="tiers">The tier ladder.</param>
/// <param name="businessDay">The time zone whose calendar day buckets manual rewards.</param>
public sealed class LoyaltyRules(string playerId, TierLadder tiers, TimeZoneInfo businessDay) : ILedgerRules<PlayerState, LoyaltyCommand, LoyaltyReply>
{
    private readonly PointsHoldRules _holds = new(playerId, tiers);

    public LedgerDecision<PlayerState, LoyaltyReply> Decide(PlayerState state, LoyaltyCommand command, EffectContext context)
    {
        if (PointsHoldRules.Decides(command))
        {
            return _holds.Decide(state, command, context);
        }

        var line = Describe(playerId, command, context.Command, context.Now, businessDay);
        if (line.BusinessKey is { } businessKey && state.ByBusinessKey.TryGetValue(businessKey, out var earlier))
        {
            // A repeat must be the same accrual: the same source claiming other points is a different one. (A
            // reward's key covers its points; a reversal's entry records what was left to take back.)
            if (command is AccruePoints && (earlier.Operation != line.Operation || earlier.Points != line.Points))
            {
                return new LedgerDecision<PlayerState, LoyaltyReply>.Reject(
                    new LoyaltyReply(null, null, false, new LoyaltyRejection(LoyaltyRejection.SourceReused, earlier.Points)));
            }

            return new LedgerDecision<PlayerState, LoyaltyReply>.Repeat(
                new LoyaltyReply(earlier, state.ToSnapshot(playerId, tiers), Deduplicated: true, Rejection: null));
        }

        if (command is RedeemPoints redeem && redeem.Points > state.Available)
        {
            var shortfall = LoyaltyReply.Rejected(LoyaltyRejection.InsufficientPoints, state.Available);
            return state.Exists
                ? new LedgerDecision<PlayerState, LoyaltyReply>.Reject(shortfall)
                : new LedgerDecision<PlayerState, LoyaltyReply>.Refuse(shortfall);
        }

        if (command is ReversePoints)
        {
            // Only what is left and not held can be taken back (a hold's points are promised to its commit): the
            // entry records the points really reversed.
            line = line with { Points = Math.Min(line.Points, state.Available) };
            if (line.Points == 0)
            {
                var nothing = new LoyaltyReply(null, state.Exists ? state.ToSnapshot(playerId, tiers) : null, false,
                    new LoyaltyRejection(LoyaltyRejection.NothingToReverse, state.Available));
                return state.Exists
                    ? new LedgerDecision<PlayerState, LoyaltyReply>.Reject(nothing)
                    : new LedgerDecision<PlayerState, LoyaltyReply>.Refuse(nothing);
            }
        }

        var spends = line.Operation is Operations.Redeem or Operations.Reverse;
        var earned = spends ? 0 : line.Points;
        var balance = spends ? state.Balance - line.Points : state.Balance + line.Points;
        var lifetime = state.LifetimePoints + earned;
        var tier = tiers.TierFor(lifetime);
        var entry = new LoyaltyEntry(context.NextVersion, line.Operation, line.Points, state.Balance, balance, state.Tier, tier,
            lifetime, line.Reason, line.SourceReference, context.Command.Actor, context.Command.RequestId, context.Now,
            state.Held, state.Held);
        var next = state with
        {
            Balance = balance, LifetimePoints = lifetime, Tier = tier, Version = context.NextVersion, UpdatedAt = context.Now,
            ByBusinessKey = line.BusinessKey is null ? state.ByBusinessKey : state.ByBusinessKey.Add(line.BusinessKey, entry),
        };

        List<DomainEvent> events =
        [
            new($"loyalty.{line.Operation switch { Operations.Accrue => "accrued", Operations.Reward => "rewarded", Operations.Reverse => "reversed", _ => "redeemed" }}.v1",
                new LoyaltyChanged(playerId, line.Operation, line.Points, balance, lifetime, tier, next.Version, line.SourceReference, next.Held)),
        ];
        if (tier != state.Tier)
        {
            events.Add(new DomainEvent("loyalty.tier_changed.v1", new TierChanged(playerId, state.Tier, tier, lifetime, next.Version)));
        }

        return new LedgerDecision<PlayerState, LoyaltyReply>.Accept(
            next, new LoyaltyReply(entry, next.ToSnapshot(playerId, tiers), false, null), Operations.Action(line.Operation), events);
    }

    /// <summary>
    /// What a command writes into its ledger row, and its business key. Shared by the rules and the store so
    /// both always agree.
    /// </summary>
    public static LedgerLine Describe(string playerId, LoyaltyCommand command, CommandContext context, DateTimeOffset now, TimeZoneInfo businessDay) =>
        command switch
    {
        AccruePoints accrue => new(Operations.Accrue, accrue.Points, null, $"{accrue.SourceType}:{accrue.SourceId}",
            $"{accrue.SourceType}:{accrue.SourceId}"),
        AwardPoints award => new(Operations.Reward, award.Points, award.Reason, null,
            RewardKey(playerId, context.Actor, award, TimeZoneInfo.ConvertTime(now, businessDay))),
        RedeemPoints redeem => new(Operations.Redeem, redeem.Points, null, redeem.Reference, null),
        ReversePoints reverse => new(Operations.Reverse, reverse.Points, null, $"{reverse.SourceType}:{reverse.SourceId}",
            $"{reverse.SourceType}:{reverse.SourceId}"),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown loyalty command."),
    };

    // The same reward by the same staff member to the same player on the same business day (local date) is one reward.
    private static string RewardKey(string playerId, string staffId, AwardPoints award, DateTimeOffset local)
    {
        var material = string.Join('\n', playerId, staffId, award.Points.ToString(CultureInfo.InvariantCulture), award.Reason,
            local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return "reward:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    /// <summary>The ledger columns a command determines.</summary>
    public sealed record LedgerLine(string Operation, long Points, string? Reason, string? SourceReference, string? BusinessKey);

    public static class Operations
    {
        public const string Accrue = "accrue";
        public const string Reward = "reward";
        public const string Redeem = "redeem";
        public const string Reverse = "reverse";
        public const string Hold = "hold";
        public const string HoldCommit = "hold_commit";
        public const string HoldRelease = "hold_release";
        public const string HoldExpire = "hold_expire";

        /// <summary>The audit action of an operation's effects, e.g. <c>loyalty.redeem</c>.</summary>
        public static string Action(string operation) => $"loyalty.{operation}";

        /// <summary>The operation an effect's audit action names.</summary>
        public static string OfAction(string action) => action["loyalty.".Length..];
    }
}
