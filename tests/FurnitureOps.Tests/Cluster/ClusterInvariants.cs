using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Npgsql;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// What must hold after a <see cref="MixedLoad"/> run, whatever failed during it, with the ledger as evidence.
/// </summary>
public static class ClusterInvariants
{
    /// <summary>Answers a client may see: success, a business refusal (out of stock), or a retryable 503 after its retries ran out.</summary>
    private static readonly HashSet<HttpStatusCode> Allowed =
        [HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.ServiceUnavailable];

    public static async Task AssertAsync(NpgsqlDataSource db, string tenant, IReadOnlyDictionary<string, MixedLoad.Outcome> outcomes)
    {
        // Clients saw only 2xx, business 409s and retryable 503s: never a 500, never a 4xx the client did not cause.
        Assert.All(outcomes.Values, outcome => Assert.Contains(outcome.Status, Allowed));
        var acknowledged = outcomes.Where(o => (int)o.Value.Status is >= 200 and < 300).ToDictionary(o => o.Key, o => o.Value.Kind);
        Assert.True(acknowledged.Count >= outcomes.Count * 9 / 10, $"only {acknowledged.Count} of {outcomes.Count} requests were acknowledged");

        // Every acknowledged request has exactly one ledger row, of its own kind; no key has two effects.
        var effects = await EffectsByKeyAsync(db, tenant);
        Assert.All(acknowledged, ack =>
        {
            Assert.True(effects.TryGetValue(ack.Key, out var effect), $"acknowledged {ack.Value} {ack.Key} has no ledger row");
            Assert.Equal((ack.Value, 1L), effect);
        });
        Assert.DoesNotContain(effects, effect => effect.Value.Count > 1);

        // Per SKU: the chain of before/after values is unbroken and ends at the state row, and every row moved stock
        // by exactly its own quantity, so initial + receipts − sales = on hand.
        for (var sku = 0; sku < MixedLoad.Skus; sku++)
        {
            await LedgerRows.AssertChainIntactAsync(db, tenant, MixedLoad.Sku(sku));
        }

        Assert.Equal(0, await LedgerRows.ScalarAsync(db,
            """
            SELECT count(*) FROM inventory_ledger
            WHERE tenant_id = $1 AND on_hand_after - on_hand_before <> CASE operation
                WHEN 'create' THEN quantity WHEN 'receive' THEN quantity WHEN 'sell' THEN -quantity END
            """, tenant));
        Assert.Equal(0, await LedgerRows.ScalarAsync(db,
            """
            SELECT count(*) FROM inventory_items i
            WHERE i.tenant_id = $1 AND i.on_hand <> (SELECT sum(CASE operation WHEN 'sell' THEN -quantity ELSE quantity END)
                  FROM inventory_ledger l WHERE l.tenant_id = i.tenant_id AND l.sku = i.sku)
            """, tenant));

        // Per player: balance = Σ ledger, never negative.
        Assert.Equal(0, await LedgerRows.ScalarAsync(db,
            """
            SELECT count(*) FROM loyalty_players p
            WHERE p.tenant_id = $1 AND (p.balance < 0 OR p.balance <> (SELECT coalesce(sum(CASE WHEN operation IN ('redeem', 'reverse', 'hold_commit')
                  THEN -points WHEN operation IN ('hold', 'hold_release', 'hold_expire') THEN 0 ELSE points END), 0) FROM loyalty_ledger l WHERE l.tenant_id = p.tenant_id AND l.player_id = p.player_id))
            """, tenant));
    }

    /// <summary>Each idempotency key's effects: the kind of request it was (ledger operation) and how many rows it has.</summary>
    private static async Task<Dictionary<string, (string Kind, long Count)>> EffectsByKeyAsync(NpgsqlDataSource db, string tenant)
    {
        await using var command = db.CreateCommand(
            """
            SELECT idempotency_key, min(kind), count(*) FROM (
                SELECT idempotency_key, operation AS kind FROM inventory_ledger WHERE tenant_id = $1 AND operation <> 'create'
                UNION ALL SELECT idempotency_key, operation FROM loyalty_ledger WHERE tenant_id = $1) AS effects
            GROUP BY idempotency_key
            """);
        command.Parameters.Add(new() { Value = tenant });
        var effects = new Dictionary<string, (string, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            effects[reader.GetString(0)] = (reader.GetString(1), reader.GetInt64(2));
        }

        return effects;
    }
}
