using System.Globalization;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// Events for the attribution contract: builders, and a seeded shop history with everything the stores must agree on —
/// multi-touch journeys over six channels and campaigns, visits of several pages, returning visitors, identify and alias
/// links joining devices, orders reported twice (pixel and server), a refund, a cancellation, bots, a conversion with no
/// visit and orders whose visits all came after them.
/// </summary>
internal sealed class AttributionData(string workspace)
{
    public static readonly DateTimeOffset Day0 = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Channel, string? Source, string? Medium, string? Campaign)[] Sources =
    [
        ("Paid Search", "google", "cpc", "brand"), ("Paid Search", "google", "cpc", "generic"), ("Paid Social", "facebook", "paid", "retarget"),
        ("Email", "newsletter", "email", "november"), ("Organic Search", "google", null, null), ("Direct", null, null, null), ("Referral", "blog.example", "referral", null),
    ];

    private int _next;

    public string Workspace { get; } = workspace;

    public TrackedEvent Page(string? anonymousId, double day, string channel, string? source = null, string? medium = null, string? campaign = null,
        string? userId = null, bool bot = false) =>
        Event(EventType.Page, anonymousId, day, e =>
        {
            e.Channel = channel;
            e.UtmSource = source;
            e.UtmMedium = medium;
            e.UtmCampaign = campaign;
            e.UserId = userId;
            e.IsBot = bot;
        });

    public TrackedEvent Identify(string anonymousId, double day, string? userId = null, string? emailSha256 = null) =>
        Event(EventType.Identify, anonymousId, day, e =>
        {
            e.UserId = userId;
            e.EmailSha256 = emailSha256;
        });

    public TrackedEvent Alias(string previousId, string userId, double day) =>
        Event(EventType.Alias, null, day, e =>
        {
            e.UserId = userId;
            e.PreviousId = previousId;
        });

    public TrackedEvent Conversion(string? anonymousId, double day, string orderId, decimal revenue, string? userId = null, string source = "pixel",
        string status = "paid", decimal? refunded = null, string? eventName = null) =>
        Event(EventType.Conversion, anonymousId, day, e =>
        {
            e.OrderId = orderId;
            e.Revenue = revenue;
            e.Currency = "EUR";
            e.UserId = userId;
            e.OrderSource = source;
            e.OrderStatus = status;
            e.Refunded = refunded;
            e.Event = eventName ?? "Order";
        });

    /// <summary>The seeded history (same seed, same events, in the same order).</summary>
    public List<TrackedEvent> ShopHistory(int people = 80, int seed = 7)
    {
        var random = new Random(seed);
        var events = new List<TrackedEvent>();
        for (var p = 0; p < people; p++)
        {
            var anon = "anon-" + p.ToString("D3", CultureInfo.InvariantCulture);
            var day = random.Next(0, 20) + random.NextDouble();
            var visits = random.Next(0, 5);
            for (var v = 0; v < visits; v++)
            {
                var (channel, source, medium, campaign) = Sources[random.Next(Sources.Length)];
                var pages = random.Next(1, 4);
                for (var page = 0; page < pages; page++) { events.Add(Page(anon, day + (page * 10 / 1440.0), channel, source, medium, campaign)); }
                day += random.NextDouble() * 3;
            }

            if (p % 9 == 0) { events.Add(Page(anon, day, "Paid Search", "google", "cpc", "brand", bot: true)); }
            var user = "user-" + (p % 60).ToString("D3", CultureInfo.InvariantCulture); // people 60.. share a user with 0..: a second device
            if (p % 3 == 0) { events.Add(Identify(anon, day, user, emailSha256: p % 6 == 0 ? "email-" + p : null)); }
            if (p % 7 == 0) { events.Add(Alias(anon, user, day)); }
            if (random.NextDouble() < 0.55)
            {
                var order = "order-" + p.ToString(CultureInfo.InvariantCulture);
                var revenue = Math.Round((decimal)(random.NextDouble() * 300) + 5, 2);
                var buyer = p % 5 == 0 ? null : anon; // a fifth buy logged in only: stitched through the identity links
                events.Add(Conversion(buyer, day + 0.01, order, revenue, userId: buyer is null ? user : null));
                if (p % 4 == 0) { events.Add(Conversion(anon, day + 0.011, order, revenue + 1, source: "s2s")); } // the server's report of the same order
                if (p % 10 == 1) { events.Add(Conversion(anon, day + 1, order, 0, source: "shopify", status: "partially_refunded", refunded: 10, eventName: "Refund")); }
                if (p % 13 == 2) { events.Add(Conversion(anon, day + 2, order, revenue, source: "shopify", status: "cancelled")); }
                if (p % 11 == 3) { events.Add(Page(anon, day + 0.5, "Email", "newsletter", "email", "november")); } // a visit after the order
            }
        }

        events.Add(Conversion("anon-nobody", 25, "order-novisit", 42)); // no visit at all
        return events;
    }

    public static List<SpendRow> Spend() =>
    [
        new(new DateOnly(2026, 10, 5), "google_ads", "Paid Search", "brand", 120.50m, "EUR", null, null),
        new(new DateOnly(2026, 10, 6), "google_ads", "Paid Search", "generic", 80m, "EUR", null, null),
        new(new DateOnly(2026, 10, 7), "meta_ads", "Paid Social", "retarget", 60.25m, "EUR", null, null),
        new(new DateOnly(2026, 10, 8), "meta_ads", "Paid Social", "prospecting", 33m, "EUR", null, null),
    ];

    private TrackedEvent Event(EventType type, string? anonymousId, double day, Action<TrackedEvent> configure)
    {
        var ts = Day0.AddDays(day);
        var e = new TrackedEvent
        {
            Workspace = Workspace, MessageId = "m" + Interlocked.Increment(ref _next).ToString("D6", CultureInfo.InvariantCulture), Type = type,
            AnonymousId = anonymousId, Ts = ts, ReceivedAt = ts,
        };
        configure(e);
        return e;
    }
}
