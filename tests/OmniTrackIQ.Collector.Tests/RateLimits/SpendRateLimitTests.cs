using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Metrics;

namespace OmniTrackIQ.Collector.Tests.RateLimits;

/// <summary><c>POST /v1/spend</c> under <c>SecretKeyRequestsPerSecond = 1</c> (burst 2), the limiter on a fake clock.</summary>
public sealed class SpendRateLimitTests
{
    private const string OtherSecretKey = "sk_other";
    private const string Body = """{"rows":[{"date":"2026-11-20","platform":"google","campaign":"brand","spend":25,"currency":"EUR"}]}""";

    [Fact]
    public async Task The_third_immediate_request_is_429_with_Retry_After_and_the_other_workspace_is_unaffected()
    {
        var time = new FakeTimeProvider(TestClock.Now);
        await using var collector = new CollectorFactory();
        collector.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
        collector.Settings["OmniTrack:Workspaces:0:SecretKeyRequestsPerSecond"] = "1";
        collector.Settings["OmniTrack:Workspaces:1:SecretKeySha256"] = WorkspaceRegistry.Sha256Hex(OtherSecretKey);
        collector.Settings["OmniTrack:Workspaces:1:SecretKeyRequestsPerSecond"] = "1";
        await using var factory = StoppedLimiterClock.Apply(collector, time);
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, CollectorFactory.SecretKey));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, CollectorFactory.SecretKey));
        using (var refused = await PostAsync(client, CollectorFactory.SecretKey))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            var problem = await CollectorClient.ProblemAsync(refused);
            Assert.Equal(429, problem.GetProperty("status").GetInt32());
            Assert.Equal("Authorization", problem.GetProperty("field").GetString());
            Assert.Equal("rate_limited", problem.GetProperty("reason").GetString());
            Assert.Equal("https://omnitrackiq.dev/problems/rate-limited", problem.GetProperty("type").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, OtherSecretKey));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, OtherSecretKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "sk_wrong")); // authentication first, never limited

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, CollectorFactory.SecretKey));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(client, CollectorFactory.SecretKey));

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("otq_rate_limited_total{workspace=\"shop\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("otq_rate_limited_total{workspace=\"other\"}", metrics, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string key)
    {
        using var response = await PostAsync(client, key);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/spend") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }
}
