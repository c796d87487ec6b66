using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Collector.Tests.RateLimits;

public sealed class BadEventQueueTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestClock.Now);
    private readonly CollectorMetrics _metrics = new();
    private readonly LabeledTotals _dropped;

    public BadEventQueueTests() => _dropped = new LabeledTotals(_metrics, "otq_bad_events_dropped_total", "workspace");

    public void Dispose() => _dropped.Dispose();

    private BadEvent Junk(string? workspace, int i) => new(workspace, "wk=x&junk=" + i, "t: bad", _time.GetUtcNow());

    [Fact]
    public void A_flood_from_one_workspace_keeps_its_budget_and_does_not_crowd_out_another()
    {
        var queue = new BadEventQueue(_time, _metrics);

        var kept = 0;
        for (var i = 0; i < 10_000; i++) { kept += queue.TryAdd(Junk("shop", i)) ? 1 : 0; }
        Assert.True(queue.TryAdd(Junk("other", 0)));
        Assert.True(queue.TryAdd(Junk(null, 0)));

        Assert.Equal(BadEventQueue.PerWorkspacePerSecond, kept);
        var drained = queue.Drain();
        Assert.Equal(102, drained.Count);
        Assert.Equal(100, drained.Count(b => b.Workspace == "shop"));
        Assert.Single(drained, b => b.Workspace == "other");
        Assert.Equal(9_900, _dropped.Get("shop"));
        Assert.Equal(0, _dropped.Get("other"));
    }

    [Fact]
    public void The_budget_refills_with_the_clock()
    {
        var queue = new BadEventQueue(_time, _metrics, perWorkspacePerSecond: 10);
        for (var i = 0; i < 10; i++) { Assert.True(queue.TryAdd(Junk("shop", i))); }
        Assert.False(queue.TryAdd(Junk("shop", 10)));

        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.True(queue.TryAdd(Junk("shop", 11)));
        Assert.True(queue.TryAdd(Junk("shop", 12)));
        Assert.True(queue.TryAdd(Junk("shop", 13)));
        Assert.False(queue.TryAdd(Junk("shop", 14)));

        Assert.Equal(13, queue.Drain().Count);
        Assert.Equal(2, _dropped.Get("shop"));
    }

    [Fact]
    public void The_global_capacity_still_holds_across_workspaces()
    {
        var queue = new BadEventQueue(_time, _metrics, perWorkspacePerSecond: 1_000);

        var kept = 0;
        for (var w = 0; w < 11; w++)
        {
            for (var i = 0; i < 1_000; i++) { kept += queue.TryAdd(Junk("ws" + w, i)) ? 1 : 0; }
        }

        Assert.Equal(10_000, kept);
        Assert.Equal(1_000, _dropped.Get("ws10"));
        Assert.Equal(10_000, queue.Drain().Count);
    }

    [Fact]
    public void Rows_without_a_workspace_share_one_budget_labelled_none()
    {
        var queue = new BadEventQueue(_time, _metrics, perWorkspacePerSecond: 5);

        for (var i = 0; i < 8; i++) { queue.TryAdd(Junk(null, i)); }

        Assert.Equal(5, queue.Drain().Count);
        Assert.Equal(3, _dropped.Get(BadEventQueue.NoWorkspace));
    }
}
