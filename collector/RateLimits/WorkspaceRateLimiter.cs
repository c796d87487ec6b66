using System.Collections.Frozen;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.RateLimits;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.RateLimits;

/// <summary>
/// Per-workspace budgets: the write key in events (<see cref="WorkspaceSettings.EventsPerSecond"/>), the
/// secret key in requests (<see cref="WorkspaceSettings.SecretKeyRequestsPerSecond"/>), and each read token in
/// requests (<see cref="WorkspaceSettings.ReadTokenRequestsPerSecond"/>, a bucket per token so one analyst's
/// script cannot starve another's dashboard); each bucket holds two seconds' worth. The buckets are made once,
/// one per configured workspace and key kind (per configured token hash for read tokens), so no request can grow memory. Time comes from the collector's <see cref="TimeProvider"/>.
/// </summary>
public sealed class WorkspaceRateLimiter
{
    /// <summary>Seconds of the steady rate a bucket holds: a page that fires a burst of events is not refused.</summary>
    public const int BurstSeconds = 2;

    /// <summary>Keyed by workspace id, or for <see cref="RateLimitedKey.ReadToken"/> by the token's SHA-256 (lower-case hex).</summary>
    private readonly FrozenDictionary<(string Partition, RateLimitedKey Kind), TokenBucket> _buckets;
    private readonly TimeProvider _time;
    private readonly CollectorMetrics _metrics;

    public WorkspaceRateLimiter(WorkspaceRegistry workspaces, TimeProvider time, CollectorMetrics metrics)
    {
        _time = time;
        _metrics = metrics;
        var now = time.GetTimestamp();
        var buckets = new Dictionary<(string, RateLimitedKey), TokenBucket>();
        foreach (var workspace in workspaces.All)
        {
            Add(buckets, workspace, RateLimitedKey.WriteKey, workspace.EventsPerSecond, nameof(WorkspaceSettings.EventsPerSecond), now);
            Add(buckets, workspace, RateLimitedKey.SecretKey, workspace.SecretKeyRequestsPerSecond, nameof(WorkspaceSettings.SecretKeyRequestsPerSecond), now);
            foreach (var hash in workspace.ReadTokenSha256)
            {
                Add(buckets, workspace, RateLimitedKey.ReadToken, workspace.ReadTokenRequestsPerSecond, nameof(WorkspaceSettings.ReadTokenRequestsPerSecond), now,
                    hash.ToLowerInvariant());
            }
        }

        _buckets = buckets.ToFrozenDictionary();
    }

    /// <summary>Buckets held: at most two per configured workspace plus one per read token (none for a limit of 0).</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>
    /// Takes <paramref name="permits"/> (events for the write key, 1 per request for the secret key) from the
    /// workspace's budget. A refusal takes nothing and is counted in <c>otq_rate_limited_total</c>. A
    /// workspace that is not configured (cannot come from the registry) or has a limit of 0 is not limited.
    /// </summary>
    public RateDecision TryAcquire(WorkspaceSettings workspace, RateLimitedKey kind, int permits = 1)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return Take(workspace, (workspace.Id, kind), permits);
    }

    /// <summary>
    /// One request of the read token whose SHA-256 is <paramref name="tokenSha256"/> (lower-case hex), from its own
    /// budget; refusals are counted under the token's workspace (the metric never names a token).
    /// </summary>
    public RateDecision TryAcquireReadToken(WorkspaceSettings workspace, string tokenSha256)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(tokenSha256);
        return Take(workspace, (tokenSha256, RateLimitedKey.ReadToken), 1);
    }

    private RateDecision Take(WorkspaceSettings workspace, (string, RateLimitedKey) key, int permits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permits);
        if (!_buckets.TryGetValue(key, out var bucket)) { return RateDecision.Allow; }
        if (bucket.TryTake(_time.GetTimestamp(), permits, out var waitTicks)) { return RateDecision.Allow; }

        _metrics.RateLimited(workspace.Id, Math.Max(permits, 1));
        var seconds = (waitTicks + _time.TimestampFrequency - 1) / _time.TimestampFrequency;
        return new RateDecision(false, (int)Math.Clamp(seconds, 1, int.MaxValue), permits > bucket.Burst);
    }

    private void Add(Dictionary<(string, RateLimitedKey), TokenBucket> buckets, WorkspaceSettings workspace, RateLimitedKey kind, int perSecond, string setting, long now,
        string? partition = null)
    {
        if (perSecond < 0)
        {
            throw new InvalidOperationException($"OmniTrack:Workspaces ({workspace.Id}): {setting} must be 0 (no limit) or more, not {perSecond}");
        }

        if (perSecond == 0) { return; }
        buckets[(partition ?? workspace.Id, kind)] = new TokenBucket(perSecond, (long)perSecond * BurstSeconds, _time.TimestampFrequency, now);
    }
}
