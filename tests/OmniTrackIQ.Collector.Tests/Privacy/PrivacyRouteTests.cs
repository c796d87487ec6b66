using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Privacy;

/// <summary>Issue 20: the operator's erasure routes take the secret key, name a bad field, and erase exactly the person named.</summary>
public sealed class PrivacyRouteTests
{
    [Fact]
    public async Task Erase_by_anonymous_id_removes_that_visitor_only_and_bad_bodies_name_their_field()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var pages = Payloads.Batch(
            """{"type":"page","messageId":"p-1","anonymousId":"visitor-gone","timestamp":"2026-11-23T11:59:58.000Z"}""",
            """{"type":"identify","messageId":"p-2","anonymousId":"visitor-gone","userId":"crm-77","timestamp":"2026-11-23T11:59:58.500Z"}""",
            """{"type":"page","messageId":"p-3","anonymousId":"visitor-stays","timestamp":"2026-11-23T11:59:58.000Z"}""");
        using (var batch = await client.PostAsync("/v1/batch", Payloads.Json(pages))) { Assert.Equal(HttpStatusCode.OK, batch.StatusCode); }
        await CollectorClient.WaitForStoredAsync(client, 3);

        using var readToken = await client.SendAsync(Post("/v1/privacy/erase", """{"userIds":["crm-77"]}""", CollectorFactory.ReadToken));
        using var typo = await client.SendAsync(Post("/v1/privacy/erase", """{"userId":"crm-77"}"""));
        using var empty = await client.SendAsync(Post("/v1/privacy/erase", """{}"""));
        using var noConfirm = await client.SendAsync(Post("/v1/privacy/erase-workspace", """{"confirm":"other"}"""));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            (readToken.StatusCode, typo.StatusCode, empty.StatusCode, noConfirm.StatusCode));
        Assert.Equal(("userId", "body", "confirm"), ((await CollectorClient.ProblemAsync(typo)).GetProperty("field").GetString(),
            (await CollectorClient.ProblemAsync(empty)).GetProperty("field").GetString(), (await CollectorClient.ProblemAsync(noConfirm)).GetProperty("field").GetString()));

        using var erased = await client.SendAsync(Post("/v1/privacy/erase", """{"userIds":"crm-77"}"""));
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var answer = JsonDocument.Parse(await erased.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((2, 2), (answer.GetProperty("identifiers").GetInt32(), answer.GetProperty("eventsDeleted").GetInt32()));
        var left = await CollectorClient.GetJsonAsync(client, "/v1/events?limit=1000");
        Assert.Equal(["visitor-stays"], left.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("anonymousId").GetString()));
    }

    [Fact]
    public async Task The_openapi_document_names_the_secret_key_for_every_privacy_route()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var root = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        foreach (var (path, method) in new[] { ("/v1/privacy/erase", "post"), ("/v1/privacy/erase-workspace", "post"), ("/v1/privacy/exports", "post"), ("/v1/privacy/exports/{requestId}", "get") })
        {
            var operation = root.GetProperty("paths").GetProperty(path).GetProperty(method);
            Assert.Equal(["secretKey"], operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)));
            Assert.Equal("Privacy", operation.GetProperty("tags")[0].GetString());
        }

        Assert.True(root.GetProperty("paths").TryGetProperty("/v1/webhooks/shopify/{workspace}/privacy", out _));
    }

    private static HttpRequestMessage Post(string path, string json, string token = CollectorFactory.SecretKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
