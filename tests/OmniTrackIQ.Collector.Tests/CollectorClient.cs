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
    public static Task<long> WaitForStoredAsync(HttpClient client, long expected, string token = CollectorFactory.ReadToken) =>
        Poll.UntilAsync(async () => (await StatsAsync(client, token)).GetProperty("total").GetInt64(), total => total == expected, StoreWait, StoreInterval);

    /// <summary>GET a read-token endpoint and parse its JSON.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path, string token = CollectorFactory.ReadToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    /// <summary>The stored events (GET /v1/events), once <paramref name="expected"/> are there (bounded wait).</summary>
    public static Task<JsonElement[]> WaitForEventsAsync(HttpClient client, int expected, string token = CollectorFactory.ReadToken) =>
        WaitForRowsAsync(client, "/v1/events?limit=1000", "events", expected, token);

    /// <summary>The stored bad events (GET /v1/events/bad), once <paramref name="expected"/> are there (bounded wait).</summary>
    public static Task<JsonElement[]> WaitForBadEventsAsync(HttpClient client, int expected, string token = CollectorFactory.ReadToken) =>
        WaitForRowsAsync(client, "/v1/events/bad?limit=1000", "badEvents", expected, token);

    private static Task<JsonElement[]> WaitForRowsAsync(HttpClient client, string path, string property, int expected, string token) =>
        Poll.UntilAsync(async () => (JsonElement[])[.. (await GetJsonAsync(client, path, token)).GetProperty(property).EnumerateArray()],
            rows => rows.Length >= expected, StoreWait, StoreInterval);

    /// <summary>How long a test waits for the sink to store what it sent (30 s: a loaded machine), asking every 50 ms.</summary>
    private static readonly TimeSpan StoreWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StoreInterval = TimeSpan.FromMilliseconds(50);
}
