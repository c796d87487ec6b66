using System.Collections.Frozen;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.RateLimits;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.RateLimits;

/// <summary>
/// Per-workspace budgets: the write key in events (<see cref="WorkspaceSettings.EventsPerSecond"/>), the
/// secret key in requests (<see cref="WorkspaceSettings.SecretKeyRequestsPerSecond"/>), and each read token in
/// requests (<see cref="WorkspaceSettings.ReadTokenRequestsPerSecond"/>, a budget per token so one analyst's
/// script cannot starve another's dashboard); each holds two seconds' worth. The budgets are listed once, one per
/// configured workspace and key kind (per configured token hash for read tokens), so no request can grow memory.
/// The levels live in <see cref="IRateBuckets"/>: in process on the collector's <see cref="TimeProvider"/> unless a
/// shared store is registered.
/// </summary>
public sealed class WorkspaceRateLimiter
{
    /// <summary>Seconds of the steady rate a bucket holds: a page that fires a burst of events is not refused.</summary>
    public const int BurstSeconds = 2;

    /// <summary>Keyed by workspace id, or for <see cref="RateLimitedKey.ReadToken"/> by the token's SHA-256 (lower-case hex).</summary>
    private readonly FrozenDictionary<(string Partition, RateLimitedKey Kind), RateBudget> _budgets;
    private readonly IRateBuckets _buckets;
    private readonly CollectorMetrics _metrics;

    /// <summary>Budgets kept in process, on <paramref name="time"/>.</summary>
    public WorkspaceRateLimiter(WorkspaceRegistry workspaces, TimeProvider time, CollectorMetrics metrics)
        : this(workspaces, new LocalRateBuckets(time), metrics) { }

    public WorkspaceRateLimiter(WorkspaceRegistry workspaces, IRateBuckets buckets, CollectorMetrics metrics)
    {
        _buckets = buckets;
        _metrics = metrics;
        var budgets = new Dictionary<(string, RateLimitedKey), RateBudget>();
        foreach (var workspace in workspaces.All)
        {
            Add(budgets, workspace, RateLimitedKey.WriteKey, workspace.EventsPerSecond, nameof(WorkspaceSettings.EventsPerSecond));
            Add(budgets, workspace, RateLimitedKey.SecretKey, workspace.SecretKeyRequestsPerSecond, nameof(WorkspaceSettings.SecretKeyRequestsPerSecond));
            foreach (var hash in workspace.ReadTokenSha256)
            {
                Add(budgets, workspace, RateLimitedKey.ReadToken, workspace.ReadTokenRequestsPerSecond, nameof(WorkspaceSettings.ReadTokenRequestsPerSecond),
                    hash.ToLowerInvariant());
            }
        }

        _budgets = budgets.ToFrozenDictionary();
    }

    /// <summary>Budgets held: at most two per configured workspace plus one per read token (none for a limit of 0).</summary>
    public int BucketCount => _budgets.Count;

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

    /// <summary>
    /// <see cref="TryAcquire"/> for the event routes (batch and pixel, one call per request at the full ingest rate): a
    /// shared budget's answer is awaited, not waited for on the request's thread.
    /// </summary>
    public async ValueTask<RateDecision> TryAcquireAsync(WorkspaceSettings workspace, RateLimitedKey kind, int permits = 1)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentOutOfRangeException.ThrowIfNegative(permits);
        if (!_budgets.TryGetValue((workspace.Id, kind), out var budget)) { return RateDecision.Allow; }
        return await _buckets.TryTakeAsync(budget, permits) is { } wait ? Refused(workspace, budget, permits, wait) : RateDecision.Allow;
    }

    private RateDecision Take(WorkspaceSettings workspace, (string, RateLimitedKey) key, int permits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permits);
        if (!_budgets.TryGetValue(key, out var budget)) { return RateDecision.Allow; }
        return _buckets.TryTake(budget, permits, out var wait) ? RateDecision.Allow : Refused(workspace, budget, permits, wait);
    }

    private RateDecision Refused(WorkspaceSettings workspace, RateBudget budget, int permits, TimeSpan wait)
    {
        _metrics.RateLimited(workspace.Id, Math.Max(permits, 1));
        var seconds = (wait.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        return new RateDecision(false, (int)Math.Clamp(seconds, 1, int.MaxValue), permits > budget.Burst);
    }

    private static void Add(Dictionary<(string, RateLimitedKey), RateBudget> budgets, WorkspaceSettings workspace, RateLimitedKey kind, int perSecond, string setting,
        string? partition = null)
    {
        if (perSecond < 0)
        {
            throw new InvalidOperationException($"OmniTrack:Workspaces ({workspace.Id}): {setting} must be 0 (no limit) or more, not {perSecond}");
        }

        if (perSecond == 0) { return; }
        var owner = partition ?? workspace.Id;
        // A token hash and a workspace id never collide: the kind is part of the key.
        budgets[(owner, kind)] = new RateBudget($"{kind}:{owner}", perSecond, (long)perSecond * BurstSeconds);
    }
}
