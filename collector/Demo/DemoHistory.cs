using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Demo;

/// <summary>
/// Builds the demo shop's 60 days as the requests real traffic would make: browser batches (SPA page views, snippet
/// checkouts), S2S orders and refunds, signed Shopify webhooks, and each platform's spend report. A fixed seed and ids
/// derived from the visitor's number make every run produce the same bytes, so a second run is stored as a replay.
/// </summary>
internal static class DemoHistory
{
    public const int Seed = 20261206;
    public const int Days = 60;
    private const string Shop = "https://demo-shop.example";
    private const int VisitorsPerBatch = 80;

    private static readonly string[] Products = ["/products/trail-runner", "/products/road-racer", "/products/merino-socks", "/collections/sale", "/products/rain-shell"];
    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    ];

    /// <summary>How a visit arrived: the landing query and referrer it carries.</summary>
    private enum Arrival { GoogleAds, Meta, TikTok, Organic, Email, Direct }

    public static DemoPlan Build(DemoKeys keys, int visitors = 3000)
    {
        var random = new Random(Seed);
        var end = keys.EndsAt;
        var start = end.AddDays(-Days);
        var requests = new List<DemoRequest>();
        var s2sOrders = new List<byte[]>();
        var s2sRefunds = new List<byte[]>();
        var webhooks = new List<DemoRequest>();
        var refundWebhooks = new List<DemoRequest>();
        int browserEvents = 0, snippet = 0, s2s = 0, shopify = 0, refunds = 0;

        var batch = new ArrayBufferWriter<byte>();
        var writer = new Utf8JsonWriter(batch);
        var inBatch = 0;
        for (var visitor = 0; visitor < visitors; visitor++)
        {
            if (inBatch == 0) { StartBatch(writer, keys.WriteKey); }
            var anonymousId = $"demo-anon-{visitor:D5}";
            var userAgent = UserAgents[random.Next(UserAgents.Length)];
            var ip = $"203.0.113.{random.Next(1, 255)}";
            var at = start.AddMinutes(random.Next(0, (Days - 1) * 24 * 60));
            var visits = random.NextDouble() < 0.35 ? 2 : 1;
            var lastUrl = "";
            Touch? lastTouch = null;
            for (var visit = 0; visit < visits; visit++)
            {
                var arrival = visit == 0 ? FirstArrival(random) : ReturnArrival(random);
                var touch = Landing(arrival, random, visitor, visit);
                var referrerOfVisit = Referrer(arrival, random);
                var pages = random.Next(1, 5);
                lastUrl = "";
                for (var page = 0; page < pages; page++)
                {
                    var path = page == 0 ? (random.Next(3) == 0 ? "/" : Products[random.Next(Products.Length)]) : Products[random.Next(Products.Length)];
                    // SPA navigations: the URL changes without a reload and the previous URL becomes the referrer, as the snippet reports them.
                    var url = page == 0 ? Shop + path + touch?.Query : Shop + path;
                    var referrer = page == 0 ? referrerOfVisit : lastUrl;
                    Page(writer, $"demo-{visitor:D5}-{visit}-{page}", anonymousId, at, url, referrer, path, userAgent, ip, touch);
                    browserEvents++;
                    lastUrl = url;
                    at = at.AddSeconds(random.Next(20, 120));
                }

                lastTouch = touch ?? lastTouch;
                if (visit + 1 < visits) { at = at.AddHours(random.Next(20, 24 * 6)); }
            }

            var converts = random.NextDouble() < (visits == 2 ? 0.16 : 0.07);
            if (converts && at < end.AddMinutes(-5))
            {
                var orderId = (7_000_000_000L + visitor).ToString(CultureInfo.InvariantCulture);
                var revenue = Math.Round(39m + (decimal)random.NextDouble() * 180m, 2);
                var refund = random.NextDouble() < 0.12 ? Math.Round(revenue * 0.4m, 2) : 0m;
                var refundAt = Min(at.AddDays(3), end.AddMinutes(-1));
                switch (random.Next(3))
                {
                    case 0:
                        Checkout(writer, $"demo-{visitor:D5}-order", anonymousId, at, orderId, revenue, lastUrl, userAgent, ip, lastTouch);
                        browserEvents++;
                        snippet++;
                        break;
                    case 1:
                        s2sOrders.Add(DemoOrderPayloads.S2sOrder(orderId, anonymousId, at, at, revenue, 0m));
                        if (refund > 0) { s2sRefunds.Add(DemoOrderPayloads.S2sOrder(orderId, anonymousId, at, refundAt, revenue, refund)); refunds++; }
                        s2s++;
                        break;
                    default:
                        webhooks.Add(new DemoRequest("/v1/webhooks/shopify/" + DemoKeys.WorkspaceId,
                            DemoOrderPayloads.ShopifyOrder(orderId, visitor, anonymousId, at, revenue), DemoAuth.ShopifySignature, "orders/create", $"demo-order-{orderId}"));
                        if (refund > 0)
                        {
                            refundWebhooks.Add(new DemoRequest("/v1/webhooks/shopify/" + DemoKeys.WorkspaceId,
                                DemoOrderPayloads.ShopifyRefund(orderId, visitor, refundAt, refund), DemoAuth.ShopifySignature, "refunds/create", $"demo-refund-{orderId}"));
                            refunds++;
                        }

                        shopify++;
                        break;
                }
            }

            if (++inBatch == VisitorsPerBatch || visitor == visitors - 1)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.Flush();
                requests.Add(new DemoRequest("/v1/batch", batch.WrittenSpan.ToArray(), DemoAuth.WriteKey));
                batch.Clear();
                writer.Reset(batch);
                inBatch = 0;
            }
        }

        writer.Dispose();
        // The refund reports follow their orders: a ledger takes either order, but a reader of the demo expects this one.
        if (s2sOrders.Count > 0) { requests.Add(new DemoRequest("/v1/conversions", DemoOrderPayloads.OrdersBody(s2sOrders), DemoAuth.SecretKey)); }
        requests.AddRange(webhooks);
        if (s2sRefunds.Count > 0) { requests.Add(new DemoRequest("/v1/conversions", DemoOrderPayloads.OrdersBody(s2sRefunds), DemoAuth.SecretKey)); }
        requests.AddRange(refundWebhooks);

        var firstDay = keys.FirstDay;
        var lastDay = keys.LastDay;
        requests.Add(new DemoRequest("/v1/spend", DemoSpendReports.Google(random, firstDay, lastDay), DemoAuth.SecretKey));
        requests.Add(new DemoRequest("/v1/spend", DemoSpendReports.Meta(random, firstDay, lastDay), DemoAuth.SecretKey));
        requests.Add(new DemoRequest("/v1/spend", DemoSpendReports.TikTok(random, firstDay, lastDay), DemoAuth.SecretKey));
        var spendRows = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["google"] = DemoCampaigns.Google.Length * Days,
            ["meta"] = DemoCampaigns.Meta.Length * Days,
            ["tiktok"] = DemoCampaigns.TikTok.Length * Days,
        };
        return new DemoPlan(requests, visitors, browserEvents, snippet, s2s, shopify, refunds, browserEvents + s2s + shopify + refunds, spendRows, firstDay, lastDay);
    }

    private static Arrival FirstArrival(Random random) => random.Next(100) switch
    {
        < 26 => Arrival.GoogleAds,
        < 44 => Arrival.Meta,
        < 54 => Arrival.TikTok,
        < 74 => Arrival.Organic,
        < 84 => Arrival.Email,
        _ => Arrival.Direct,
    };

    private static Arrival ReturnArrival(Random random) => random.Next(100) switch
    {
        < 15 => Arrival.GoogleAds,
        < 25 => Arrival.Meta,
        < 45 => Arrival.Organic,
        < 70 => Arrival.Email,
        _ => Arrival.Direct,
    };

    /// <summary>The ad link's parameters: UTMs with the platform's campaign id (what its URL macro fills in) and its click id.</summary>
    private sealed record Touch(string Source, string Medium, string Campaign, string? ClickIdName, string? ClickId)
    {
        public string Query => $"?utm_source={Source}&utm_medium={Medium}&utm_campaign={Campaign}" + (ClickIdName is null ? "" : $"&{ClickIdName}={ClickId}");
    }

    private static Touch? Landing(Arrival arrival, Random random, int visitor, int visit)
    {
        var click = string.Create(CultureInfo.InvariantCulture, $"demo{visitor:D5}x{visit}");
        return arrival switch
        {
            Arrival.GoogleAds => new Touch("google", "cpc", Pick(DemoCampaigns.Google, random).Id, "gclid", "Cj0KCQ" + click),
            Arrival.Meta => new Touch("facebook", "paid_social", Pick(DemoCampaigns.Meta, random).Id, "fbclid", "IwAR" + click),
            Arrival.TikTok => new Touch("tiktok", "paid_social", Pick(DemoCampaigns.TikTok, random).Id, "ttclid", "E.C.P." + click),
            Arrival.Email => new Touch("newsletter", "email", "weekly-" + random.Next(1, 9).ToString(CultureInfo.InvariantCulture), null, null),
            _ => null,
        };
    }

    /// <summary>As the snippet sends it: every page of a visit carries the landing's campaign and click id (its last touch).</summary>
    private static void WriteTouch(Utf8JsonWriter writer, Touch? touch)
    {
        if (touch is null) { return; }
        writer.WriteStartObject("campaign");
        writer.WriteString("source", touch.Source);
        writer.WriteString("medium", touch.Medium);
        writer.WriteString("name", touch.Campaign);
        writer.WriteEndObject();
        if (touch.ClickIdName is null) { return; }
        writer.WriteStartObject("clickIds");
        writer.WriteString(touch.ClickIdName, touch.ClickId);
        writer.WriteEndObject();
    }

    private static string? Referrer(Arrival arrival, Random random) => arrival switch
    {
        Arrival.GoogleAds => "https://www.google.com/",
        Arrival.Meta => random.Next(2) == 0 ? "https://l.facebook.com/" : "https://l.instagram.com/",
        Arrival.TikTok => "https://www.tiktok.com/",
        Arrival.Organic => random.Next(4) switch { 0 => "https://www.bing.com/", 1 => "https://duckduckgo.com/", _ => "https://www.google.com/" },
        _ => null,
    };

    private static DemoCampaign Pick(DemoCampaign[] campaigns, Random random) => campaigns[random.Next(campaigns.Length)];

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    internal static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>No sentAt: these are past visits replayed, and their own timestamps are the truth (no skew correction).</summary>
    private static void StartBatch(Utf8JsonWriter writer, string writeKey)
    {
        writer.WriteStartObject();
        writer.WriteString("writeKey", writeKey);
        writer.WriteStartArray("batch");
    }

    private static void Page(Utf8JsonWriter writer, string messageId, string anonymousId, DateTimeOffset at, string url, string? referrer, string path, string userAgent, string ip, Touch? touch)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "page");
        writer.WriteString("messageId", messageId);
        writer.WriteString("anonymousId", anonymousId);
        writer.WriteString("timestamp", Time(at));
        writer.WriteStartObject("context");
        writer.WriteStartObject("page");
        writer.WriteString("url", url);
        if (referrer is not null) { writer.WriteString("referrer", referrer); }
        writer.WriteString("path", path);
        writer.WriteString("title", "Demo Shop " + path);
        writer.WriteEndObject();
        WriteTouch(writer, touch);
        writer.WriteString("userAgent", userAgent);
        writer.WriteString("ip", ip);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The snippet's checkout_completed: a conversion event from the browser, on the thank-you page.</summary>
    private static void Checkout(Utf8JsonWriter writer, string messageId, string anonymousId, DateTimeOffset at, string orderId, decimal revenue, string url, string userAgent, string ip, Touch? touch)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "conversion");
        writer.WriteString("event", "checkout_completed");
        writer.WriteString("messageId", messageId);
        writer.WriteString("anonymousId", anonymousId);
        writer.WriteString("timestamp", Time(at));
        writer.WriteStartObject("properties");
        writer.WriteString("orderId", orderId);
        writer.WriteNumber("revenue", revenue);
        writer.WriteString("currency", "USD");
        writer.WriteEndObject();
        writer.WriteStartObject("context");
        writer.WriteStartObject("page");
        writer.WriteString("url", Shop + "/checkouts/thank-you");
        writer.WriteString("referrer", url);
        writer.WriteEndObject();
        WriteTouch(writer, touch);
        writer.WriteString("userAgent", userAgent);
        writer.WriteString("ip", ip);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
