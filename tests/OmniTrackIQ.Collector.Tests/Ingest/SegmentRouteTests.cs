using System.Net;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Ingest;

/// <summary>Segment's routes, keys, encodings and browser plumbing, as its clients use them.</summary>
public sealed class SegmentRouteTests
{
    [Theory]
    [InlineData("/v1/track", "track")]
    [InlineData("/v1/t", "track")]
    [InlineData("/v1/page", "page")]
    [InlineData("/v1/p", "page")]
    [InlineData("/v1/identify", "identify")]
    [InlineData("/v1/i", "identify")]
    [InlineData("/v1/screen", "screen")]
    [InlineData("/v1/s", "screen")]
    [InlineData("/v1/group", "group")]
    [InlineData("/v1/g", "group")]
    [InlineData("/v1/alias", "alias")]
    [InlineData("/v1/a", "alias")]
    public async Task Each_single_event_route_stores_one_event_of_its_type(string path, string type)
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        // The body's own type does not matter: the route decides, as at Segment.
        const string Body = """{"type":"ignored","messageId":"m-1","userId":"u1","anonymousId":"a1","event":"Clicked","name":"Home","groupId":"g1","previousId":"a0","sentAt":"2026-11-23T12:00:00.000Z"}""";
        using var response = await client.SendAsync(SegmentRequests.Post(path, Body, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"accepted":1,"rejected":[]}""", await response.Content.ReadAsStringAsync());
        var stored = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal(("m-1", type), (stored.GetProperty("messageId").GetString(), stored.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task The_short_batch_route_takes_a_batch()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(SegmentRequests.Post("/v1/b", Payloads.Batch(Payloads.Event("b1"), Payloads.Event("b2")), "text/plain"));

        Assert.Equal("""{"accepted":2,"rejected":[]}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(":")]
    [InlineData("")]
    public async Task The_write_key_is_read_from_basic_auth_with_or_without_the_colon(string suffix)
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var request = SegmentRequests.Post("/v1/batch", """{"batch":[{"type":"page","messageId":"k1","anonymousId":"a"}]}""", basicKey: null);
        request.Headers.Authorization = SegmentRequests.Basic(CollectorFactory.WriteKey, suffix);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("X-OTQ-Key")]
    [InlineData("X-Write-Key")]
    public async Task The_write_key_is_read_from_either_header(string header)
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var request = SegmentRequests.Post("/v1/track", """{"messageId":"h1","anonymousId":"a","event":"x"}""", basicKey: null);
        request.Headers.Add(header, CollectorFactory.WriteKey);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_write_key_is_read_from_the_query_last()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(SegmentRequests.Post("/v1/track?writeKey=" + CollectorFactory.WriteKey, """{"messageId":"q1","anonymousId":"a","event":"x"}""", basicKey: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_basic_key_is_refused_even_when_the_body_has_a_good_one()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(SegmentRequests.Post("/v1/batch", Payloads.Batch(Payloads.Event("w1")), basicKey: "wk_wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Authorization", (await CollectorClient.ProblemAsync(response)).GetProperty("field").GetString());
        Assert.Equal(0, (await CollectorClient.StatsAsync(client)).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_gzip_body_labelled_form_urlencoded_is_read_as_rudderstack_sends_it()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var body = Encoding.UTF8.GetBytes("""{"batch":[{"type":"track","event":"Added","messageId":"gz1","anonymousId":"a","originalTimestamp":"2026-11-23T11:59:00.000Z","sentAt":"2026-11-23T12:00:00.000Z"}],"sentAt":"2026-11-23T12:00:00.000Z"}""");
        using var response = await client.SendAsync(SegmentRequests.PostGzip("/v1/batch", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal("Added", stored.GetProperty("event").GetString());
        // originalTimestamp, skew-corrected by the event's own sentAt (the pinned clock reads 12:00:00 and a bit).
        var ts = stored.GetProperty("ts").GetDateTime();
        Assert.InRange(ts, new DateTime(2026, 11, 23, 11, 59, 0, DateTimeKind.Utc), new DateTime(2026, 11, 23, 11, 59, 59, DateTimeKind.Utc));
    }

    [Fact]
    public async Task A_gzip_bomb_is_413_and_the_collector_stays_up()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var bomb = new byte[64 * 1024 * 1024]; // 64 MiB of zeros, ~64 KiB compressed
        using var response = await client.SendAsync(SegmentRequests.PostGzip("/v1/batch", bomb, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await CollectorClient.ProblemAsync(response)).GetProperty("reason").GetString());
        using var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_corrupt_gzip_body_is_400_not_a_crash()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var request = SegmentRequests.Post("/v1/batch", Payloads.Batch(Payloads.Event("cz")));
        request.Content!.Headers.ContentEncoding.Add("gzip");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unreadable_body", (await CollectorClient.ProblemAsync(response)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_unknown_content_encoding_is_415()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var request = SegmentRequests.Post("/v1/batch", Payloads.Batch(Payloads.Event("ze")));
        request.Content!.Headers.ContentEncoding.Add("zstd");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Content-Encoding", (await CollectorClient.ProblemAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_xml_body_is_415()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(SegmentRequests.Post("/v1/batch", "<batch/>", "application/xml"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Client_metrics_are_answered_and_not_stored()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(SegmentRequests.Post("/v1/m", """{"series":[{"type":"Counter","metric":"analytics_js.invoke","value":1}]}""", "text/plain", basicKey: null));
        using var page = await client.SendAsync(SegmentRequests.Post("/v1/p", """{"messageId":"after-m","anonymousId":"a"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal("after-m", stored.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task The_settings_point_analytics_js_back_at_this_collector()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.GetAsync($"/v1/projects/{CollectorFactory.WriteKey}/settings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"integrations":{"Segment.io":{"apiKey":"wk_test","apiHost":"localhost/v1","protocol":"http"}},"metrics":{"sampleRate":0}}""",
            await response.Content.ReadAsStringAsync());
        using var unknown = await client.GetAsync("/v1/projects/wk_nobody/settings");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("/v1/t")]
    [InlineData("/v1/batch")]
    [InlineData("/v1/projects/wk_test/settings")]
    public async Task A_preflight_from_an_allowed_origin_allows_what_analytics_js_sends(string path)
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", CollectorFactory.Origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-retry-count");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(CollectorFactory.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").Single().Split(", ");
        Assert.Superset(new HashSet<string> { "Authorization", "Content-Type", "X-Retry-Count" }, allowed.ToHashSet());
    }

    [Fact]
    public async Task Rejected_events_are_answered_in_segment_shape_without_failing_the_batch()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(SegmentRequests.Post("/v1/batch",
            """{"batch":[{"type":"track","messageId":"r0","anonymousId":"a","event":"ok"},{"type":"track","messageId":"r1","anonymousId":"a"},{"type":"identify","messageId":"r2","userId":"u"}]}"""));

        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        Assert.Equal("batch[1].event", Assert.Single(answer.GetProperty("rejected").EnumerateArray()).GetProperty("field").GetString());
    }
}
