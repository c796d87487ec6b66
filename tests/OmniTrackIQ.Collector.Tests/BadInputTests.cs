using System.Net;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>
/// Every malformed input gets a clear answer and never a 500 (DESIGN "Acceptance"): a body that cannot be read at
/// all is a 4xx problem naming the field and stores nothing; an invalid event is rejected alone — the answer is 200
/// with the event's index, field and reason, a <c>bad_events</c> row keeps it, and its valid neighbours are stored.
/// </summary>
public sealed class BadInputTests : IClassFixture<CollectorFactory>
{
    private readonly HttpClient _client;

    public BadInputTests(CollectorFactory factory) => _client = factory.CreateClient();

    public static TheoryData<string, int, string, string> WholeRequestCases() => new()
    {
        { "truncated JSON", 400, "$", Payloads.Batch(Payloads.Event("t1"))[..40] },
        { "wrong type: batch", 400, "batch", """{"writeKey":"wk_test","batch":{"type":"page"}}""" },
        { "deep nesting", 400, "$", Payloads.Batch(Payloads.Event("d", extra: ",\"properties\":{\"a\":" + new string('[', 40) + new string(']', 40) + "}")) },
        { "empty batch", 400, "batch", Payloads.Batch() },
        { "missing batch", 400, "batch", """{"writeKey":"wk_test"}""" },
        { "not an object", 400, "$", "[1,2,3]" },
        { "trailing garbage", 400, "$", Payloads.Batch(Payloads.Event("tg")) + "}" },
        { "bad sentAt", 400, "sentAt", """{"writeKey":"wk_test","sentAt":"soon","batch":[{"type":"page","anonymousId":"a"}]}""" },
        { "bad batch-level context", 400, "context.page.url", """{"writeKey":"wk_test","context":{"page":{"url":7}},"batch":[{"type":"page","anonymousId":"a"}]}""" },
    };

    [Theory]
    [MemberData(nameof(WholeRequestCases))]
    public async Task Unreadable_bodies_are_refused_whole_naming_the_field(string name, int status, string field, string body)
    {
        using var content = Payloads.Json(body);
        content.Headers.Add("X-OTQ-Key", CollectorFactory.WriteKey);
        using var response = await _client.PostAsync("/v1/batch", content);
        Assert.True(status == (int)response.StatusCode, $"{name}: got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var problem = await CollectorClient.ProblemAsync(response);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
    }

    /// <summary>Each case: one bad event, sent first in a batch with one valid event behind it.</summary>
    public static TheoryData<string, string, string, string> PerEventCases() => new()
    {
        { "wrong type: messageId", """{"type":"page","messageId":true,"anonymousId":"a"}""", "batch[0].messageId", "invalid_type" },
        { "wrong type: timestamp", """{"type":"page","messageId":"m","anonymousId":"a","timestamp":12}""", "batch[0].timestamp", "invalid_type" },
        { "bad timestamp", """{"type":"page","messageId":"m","anonymousId":"a","timestamp":"yesterday"}""", "batch[0].timestamp", "invalid_timestamp" },
        { "wrong type: revenue", """{"type":"page","messageId":"m","anonymousId":"a","properties":{"revenue":[1]}}""", "batch[0].properties.revenue", "invalid_type" },
        { "unknown event type", """{"type":"purchase","messageId":"m","anonymousId":"a"}""", "batch[0].type", "invalid_type" },
        { "missing type", """{"messageId":"m","anonymousId":"a"}""", "batch[0].type", "missing_field" },
        { "event over 32 KiB", Payloads.Event("big", extra: ",\"properties\":{\"blob\":\"" + new string('x', 33 * 1024) + "\"}"), "batch[0]", "event_too_large" },
        { "missing anonymousId and userId", """{"type":"page","messageId":"m"}""", "batch[0].anonymousId", "missing_field" },
        { "track without event", Payloads.Event("tr", "track"), "batch[0].event", "missing_field" },
        { "conversion without orderId", Payloads.Event("cv", "conversion"), "batch[0].properties.orderId", "missing_field" },
        { "alias without previousId", """{"type":"alias","messageId":"al","userId":"u"}""", "batch[0].previousId", "missing_field" },
        { "group without groupId", """{"type":"group","messageId":"gr","userId":"u"}""", "batch[0].groupId", "missing_field" },
        { "bad currency", Payloads.Event("cu", extra: ",\"properties\":{\"currency\":\"E1\"}"), "batch[0].properties.currency", "invalid_currency" },
        { "bad email hash", Payloads.Event("eh", extra: ",\"context\":{\"traits\":{\"emailSha256\":\"zz\"}}"), "batch[0].context.traits.emailSha256", "enrichment_rejected" },
        { "escaped lone surrogate", Payloads.Event("ls", extra: ",\"event\":\"\\ud800\""), "batch[0]", "invalid_json" },
        { "not an object", "42", "batch[0]", "invalid_type" },
    };

    [Theory]
    [MemberData(nameof(PerEventCases))]
    public async Task An_invalid_event_is_rejected_alone_and_kept_in_bad_events(string name, string badEvent, string field, string reason)
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(badEvent, Payloads.Event("good-" + name.Length))));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(answer.GetProperty("rejected").EnumerateArray());
        Assert.Equal((0, field, reason), (rejected.GetProperty("index").GetInt32(), rejected.GetProperty("field").GetString(), rejected.GetProperty("reason").GetString()));

        var stored = await CollectorClient.WaitForEventsAsync(client, 1);
        Assert.Equal("good-" + name.Length, Assert.Single(stored).GetProperty("messageId").GetString());
        var bad = Assert.Single(await CollectorClient.WaitForBadEventsAsync(client, 1));
        Assert.Equal((0, field), (bad.GetProperty("index").GetInt32(), bad.GetProperty("field").GetString()));
        Assert.StartsWith(reason + ": ", bad.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_five_hundred_events_the_rest_are_rejected_and_the_first_five_hundred_stored()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.ManyEvents(502, "e")));

        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(500, answer.GetProperty("accepted").GetInt32());
        var summary = Assert.Single(answer.GetProperty("rejected").EnumerateArray());
        Assert.Equal((500, "batch[500]", "too_many_events"), (summary.GetProperty("index").GetInt32(), summary.GetProperty("field").GetString(), summary.GetProperty("reason").GetString()));
        Assert.StartsWith("2 events from index 500 on were not read", summary.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(500, await CollectorClient.WaitForStoredAsync(client, 500));
    }

    [Fact]
    public async Task A_duplicated_message_id_in_one_batch_keeps_the_first_and_rejects_the_second()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("dup"), Payloads.Event("dup"))));

        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(answer.GetProperty("rejected").EnumerateArray());
        Assert.Equal((1, "batch[1].messageId", "duplicate_message_id"), (rejected.GetProperty("index").GetInt32(), rejected.GetProperty("field").GetString(), rejected.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Free_text_over_its_limit_is_cut_at_a_character_and_flagged_not_refused()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        // 1,500 characters of a 3-byte character: 4,500 bytes, over the 1,024-byte title limit; a 5,000-byte referrer.
        var title = new string('€', 1500);
        var referrer = "https://ref.example/?" + new string('q', 5000);
        var page = $$"""{"url":"https://shop.example/","title":"{{title}}","referrer":"{{referrer}}"}""";
        var body = Payloads.Batch(Payloads.Event("long", extra: ",\"context\":{\"page\":" + page + "}"));
        using var response = await client.PostAsync("/v1/batch", Payloads.Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal(new string('€', 341), stored.GetProperty("pageTitle").GetString()); // 341 × 3 = 1,023 bytes: the 342nd does not fit whole
        Assert.Equal(4096, Encoding.UTF8.GetByteCount(stored.GetProperty("pageReferrer").GetString()!));
        Assert.Equal("truncated:batch[0].context.page.title,truncated:batch[0].context.page.referrer", stored.GetProperty("flags").GetString());
    }

    [Fact]
    public async Task An_event_without_message_id_gets_one_from_its_content_so_a_retry_is_stored_once()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        const string Event = """{"type":"page","anonymousId":"a","timestamp":"2026-11-23T11:00:00.000Z"}""";
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Event)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var other = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Event.Replace("11:00", "11:01", StringComparison.Ordinal))));
        var stored = await CollectorClient.WaitForEventsAsync(client, 2);
        Assert.Equal(2, stored.Length);
        Assert.All(stored, e => Assert.Matches("^otq-[0-9a-f]{32}$", e.GetProperty("messageId").GetString()));
        Assert.NotEqual(stored[0].GetProperty("messageId").GetString(), stored[1].GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task Invalid_UTF8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(Payloads.Batch(Payloads.Event("u1", extra: ",\"event\":\"XX\""))).ToList();
        var at = bytes.IndexOf((byte)'X');
        bytes[at] = 0xC3; bytes[at + 1] = 0x28; // an invalid two-byte sequence
        using var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new("application/json");
        content.Headers.Add("X-OTQ-Key", CollectorFactory.WriteKey);
        using var response = await _client.PostAsync("/v1/batch", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_utf8", (await CollectorClient.ProblemAsync(response)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_ten_megabyte_body_is_413_before_it_is_buffered()
    {
        using var content = new ByteArrayContent(new byte[10 * 1024 * 1024]);
        content.Headers.ContentType = new("application/json");
        using var response = await _client.PostAsync("/v1/batch", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("524288", (await CollectorClient.ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_and_the_event_is_kept()
    {
        var body = Payloads.Batch(Payloads.Event("uf1", extra: ",\"futureField\":{\"a\":[1,2]},\"context\":{\"newThing\":true}"));
        using var response = await _client.PostAsync("/v1/batch", Payloads.Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Refused_requests_store_nothing()
    {
        var before = (await CollectorClient.StatsAsync(_client)).GetProperty("total").GetInt64();
        using var response = await _client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("ok1")) + "garbage"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var good = await _client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("ok2"))));
        Assert.Equal(before + 1, await CollectorClient.WaitForStoredAsync(_client, before + 1));
    }
}
