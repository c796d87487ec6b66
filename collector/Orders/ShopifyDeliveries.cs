using OmniTrackIQ.Collector.SharedState;

namespace OmniTrackIQ.Collector.Orders;

/// <summary>
/// The <c>X-Shopify-Webhook-Id</c> of the last deliveries this node took (spooled, or kept in bad_events): Shopify's key
/// of one delivery, the same on each of its retries. A retry of one already taken is answered 200 without being
/// spooled (or kept in bad_events) again. A hint only, bounded and per node: a report's identity never depends on an
/// unsigned header (<see cref="Pipeline.Orders.ShopifyReportIds"/>), so a retry this set has forgotten is still stored
/// once, and a made-up id can only make a delivery look new, never make a new one look old.
/// With Redis (<see cref="RedisState"/>) the deliveries any node took are known to all of them for
/// <see cref="SharedFor"/> (Shopify retries a delivery for up to 48 hours, through whichever node the balancer picks);
/// when Redis does not answer, this node's own memory decides.
/// </summary>
internal sealed class ShopifyDeliveries(RedisState redis)
{
    private const string Use = "shopify_dedup";

    /// <summary>Shopify's retry window.</summary>
    internal static readonly TimeSpan SharedFor = TimeSpan.FromHours(48);

    /// <summary>Deliveries remembered (a few MB at most): hours of a busy shop's webhooks, Shopify's retry window.</summary>
    internal const int Capacity = 20_000;

    /// <summary>Shopify's ids are UUIDs; a longer header is not one and is not remembered.</summary>
    private const int MaxIdLength = 128;

    private readonly HashSet<(string Workspace, string WebhookId)> _seen = [];
    private readonly Queue<(string Workspace, string WebhookId)> _oldestFirst = new();
    private readonly Lock _lock = new();

    public bool WasTaken(string workspace, string webhookId)
    {
        if (webhookId.Length is 0 or > MaxIdLength) { return false; }
        lock (_lock)
        {
            if (_seen.Contains((workspace, webhookId))) { return true; }
        }

        return redis.TryRun(Use, db => db.KeyExists(Key(workspace, webhookId)), out var taken) && taken;
    }

    /// <summary>Called only once the delivery is durable: a delivery refused with 503 must be taken when Shopify retries it.</summary>
    public void Taken(string workspace, string webhookId)
    {
        if (webhookId.Length is 0 or > MaxIdLength) { return; }
        lock (_lock)
        {
            if (!_seen.Add((workspace, webhookId))) { return; }
            _oldestFirst.Enqueue((workspace, webhookId));
            if (_oldestFirst.Count > Capacity) { _seen.Remove(_oldestFirst.Dequeue()); }
        }

        redis.TryRun(Use, db => db.StringSet(Key(workspace, webhookId), 1, SharedFor), out _);
    }

    private static StackExchange.Redis.RedisKey Key(string workspace, string webhookId) => $"otq:shopify:{workspace}:{webhookId}";
}
