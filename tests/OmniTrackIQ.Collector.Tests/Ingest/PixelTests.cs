using System.Net;

namespace OmniTrackIQ.Collector.Tests.Ingest;

/// <summary>The &lt;img&gt; pixel without a client-made id (a noscript tag cannot make one), and its free text.</summary>
public sealed class PixelTests
{
    [Fact]
    public async Task A_pixel_without_mid_is_stored_and_its_browser_retry_is_not_stored_twice()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(SegmentRequests.BrowserUserAgent);
        var url = $"/p.gif?wk={CollectorFactory.WriteKey}&aid=noscript-1&url=https%3A%2F%2Fshop.example%2F";
        for (var i = 0; i < 2; i++)
        {
            using var gif = await client.GetAsync(url);
            Assert.Equal((HttpStatusCode.OK, "image/gif"), (gif.StatusCode, gif.Content.Headers.ContentType?.MediaType));
        }

        using (var other = await client.GetAsync(url + "%3Fpage%3D2")) { Assert.Equal(HttpStatusCode.OK, other.StatusCode); }

        var rows = await CollectorClient.WaitForEventsAsync(client, 2);
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.Matches("^otq-[0-9a-f]{32}$", r.GetProperty("messageId").GetString()));
        Assert.Equal(0, (await CollectorClient.GetJsonAsync(client, "/v1/events/bad")).GetProperty("badEvents").GetArrayLength());
    }

    [Fact]
    public async Task A_pixel_title_over_its_limit_is_cut_and_flagged_not_refused()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var gif = await client.GetAsync($"/p.gif?wk={CollectorFactory.WriteKey}&mid=t1&aid=a&title={new string('t', 1500)}");

        var row = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal(1024, row.GetProperty("pageTitle").GetString()!.Length);
        Assert.Equal("truncated:title", row.GetProperty("flags").GetString());
    }
}
