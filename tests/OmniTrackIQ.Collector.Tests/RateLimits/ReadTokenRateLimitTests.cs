using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Metrics;

namespace OmniTrackIQ.Collector.Tests.RateLimits;

/// <summary>Issue 15: read tokens had no limit. Read-token routes under <c>ReadTokenRequestsPerSecond = 1</c> (burst 2), the limiter on a fake clock.</summary>
public sealed class ReadTokenRateLimitTests
{
    private const string SecondShopToken = "rt_second";

    [Fact]
    public async Task Each_read_token_has_its_own_budget_and_the_third_immediate_request_is_429_with_Retry_After()
    {
        var time = new FakeTimeProvider(TestClock.Now);
        await using var collector = new CollectorFactory();
        collector.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
        collector.Settings["OmniTrack:Workspaces:0:ReadTokenRequestsPerSecond"] = "1";
        collector.Settings["OmniTrack:Workspaces:0:ReadTokenSha256:1"] = WorkspaceRegistry.Sha256Hex(SecondShopToken);
        collector.Settings["OmniTrack:Workspaces:1:ReadTokenRequestsPerSecond"] = "1";
        await using var factory = StoppedLimiterClock.Apply(collector, time);
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/v1/events/stats", CollectorFactory.ReadToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/v1/attribution/summary", CollectorFactory.ReadToken));
        using (var refused = await GetAsync(client, "/v1/events", CollectorFactory.ReadToken))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            var problem = await CollectorClient.ProblemAsync(refused);
            Assert.Equal(429, problem.GetProperty("status").GetInt32());
            Assert.Equal("Authorization", problem.GetProperty("field").GetString());
            Assert.Equal("rate_limited", problem.GetProperty("reason").GetString());
        }

        // Another token of the same workspace, and the other workspace's token, still have their budgets.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/v1/events/stats", SecondShopToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/v1/events/stats", CollectorFactory.OtherReadToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "/v1/events/stats", "rt_wrong")); // authentication first, never limited

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/v1/events/stats", CollectorFactory.ReadToken));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(client, "/v1/events/stats", CollectorFactory.ReadToken));

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("otq_rate_limited_total{workspace=\"shop\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("otq_rate_limited_total{workspace=\"other\"}", metrics, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string token)
    {
        using var response = await GetAsync(client, path, token);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
