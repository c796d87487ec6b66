using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.RateLimits;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Tests.RateLimits;

/// <summary>Issue 18: the limiter's rules stay; where the levels live is an <see cref="IRateBuckets"/> that another store can replace.</summary>
public sealed class RateBucketsSeamTests
{
    private readonly WorkspaceSettings _shop = new() { Id = "shop", WriteKey = "wk_shop", EventsPerSecond = 100, SecretKeyRequestsPerSecond = 3, ReadTokenSha256 = ["AB12"] };

    [Fact]
    public void The_limiter_asks_the_registered_buckets_with_each_budget_and_answers_their_refusal()
    {
        var buckets = new RefusingBuckets(TimeSpan.FromMilliseconds(2_100));
        var limiter = new WorkspaceRateLimiter(new WorkspaceRegistry([_shop]), buckets, new CollectorMetrics());

        Assert.Equal(new RateDecision(false, 3, false), limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 50));
        Assert.Equal(new RateDecision(false, 3, true), limiter.TryAcquire(_shop, RateLimitedKey.SecretKey, 7));
        Assert.Equal(new RateDecision(false, 3, false), limiter.TryAcquireReadToken(_shop, "ab12"));

        Assert.Equal(
            [(new RateBudget("WriteKey:shop", 100, 200), 50L), (new RateBudget("SecretKey:shop", 3, 6), 7L), (new RateBudget("ReadToken:ab12", 20, 40), 1L)],
            buckets.Asked);
    }

    [Fact]
    public async Task The_event_routes_awaited_acquire_asks_the_same_buckets_and_counts_the_refusal()
    {
        var buckets = new RefusingBuckets(TimeSpan.FromMilliseconds(1_500));
        var metrics = new CollectorMetrics();
        using var limited = new LabeledTotals(metrics, "otq_rate_limited_total", "workspace");
        var limiter = new WorkspaceRateLimiter(new WorkspaceRegistry([_shop]), buckets, metrics);

        Assert.Equal(new RateDecision(false, 2, true), await limiter.TryAcquireAsync(_shop, RateLimitedKey.WriteKey, 201));
        Assert.Equal([(new RateBudget("WriteKey:shop", 100, 200), 201L)], buckets.Asked);
        Assert.Equal(201L, limited.Get("shop"));
    }

    [Fact]
    public void A_workspace_without_a_budget_never_reaches_the_buckets()
    {
        var buckets = new RefusingBuckets(TimeSpan.FromSeconds(1));
        var free = new WorkspaceSettings { Id = "free", WriteKey = "wk_free", EventsPerSecond = 0 };
        var limiter = new WorkspaceRateLimiter(new WorkspaceRegistry([free]), buckets, new CollectorMetrics());

        Assert.Equal(RateDecision.Allow, limiter.TryAcquire(free, RateLimitedKey.WriteKey, 1_000_000));
        Assert.Empty(buckets.Asked);
    }

    private sealed class RefusingBuckets(TimeSpan wait) : IRateBuckets
    {
        public List<(RateBudget Budget, long Permits)> Asked { get; } = [];

        public bool TryTake(RateBudget budget, long permits, out TimeSpan retryAfter)
        {
            Asked.Add((budget, permits));
            retryAfter = wait;
            return false;
        }
    }
}
