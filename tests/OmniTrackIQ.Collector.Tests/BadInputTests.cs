using System.Net;
using System.Text;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Every malformed body gets a 4xx problem naming the field; never a 500, and nothing is stored.</summary>
public sealed class BadInputTests : IClassFixture<CollectorFactory>
{
    private readonly HttpClient _client;

    public BadInputTests(CollectorFactory factory) => _client = factory.CreateClient();

    public static TheoryData<string, int, string, string> Cases() => new()
    {
        { "truncated JSON", 400, "$", Payloads.Batch(Payloads.Event("t1"))[..40] },
        { "wrong type: batch", 400, "batch", """{"writeKey":"wk_test","batch":{"type":"page"}}""" },
        { "wrong type: messageId", 400, "batch[0].messageId", Payloads.Batch("""{"type":"page","messageId":true,"anonymousId":"a"}""") },
        { "wrong type: timestamp", 400, "batch[0].timestamp", Payloads.Batch("""{"type":"page","messageId":"m","anonymousId":"a","timestamp":12}""") },
        { "bad timestamp", 400, "batch[0].timestamp", Payloads.Batch("""{"type":"page","messageId":"m","anonymousId":"a","timestamp":"yesterday"}""") },
        { "wrong type: revenue", 400, "batch[0].properties.revenue", Payloads.Batch("""{"type":"page","messageId":"m","anonymousId":"a","properties":{"revenue":[1]}}""") },
        { "unknown event type", 400, "batch[0].type", Payloads.Batch("""{"type":"screen","messageId":"m","anonymousId":"a"}""") },
        { "deep nesting", 400, "$", Payloads.Batch(Payloads.Event("d", extra: ",\"properties\":{\"a\":" + new string('[', 40) + new string(']', 40) + "}")) },
        { "huge string", 400, "batch[0].context.page.url", Payloads.Batch(Payloads.Event("h", extra: ",\"context\":{\"page\":{\"url\":\"" + new string('x', 5000) + "\"}}")) },
        { "event over 32 KiB", 413, "batch[0]", Payloads.Batch(Payloads.Event("big", extra: ",\"properties\":{\"blob\":\"" + new string('x', 33 * 1024) + "\"}")) },
        { "empty batch", 400, "batch", Payloads.Batch() },
        { "missing batch", 400, "batch", """{"writeKey":"wk_test"}""" },
        { "501 events", 400, "batch", Payloads.ManyEvents(501, "e") },
        { "missing messageId", 400, "batch[0].messageId", Payloads.Batch("""{"type":"page","anonymousId":"a"}""") },
        { "missing anonymousId and userId", 400, "batch[0].anonymousId", Payloads.Batch("""{"type":"page","messageId":"m"}""") },
        { "duplicated messageId", 400, "batch[1].messageId", Payloads.Batch(Payloads.Event("dup"), Payloads.Event("dup")) },
        { "track without event", 400, "batch[0].event", Payloads.Batch(Payloads.Event("tr", "track")) },
        { "conversion without orderId", 400, "batch[0].properties.orderId", Payloads.Batch(Payloads.Event("cv", "conversion")) },
        { "bad currency", 400, "batch[0].properties.currency", Payloads.Batch(Payloads.Event("cu", extra: ",\"properties\":{\"currency\":\"E1\"}")) },
        { "bad email hash", 400, "batch[0].context.traits.emailSha256", Payloads.Batch(Payloads.Event("eh", extra: ",\"context\":{\"traits\":{\"emailSha256\":\"zz\"}}")) },
        { "not an object", 400, "$", "[1,2,3]" },
        { "escaped lone surrogate", 400, "$", Payloads.Batch(Payloads.Event("ls", extra: ",\"event\":\"\\ud800\"")) },
        { "trailing garbage", 400, "$", Payloads.Batch(Payloads.Event("tg")) + "}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadBodiesAreRefusedNamingTheField(string name, int status, string field, string body)
    {
        using var content = Payloads.Json(body);
        content.Headers.Add("X-OTQ-Key", CollectorFactory.WriteKey);
        using var response = await _client.PostAsync("/v1/batch", content);
        Assert.True(status == (int)response.StatusCode, $"{name}: got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var problem = await CollectorClient.ProblemAsync(response);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task InvalidUtf8IsRefused()
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
    public async Task ATenMegabyteBodyIs413BeforeItIsBuffered()
    {
        using var content = new ByteArrayContent(new byte[10 * 1024 * 1024]);
        content.Headers.ContentType = new("application/json");
        using var response = await _client.PostAsync("/v1/batch", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("524288", (await CollectorClient.ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFieldsAreIgnoredAndTheEventIsKept()
    {
        var body = Payloads.Batch(Payloads.Event("uf1", extra: ",\"futureField\":{\"a\":[1,2]},\"context\":{\"newThing\":true}"));
        using var response = await _client.PostAsync("/v1/batch", Payloads.Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RefusedBatchesStoreNothing()
    {
        var before = (await CollectorClient.StatsAsync(_client)).GetProperty("total").GetInt64();
        using var response = await _client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("ok1"), "{\"type\":\"page\"}")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var good = await _client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("ok2"))));
        Assert.Equal(before + 1, await CollectorClient.WaitForStoredAsync(_client, before + 1));
    }
}
