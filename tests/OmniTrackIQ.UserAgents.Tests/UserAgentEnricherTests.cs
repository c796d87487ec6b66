using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.UserAgents.Tests;

[Collection(ParserCollection.Name)]
public sealed class UserAgentEnricherTests(ParserFixture fixture)
{
    private static readonly WorkspaceSettings s_workspace = new() { Id = "ws1" };
    private readonly UserAgentEnricher _enricher = new(new UserAgentCache(fixture.Parser, 1_000));

    private static IngestRequest Request(string? userAgent) => new(null, userAgent, false, s_workspace);

    [Fact]
    public void The_request_user_agent_fills_every_column()
    {
        var evt = new TrackedEvent();

        var verdict = _enricher.Enrich(evt, Request(SampleUserAgents.SafariIPhone));

        Assert.Equal(EnrichmentVerdict.Accept, verdict);
        Assert.Equal(SampleUserAgents.SafariIPhone, evt.UserAgent);
        Assert.Equal("Mobile Safari", evt.Browser);
        Assert.Equal("17.2", evt.BrowserVersion);
        Assert.Equal("iOS", evt.Os);
        Assert.Equal("17.2.1", evt.OsVersion);
        Assert.Equal("iPhone", evt.DeviceFamily);
        Assert.Equal("Apple", evt.DeviceBrand);
        Assert.Equal("iPhone", evt.DeviceModel);
        Assert.Equal("mobile", evt.DeviceClass);
        Assert.False(evt.IsBot);
    }

    [Fact]
    public void The_events_context_user_agent_wins_over_the_senders_header()
    {
        // A server-side client posts with its library's User-Agent and the visitor's in context.userAgent.
        var evt = new TrackedEvent { UserAgent = SampleUserAgents.SafariIPhone };

        _enricher.Enrich(evt, Request("analytics-node-next/latest"));

        Assert.Equal(SampleUserAgents.SafariIPhone, evt.UserAgent);
        Assert.Equal("Mobile Safari", evt.Browser);
        Assert.False(evt.IsBot);
    }

    [Fact]
    public void Without_a_request_user_agent_the_events_own_is_used()
    {
        var evt = new TrackedEvent { UserAgent = SampleUserAgents.ChromeWindows };

        _enricher.Enrich(evt, Request(null));

        Assert.Equal("Chrome", evt.Browser);
        Assert.Equal("120.0.6099", evt.BrowserVersion);
        Assert.Equal("Windows", evt.Os);
        Assert.Equal("10", evt.OsVersion);
        Assert.Equal("Other", evt.DeviceFamily);
        Assert.Null(evt.DeviceBrand);
        Assert.Null(evt.DeviceModel);
        Assert.Equal("desktop", evt.DeviceClass);
    }

    [Fact]
    public void No_user_agent_anywhere_makes_a_bot()
    {
        var evt = new TrackedEvent();

        var verdict = _enricher.Enrich(evt, Request(null));

        Assert.False(verdict.IsRejected);
        Assert.Null(evt.UserAgent);
        Assert.Equal("Other", evt.Browser);
        Assert.Null(evt.BrowserVersion);
        Assert.Equal("bot", evt.DeviceClass);
        Assert.True(evt.IsBot);
    }

    [Fact]
    public void A_long_user_agent_is_stored_cut_to_512_chars()
    {
        var longUa = SampleUserAgents.FirefoxLinux + new string('q', 5_000);
        var evt = new TrackedEvent();

        _enricher.Enrich(evt, Request(longUa));

        Assert.Equal(longUa[..512], evt.UserAgent);
        Assert.Equal("Firefox", evt.Browser);
    }

    [Fact]
    public void A_bot_flag_set_by_an_earlier_enricher_is_kept()
    {
        var evt = new TrackedEvent { IsBot = true };

        _enricher.Enrich(evt, Request(SampleUserAgents.ChromeWindows));

        Assert.True(evt.IsBot);
    }

    [Fact]
    public void Enriching_with_a_cached_user_agent_allocates_nothing()
    {
        var evt = new TrackedEvent();
        var longUa = SampleUserAgents.GalaxyTab + new string('w', 1_000);
        // The event's own user agent wins over the request's, so each round starts without one (as a new event would).
        for (var i = 0; i < 10; i++)
        {
            evt.UserAgent = null;
            _enricher.Enrich(evt, Request(SampleUserAgents.SafariIPhone));
            evt.UserAgent = null;
            _enricher.Enrich(evt, Request(longUa));
        }

        var phone = Request(SampleUserAgents.SafariIPhone);
        var tablet = Request(longUa);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            evt.UserAgent = null;
            _enricher.Enrich(evt, phone);
            evt.UserAgent = null;
            _enricher.Enrich(evt, tablet);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal("tablet", evt.DeviceClass);
    }
}
