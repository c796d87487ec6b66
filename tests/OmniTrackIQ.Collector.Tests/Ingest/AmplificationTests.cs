using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.Tests.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Collector.Tests.Ingest;

/// <summary>
/// Issue 15, amplification: a 558-byte gzip body of 200,000 zeros was answered with 32 MB of rejections. Now the key
/// is checked before any event is parsed, the first 500 elements are answered within a few KiB (the rest counted),
/// and refused elements are charged to the workspace's rate limit like accepted ones.
/// </summary>
public sealed class AmplificationTests
{
    private static ByteArrayContent GzipZeros(string? writeKey, int elements = 200_000)
    {
        var json = (writeKey is null ? "{\"batch\":[" : $"{{\"writeKey\":\"{writeKey}\",\"batch\":[") + string.Join(',', Enumerable.Repeat("0", elements)) + "]}";
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    [Fact]
    public async Task A_tiny_gzip_body_of_200000_zeros_gets_a_bounded_answer_with_one_summary()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var body = GzipZeros(CollectorFactory.WriteKey);
        Assert.InRange(body.Headers.ContentLength ?? (await body.ReadAsByteArrayAsync()).Length, 1, 2048);

        using var response = await client.PostAsync("/v1/batch", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(Encoding.UTF8.GetByteCount(text), 1, 8 * 1024);
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal(0, answer.GetProperty("accepted").GetInt32());
        var listed = answer.GetProperty("rejected").EnumerateArray().ToArray();
        Assert.Equal(501, listed.Length + answer.GetProperty("rejectedOmitted").GetInt32());
        Assert.Equal("invalid_type", listed[0].GetProperty("reason").GetString());
        Assert.Equal(("too_many_events", 500), (listed[^1].GetProperty("reason").GetString(), listed[^1].GetProperty("index").GetInt32()));
        // The refusals go to bad_events within the workspace's budget of 100 rows a second; the rest are counted.
        Assert.Equal(BadEventQueue.PerWorkspacePerSecond, (await CollectorClient.WaitForBadEventsAsync(client, BadEventQueue.PerWorkspacePerSecond)).Length);
    }

    [Fact]
    public async Task Without_a_key_the_same_body_is_refused_401_and_nothing_is_kept()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var body = GzipZeros(null);

        using var response = await client.PostAsync("/v1/batch", body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.InRange((await response.Content.ReadAsByteArrayAsync()).Length, 1, 1024);
        Assert.Equal("unknown_write_key", (await CollectorClient.ProblemAsync(response)).GetProperty("reason").GetString());
        Assert.Equal(0, (await CollectorClient.GetJsonAsync(client, "/v1/events/bad")).GetProperty("badEvents").GetArrayLength());
    }

    [Fact]
    public async Task Rejected_events_spend_the_rate_limit_like_accepted_ones()
    {
        await using var collector = new CollectorFactory();
        collector.Settings["OmniTrack:Workspaces:0:EventsPerSecond"] = "1"; // a bucket of 2 events
        await using var factory = StoppedLimiterClock.Apply(collector);
        using var client = factory.CreateClient();

        using var invalid = await client.PostAsync("/v1/batch", Payloads.Json($"{{\"writeKey\":\"{CollectorFactory.WriteKey}\",\"batch\":[0,0]}}"));
        using var valid = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("after-invalid"))));

        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
    }
}
