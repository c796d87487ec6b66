using System.Net;
using System.Net.Http.Headers;

namespace OmniTrackIQ.Collector.Tests;

public sealed class EndpointContractTests : IClassFixture<CollectorFactory>
{
    private readonly CollectorFactory _factory;
    private readonly HttpClient _client;

    public EndpointContractTests(CollectorFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task A_batch_is_accepted_enriched_stored_once_and_counted_by_type_and_channel()
    {
        // A collector of its own: the class's shared one holds the other tests' events of the same workspace, in whatever order they ran.
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var body = Payloads.Batch(
            Payloads.Event("c1", extra: ""","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc"}}"""),
            Payloads.Event("c2", "track", ""","event":"add_to_cart","context":{"page":{"url":"https://shop.example/"},"clickIds":{"fbclid":"abc"}}"""),
            Payloads.Event("c3", "conversion", ""","properties":{"orderId":1001,"revenue":"59.90","currency":"eur"}"""));
        using var first = await client.PostAsync("/v1/batch", Payloads.Json(body));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("""{"accepted":3,"rejected":[]}""", await first.Content.ReadAsStringAsync());

        // A client retry of the same batch is accepted again but stored once.
        using var retry = await client.PostAsync("/v1/batch", Payloads.Json(body, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);

        Assert.True(await CollectorClient.WaitForStoredAsync(client, 3) >= 3);
        var stats = await CollectorClient.StatsAsync(client);
        Assert.Equal(3, stats.GetProperty("total").GetInt64());
        Assert.Equal(1, stats.GetProperty("byType").GetProperty("conversion").GetInt64());
        Assert.Equal(1, stats.GetProperty("byChannel").GetProperty("Paid Search").GetInt64());
    }

    [Fact]
    public async Task The_write_key_may_come_in_the_header()
    {
        var body = """{"batch":[{"type":"page","messageId":"h1","anonymousId":"a"}]}""";
        using var content = Payloads.Json(body);
        content.Headers.Add("X-OTQ-Key", CollectorFactory.WriteKey);
        using var response = await _client.PostAsync("/v1/batch", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("wk_nope", "unknown write key")]
    [InlineData("", "write key is required")]
    public async Task An_unknown_or_missing_write_key_is_401(string key, string detail)
    {
        var body = key.Length == 0 ? """{"batch":[{"type":"page","messageId":"k","anonymousId":"a"}]}""" : Payloads.BatchWithKey(key, Payloads.Event("k1"));
        using var response = await _client.PostAsync("/v1/batch", Payloads.Json(body));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await CollectorClient.ProblemAsync(response);
        Assert.Equal("writeKey", problem.GetProperty("field").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data")]
    public async Task A_wrong_content_type_is_415(string mediaType)
    {
        using var content = new StringContent(Payloads.Batch(Payloads.Event("x")));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _client.PostAsync("/v1/batch", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Content-Type", (await CollectorClient.ProblemAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_pixel_always_answers_a_GIF_and_records_rejections()
    {
        using var good = await _client.GetAsync($"/p.gif?wk={CollectorFactory.WriteKey}&mid=px1&aid=a9&url=https%3A%2F%2Fshop.example%2F");
        using var bad = await _client.GetAsync("/p.gif?wk=wk_nope&mid=px2&aid=a9");
        using var garbage = await _client.GetAsync("/p.gif?t=%FF%FE&ts=yesterday");
        foreach (var response in new[] { good, bad, garbage })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/gif", response.Content.Headers.ContentType?.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(43, bytes.Length);
            Assert.Equal("GIF89a"u8.ToArray(), bytes[..6]);
        }

        var metrics = await _client.GetStringAsync("/metrics");
        Assert.Contains("otq_events_rejected_total{reason=\"unknown_write_key\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_need_a_read_token_and_see_only_their_workspace()
    {
        using var anonymous = await _client.GetAsync("/v1/events/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Authorization", (await CollectorClient.ProblemAsync(anonymous)).GetProperty("field").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events/stats?workspace=other");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        using var cross = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, cross.StatusCode);

        var other = await CollectorClient.StatsAsync(_client, CollectorFactory.OtherReadToken);
        Assert.Equal("other", other.GetProperty("workspace").GetString());
    }

    [Fact]
    public async Task Health_readiness_and_metrics_answer()
    {
        Assert.Equal("ok", await _client.GetStringAsync("/healthz"));
        using var ready = await _client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("store: ok\nspool: ok\n", await ready.Content.ReadAsStringAsync());

        using var metrics = await _client.GetAsync("/metrics");
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        var text = await metrics.Content.ReadAsStringAsync();
        foreach (var name in new[] { "otq_events_accepted_total", "otq_spool_bytes", "otq_channel_depth", "otq_store_batches_written_total",
                     "otq_store_rows_written_total", "otq_store_write_errors_total", "otq_http_request_duration_seconds_bucket" })
        {
            Assert.Contains("\n" + name, "\n" + text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CORS_allows_only_configured_origins_on_browser_endpoints()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/batch");
        preflight.Headers.Add("Origin", CollectorFactory.Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var ok = await _client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal(CollectorFactory.Origin, ok.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var evil = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = Payloads.Json(Payloads.Batch(Payloads.Event("o1"))) };
        evil.Headers.Add("Origin", "https://evil.example");
        using var refused = await _client.SendAsync(evil);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_workspace_that_requires_consent_refuses_events_without_it()
    {
        var body = Payloads.BatchWithKey("wk_other", Payloads.Event("n1"), Payloads.Event("n2", extra: ",\"context\":{\"consent\":{\"analytics\":true}}"));
        using var response = await _client.PostAsync("/v1/batch", Payloads.Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"accepted":1,"rejected":[{"index":0,"field":"batch[0].context.consent.analytics","reason":"enrichment_rejected","detail":"analytics consent required by this workspace"}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_full_spool_answers_503_with_retry_after()
    {
        await using var tiny = new CollectorFactory();
        tiny.Settings["OmniTrack:Spool:MaxBytes"] = "1";
        using var client = tiny.CreateClient();
        using var first = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("s1"))));
        // The first batch fits (the spool was empty); from then on the spool is over its limit until the sink commits.
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("s2"))));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal("5", second.Headers.GetValues("Retry-After").Single());
    }
}
