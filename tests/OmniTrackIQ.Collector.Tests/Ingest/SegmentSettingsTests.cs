using System.Net;

namespace OmniTrackIQ.Collector.Tests.Ingest;

/// <summary>Issue 15: the analytics.js settings echoed the Host header into a publicly cacheable answer.</summary>
public sealed class SegmentSettingsTests
{
    private static async Task<HttpResponseMessage> GetSettingsAsync(HttpClient client, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/projects/{CollectorFactory.WriteKey}/settings");
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Without_a_public_URL_the_answer_names_the_request_host_and_is_never_shared_across_hosts()
    {
        await using var factory = new CollectorFactory();
        using var response = await GetSettingsAsync(factory.CreateClient(), "evil.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"integrations":{"Segment.io":{"apiKey":"wk_test","apiHost":"evil.example/v1","protocol":"http"}},"metrics":{"sampleRate":0}}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("private, no-store", response.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal(["Host"], response.Headers.Vary);
    }

    [Fact]
    public async Task With_a_public_URL_the_answer_ignores_the_host_header_and_may_be_cached()
    {
        await using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:PublicUrl"] = "https://collect.shop.example:8443/otq/";
        using var response = await GetSettingsAsync(factory.CreateClient(), "evil.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"integrations":{"Segment.io":{"apiKey":"wk_test","apiHost":"collect.shop.example:8443/otq/v1","protocol":"https"}},"metrics":{"sampleRate":0}}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("public, max-age=300", response.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Empty(response.Headers.Vary);
    }

    [Theory]
    [InlineData("collect.shop.example")]
    [InlineData("ftp://collect.shop.example")]
    [InlineData("https://collect.shop.example/?x=1")]
    public void A_public_URL_that_is_not_an_HTTP_URL_stops_the_start(string value)
    {
        using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:PublicUrl"] = value;
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Equal($"OmniTrack:PublicUrl is '{value}'; it must be an absolute http or https URL without query, fragment or user, e.g. https://collect.shop.example", error.Message);
    }
}
