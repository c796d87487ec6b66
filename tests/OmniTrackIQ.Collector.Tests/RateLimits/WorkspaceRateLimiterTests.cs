using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Tests.RateLimits;

public sealed class WorkspaceRateLimiterTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestClock.Now);
    private readonly CollectorMetrics _metrics = new();
    private readonly LabeledTotals _refused;
    private readonly WorkspaceSettings _shop = new() { Id = "shop", WriteKey = "wk_shop", EventsPerSecond = 100, SecretKeyRequestsPerSecond = 2 };
    private readonly WorkspaceSettings _other = new() { Id = "other", WriteKey = "wk_other", EventsPerSecond = 100, SecretKeyRequestsPerSecond = 2 };

    public WorkspaceRateLimiterTests() => _refused = new LabeledTotals(_metrics, "otq_rate_limited_total", "workspace");

    public void Dispose() => _refused.Dispose();

    private WorkspaceRateLimiter Limiter(params WorkspaceSettings[] workspaces) =>
        new(new WorkspaceRegistry(workspaces.Length > 0 ? workspaces : [_shop, _other]), _time, _metrics);

    [Fact]
    public void The_defaults_are_2000_events_and_20_secret_key_requests_a_second_with_two_seconds_of_burst()
    {
        var defaults = new WorkspaceSettings { Id = "d", WriteKey = "wk_d" };
        var limiter = Limiter(defaults);

        Assert.True(limiter.TryAcquire(defaults, RateLimitedKey.WriteKey, 4000).Allowed);
        Assert.Equal(new RateDecision(false, 1, false), limiter.TryAcquire(defaults, RateLimitedKey.WriteKey, 1));
        for (var i = 0; i < 40; i++) { Assert.True(limiter.TryAcquire(defaults, RateLimitedKey.SecretKey).Allowed); }
        Assert.False(limiter.TryAcquire(defaults, RateLimitedKey.SecretKey).Allowed);
    }

    [Fact]
    public void Events_are_counted_one_permit_each_and_a_refusal_says_when_to_retry()
    {
        var limiter = Limiter();

        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 150).Allowed);
        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 50).Allowed);
        // 0 left, 150 wanted at 100/s: 1.5 s, rounded up to whole seconds.
        Assert.Equal(new RateDecision(false, 2, false), limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 150));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(new RateDecision(false, 1, false), limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 150));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 150).Allowed);
    }

    [Fact]
    public void A_batch_bigger_than_the_burst_is_refused_as_never_fitting()
    {
        var limiter = Limiter();
        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 50).Allowed);

        // Burst 200: 201 never fits; retry after the bucket is full again (50 at 100/s = 0.5 s → 1 s).
        Assert.Equal(new RateDecision(false, 1, true), limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 201));
        Assert.Equal(201, Refused("shop"));
    }

    [Fact]
    public void Workspaces_and_key_kinds_have_independent_budgets()
    {
        var limiter = Limiter();
        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.SecretKey).Allowed);
        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.SecretKey).Allowed);
        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.SecretKey).Allowed);
        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.SecretKey).Allowed);
        Assert.False(limiter.TryAcquire(_shop, RateLimitedKey.SecretKey).Allowed);

        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 200).Allowed);
        Assert.True(limiter.TryAcquire(_other, RateLimitedKey.SecretKey).Allowed);
        Assert.True(limiter.TryAcquire(_other, RateLimitedKey.WriteKey, 200).Allowed);
        Assert.Equal(1, Refused("shop"));
        Assert.Equal(0, Refused("other"));
    }

    [Fact]
    public void Refusals_are_counted_per_workspace_in_events_and_in_the_prometheus_text()
    {
        var limiter = Limiter();
        Assert.True(limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 200).Allowed);

        Assert.False(limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 50).Allowed);
        Assert.False(limiter.TryAcquire(_shop, RateLimitedKey.WriteKey, 1).Allowed);

        Assert.Equal(51, _refused.Get("shop"));
    }

    [Fact]
    public void Memory_is_one_bucket_per_configured_workspace_and_kind_whatever_is_asked()
    {
        var unlimited = new WorkspaceSettings { Id = "free", WriteKey = "wk_free", EventsPerSecond = 0, SecretKeyRequestsPerSecond = 0 };
        var limiter = Limiter(_shop, _other, unlimited);
        Assert.Equal(4, limiter.BucketCount);

        for (var i = 0; i < 1000; i++)
        {
            var stranger = new WorkspaceSettings { Id = "stranger-" + i, WriteKey = "wk_" + i };
            Assert.True(limiter.TryAcquire(stranger, RateLimitedKey.WriteKey, 1_000_000).Allowed);
        }

        Assert.True(limiter.TryAcquire(unlimited, RateLimitedKey.WriteKey, 1_000_000).Allowed);
        Assert.Equal(4, limiter.BucketCount);
    }

    [Fact]
    public void A_negative_limit_fails_at_construction_naming_the_setting()
    {
        var bad = new WorkspaceSettings { Id = "bad", WriteKey = "wk_bad", EventsPerSecond = -1 };

        var error = Assert.Throws<InvalidOperationException>(() => Limiter(bad));

        Assert.Equal("OmniTrack:Workspaces (bad): EventsPerSecond must be 0 (no limit) or more, not -1", error.Message);
    }

    private long Refused(string workspace) => _refused.Get(workspace);
}
