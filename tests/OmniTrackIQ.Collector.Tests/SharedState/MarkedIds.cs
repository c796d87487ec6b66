using OmniTrackIQ.Collector.SharedState;
using OmniTrackIQ.Pipeline.Events;
using StackExchange.Redis;

namespace OmniTrackIQ.Collector.Tests.SharedState;

/// <summary>What <see cref="RedisMessageIds"/> wrote: the ids marked durable in a workspace's hash for one hour.</summary>
internal static class MarkedIds
{
    /// <summary>The hash that holds the marks of a workspace's events timestamped (or, without one, received) at <paramref name="at"/>.</summary>
    public static RedisKey Hash(string workspace, DateTimeOffset at) => RedisMessageIds.HashOf(workspace, new TrackedEvent { Timestamp = at });

    /// <summary>How many of <paramref name="ids"/> are marked (their field holds the id itself), or -1 when Redis did not answer.</summary>
    public static async Task<long> CountAsync(RedisState redis, string workspace, DateTimeOffset at, params string[] ids)
    {
        RedisValue[] fields = [.. ids.Select(id => (RedisValue)RedisMessageIds.FieldOf(id))];
        return await redis.TryRunAsync("test", db => db.HashGetAsync(Hash(workspace, at), fields)) is (true, var values)
            ? ids.Where((id, i) => string.Equals((string?)values[i], id, StringComparison.Ordinal)).Count()
            : -1;
    }

    /// <summary>Writes marks as <see cref="RedisMessageIds"/> does: under the field of <c>Field</c>'s id, the value <c>Value</c>
    /// (the same id, or another to stand for a hash collision); true when Redis took them.</summary>
    public static async Task<bool> WriteAsync(RedisState redis, string workspace, DateTimeOffset at, params (string Field, string Value)[] marks)
    {
        HashEntry[] entries = [.. marks.Select(m => new HashEntry(RedisMessageIds.FieldOf(m.Field), m.Value))];
        return await redis.TryRunAsync("test", async db =>
        {
            await db.HashSetAsync(Hash(workspace, at), entries);
            return true;
        }) is (true, true);
    }

    /// <summary>Polls until every one of <paramref name="ids"/> is marked (marks are written after the request's answer).</summary>
    public static Task<bool> AllAsync(RedisState redis, string workspace, DateTimeOffset at, params string[] ids) =>
        Poll.UntilAsync(async () => await CountAsync(redis, workspace, at, ids) == ids.Length);
}
