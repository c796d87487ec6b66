using System.Net.Http.Headers;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Helpers over an HttpClient: read problem bodies, wait for the sink to store rows.</summary>
internal static class CollectorClient
{
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public static async Task<JsonElement> StatsAsync(HttpClient client, string token = CollectorFactory.ReadToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events/stats");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    /// <summary>Polls the stats until <paramref name="expected"/> rows are stored (the sink writes asynchronously), bounded.</summary>
    public static async Task<long> WaitForStoredAsync(HttpClient client, long expected, string token = CollectorFactory.ReadToken)
    {
        long total = -1;
        for (var attempt = 0; attempt < 200 && total != expected; attempt++)
        {
            total = (await StatsAsync(client, token)).GetProperty("total").GetInt64();
            if (total != expected) { await Task.Delay(50); }
        }

        return total;
    }
}
