using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Orders;

/// <summary>Shopify deliveries signed as Shopify signs them, S2S posts with the secret key, and the order read API.</summary>
internal static class OrderRequests
{
    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "ShopifyFixtures", name));

    public static string Sign(byte[] body, string secret = CollectorFactory.ShopifySecret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static HttpRequestMessage Webhook(string topic, byte[] body, string eventId, string? signature = null, string shop = CollectorFactory.ShopDomain, string workspace = "shop")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/shopify/{workspace}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Hmac-Sha256", signature ?? Sign(body));
        request.Headers.Add("X-Shopify-Shop-Domain", shop);
        request.Headers.Add("X-Shopify-Event-Id", eventId);
        request.Headers.Add("X-Shopify-Webhook-Id", "wh-" + eventId);
        return request;
    }

    public static HttpRequestMessage Conversions(string json, string key = CollectorFactory.SecretKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/conversions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    /// <summary>GET /v1/orders/{id} once the order has <paramref name="reports"/> stored reports (bounded wait: 30 s, since a
    /// sink write can queue behind an attribution run holding the store on a loaded machine).</summary>
    public static async Task<JsonElement> WaitForOrderAsync(HttpClient client, string orderId, int reports)
    {
        JsonElement order = default;
        await Poll.UntilAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/orders/" + orderId);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
            using var response = await client.SendAsync(request);
            if (!response.IsSuccessStatusCode) { return false; }
            order = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return order.GetProperty("reports").GetArrayLength() >= reports;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
        return order;
    }

    public static async Task RunAttributionAsync(HttpClient client)
    {
        using var run = new HttpRequestMessage(HttpMethod.Post, "/v1/attribution/run");
        run.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        (await client.SendAsync(run)).EnsureSuccessStatusCode();
    }
}
