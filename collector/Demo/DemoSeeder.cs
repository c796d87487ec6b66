using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Demo;

/// <summary>What a demo run did: the plan it sent and what the store held when attribution ran.</summary>
internal sealed record DemoResult(DemoPlan Plan, long StoredEvents, int AttributedConversions, string ReportUrl);

/// <summary>
/// Sends the demo history to a collector's own routes (write key, secret key, Shopify signature: the auth, parsing,
/// enrichment, spool and sink of real traffic), waits until the sink has stored it, runs attribution and answers the
/// report's URL with the read token in its fragment.
/// </summary>
internal static class DemoSeeder
{
    /// <summary>Bounds the wait for the sink: 3,000 visitors store in seconds; a minute means something is wrong.</summary>
    private static readonly TimeSpan StoreWait = TimeSpan.FromSeconds(90);

    public static async Task<DemoResult> RunAsync(HttpClient client, DemoKeys keys, Uri publicBase, TextWriter progressOutput, bool interactive, CancellationToken cancellationToken, int visitors = 3000)
    {
        var plan = DemoHistory.Build(keys, visitors);
        var bar = new Attribution.ProgressBar(progressOutput, interactive, "requests");
        for (var i = 0; i < plan.Requests.Count; i++)
        {
            await SendAsync(client, keys, plan.Requests[i], cancellationToken);
            bar.Report(new OmniTrackIQ.Attribution.Storage.AttributionProgress(i + 1, plan.Requests.Count));
        }

        bar.Finish();
        var stored = await WaitForStoreAsync(client, keys, plan.StoredRows, cancellationToken);
        var conversions = await RunAttributionAsync(client, keys, cancellationToken);
        return new DemoResult(plan, stored, conversions, keys.ReportUrl(publicBase));
    }

    private static async Task SendAsync(HttpClient client, DemoKeys keys, DemoRequest demo, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, demo.Path) { Content = new ByteArrayContent(demo.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        switch (demo.Auth)
        {
            case DemoAuth.WriteKey:
                break; // in the batch body, as the snippet sends it
            case DemoAuth.SecretKey:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.SecretKey);
                break;
            case DemoAuth.ShopifySignature:
                request.Headers.Add("X-Shopify-Topic", demo.Topic);
                request.Headers.Add("X-Shopify-Hmac-Sha256", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(keys.WebhookSecret), demo.Body)));
                request.Headers.Add("X-Shopify-Shop-Domain", DemoKeys.ShopDomain);
                request.Headers.Add("X-Shopify-Event-Id", demo.DeliveryId);
                request.Headers.Add("X-Shopify-Webhook-Id", demo.DeliveryId);
                break;
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {demo.Path} answered {(int)response.StatusCode}: {body}");
        }

        // Every demo event is valid; a rejection means the demo and the parser disagree, which must not pass quietly.
        if (demo.Path is "/v1/batch" or "/v1/conversions")
        {
            using var answer = JsonDocument.Parse(body);
            if (answer.RootElement.TryGetProperty("rejected", out var rejected) && rejected.GetArrayLength() > 0)
            {
                throw new InvalidOperationException($"POST {demo.Path} rejected events: {rejected.GetRawText()}");
            }
        }
    }

    /// <summary>
    /// The routes answer once events are in the spool; attribution must wait until the sink has stored them. The store
    /// deduplicates by message id and report key, so it holds exactly <paramref name="expected"/> rows however often
    /// the demo ran: the wait ends when it does.
    /// </summary>
    private static async Task<long> WaitForStoreAsync(HttpClient client, DemoKeys keys, int expected, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events/stats");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.ReadToken);
            using var response = await client.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var total = stats.RootElement.GetProperty("total").GetInt64();
            if (total >= expected) { return total; }
            if (waited.Elapsed > StoreWait)
            {
                throw new TimeoutException($"the store holds {total} of {expected} events after {StoreWait.TotalSeconds} s; is the sink failing? (see the log)");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    /// <summary>A full recompute; the worker may be running one of its own, which answers 409 until it ends.</summary>
    private static async Task<int> RunAttributionAsync(HttpClient client, DemoKeys keys, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/attribution/run");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.ReadToken);
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Conflict && attempt < 120)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode) { throw new InvalidOperationException($"attribution answered {(int)response.StatusCode}: {body}"); }
            using var run = JsonDocument.Parse(body);
            return run.RootElement.GetProperty("conversions").GetInt32();
        }
    }
}
