using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Spend;

/// <summary>Helpers for the spend tests: post spend with a key, read the summary with the read token.</summary>
internal static class SpendClient
{
    public static CollectorFactory NewFactory()
    {
        var factory = new CollectorFactory();
        OnlyExplicitRuns(factory);
        return factory;
    }

    /// <summary>Only the explicit run endpoint computes (no worker ticks between the test's steps).</summary>
    public static void OnlyExplicitRuns(CollectorFactory factory) => factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string contentType, string? key = CollectorFactory.SecretKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/spend") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (key is not null) { request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key); }
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> SummaryAsync(HttpClient client, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/attribution/summary?" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public static void AssertRow(JsonElement summary, string key, double conversions, double revenue, double? spend, double? roas, double? cpa)
    {
        foreach (var row in summary.GetProperty("rows").EnumerateArray())
        {
            if (row.GetProperty("key").GetString() != key) { continue; }
            Assert.Equal(conversions, row.GetProperty("conversions").GetDouble(), 6);
            Assert.Equal(revenue, row.GetProperty("revenue").GetDouble(), 4);
            Assert.Equal(spend, Nullable(row, "spend"));
            Assert.Equal(roas, Nullable(row, "roas"));
            Assert.Equal(cpa, Nullable(row, "cpa"));
            return;
        }

        Assert.Fail($"no row '{key}' in {summary}");
    }

    private static double? Nullable(JsonElement row, string name) =>
        row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetDouble();
}
