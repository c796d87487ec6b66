using System.Net;
using OmniTrackIQ.Collector.Tests.Proxies;
using OmniTrackIQ.Collector.Workspaces;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Issue 15: <c>/metrics</c> named every workspace to anyone; now a token, or this machine only.</summary>
public sealed class MetricsAccessTests
{
    private const string MetricsToken = "mt_scraper";

    private static async Task<(HttpStatusCode Status, string Body)> ScrapeAsync(HttpClient client, string? peer, string? token = null, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (peer is not null) { request.Headers.Add(TestPeer.Header, peer); }
        if (token is not null) { request.Headers.Authorization = new("Bearer", token); }
        if (forwardedFor is not null) { request.Headers.Add("X-Forwarded-For", forwardedFor); }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Without_a_token_this_machine_may_scrape(string peer)
    {
        await using var factory = new CollectorFactory();
        await using var app = TestPeer.Factory(factory);
        var (status, body) = await ScrapeAsync(app.CreateClient(), peer);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("otq_events_accepted_total", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.9", null)]
    [InlineData("10.0.0.7", null)]
    [InlineData("127.0.0.1", "203.0.113.9")] // a proxy on this machine relaying someone else
    public async Task WithoutATokenAnyoneElseIsRefusedWithoutAWorkspaceName(string peer, string? forwardedFor)
    {
        await using var factory = new CollectorFactory();
        await using var app = TestPeer.Factory(factory);
        var (status, body) = await ScrapeAsync(app.CreateClient(), peer, forwardedFor: forwardedFor);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("\"reason\":\"metrics_local_only\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("shop", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_token_configured_every_scrape_needs_it()
    {
        await using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Metrics:TokenSha256"] = WorkspaceRegistry.Sha256Hex(MetricsToken);
        await using var app = TestPeer.Factory(factory);
        var client = app.CreateClient();

        var missing = await ScrapeAsync(client, "127.0.0.1");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Contains("\"field\":\"Authorization\"", missing.Body, StringComparison.Ordinal);
        var wrong = await ScrapeAsync(client, "203.0.113.9", "mt_guess");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Contains("\"reason\":\"unknown_metrics_token\"", wrong.Body, StringComparison.Ordinal);

        var right = await ScrapeAsync(client, "203.0.113.9", MetricsToken);
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains("otq_events_accepted_total", right.Body, StringComparison.Ordinal);
    }
}
