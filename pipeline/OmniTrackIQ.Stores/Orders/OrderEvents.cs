using System.Text;
using System.Text.Json;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>
/// Turns an order report from a server (S2S API, Shopify webhook) into the events the pipeline stores: one
/// <c>conversion</c> row per report (the ledger view ranks and combines them; every report is kept, so an
/// order's history is its rows), and — for an order nobody's browser was seen with — one landing page view
/// from its <c>landing_site</c> / <c>referring_site</c>, so an order with no visit still has a source.
/// </summary>
public static class OrderEvents
{
    /// <summary>The milliseconds the synthetic landing view precedes its order (it must sort before it).</summary>
    private static readonly TimeSpan LandingLead = TimeSpan.FromMilliseconds(1);

    /// <param name="messageId">The report's dedup key: a retry of the same report must produce the same id.</param>
    public static List<TrackedEvent> From(OrderReport report, OrderSource source, string messageId)
    {
        // A report that names no one (a POS sale, a refund) still needs an id: its own order stands in for the buyer.
        var anonymousId = report.AnonymousId ?? (report.UserId is null && report.EmailClearText is null && report.EmailSha256 is null ? "order:" + report.OrderId : null);
        var conversion = new TrackedEvent
        {
            Type = EventType.Conversion,
            MessageId = messageId,
            Event = report.RefundId is null ? "Order" : "Refund",
            OrderId = report.OrderId,
            Timestamp = report.Timestamp,
            Revenue = report.Gross,
            Currency = report.Currency,
            Refunded = report.Refunded,
            NetRevenue = report.Net,
            OrderStatus = report.Status,
            OrderUpdatedAt = report.UpdatedAt,
            OrderSource = OrderSources.Name(source),
            SourceName = report.SourceName,
            AnonymousId = report.RefundId is null ? anonymousId : null,
            UserId = report.UserId,
            EmailClearText = report.EmailClearText,
            EmailSha256 = report.EmailSha256,
            PhoneClearText = report.PhoneClearText,
            PageUrl = report.LandingUrl,
            PageReferrer = report.Referrer,
            ClickIdType = report.ClickIdType,
            ClickId = report.ClickId,
            PropertiesJson = Properties(report),
            ConsentAnalytics = true, // the shop's own order record, not browser tracking
        };

        // A refund names only its order: it changes the ledger, and the order's stored owner is recomputed.
        if (report.RefundId is not null) { conversion.AnonymousId = "order:" + report.OrderId; }
        var events = new List<TrackedEvent>(2) { conversion };
        if (report.AnonymousId is null && report.RefundId is null && (report.LandingUrl is not null || report.Referrer is not null || report.ClickId is not null))
        {
            events.Add(new TrackedEvent
            {
                Type = EventType.Page,
                MessageId = messageId + ":landing",
                Event = "Order landing page",
                // Checked: a report's time is bounded by OrderIngest, but this must not throw for year 1 either.
                Timestamp = report.Timestamp.UtcTicks >= LandingLead.Ticks ? report.Timestamp.ToUniversalTime() - LandingLead : report.Timestamp,
                AnonymousId = anonymousId,
                UserId = report.UserId,
                EmailSha256 = conversion.EmailSha256,
                EmailClearText = report.EmailClearText,
                PageUrl = report.LandingUrl,
                PageReferrer = report.Referrer,
                ClickIdType = report.ClickIdType,
                ClickId = report.ClickId,
                ConsentAnalytics = true,
            });
        }

        return events;
    }

    private static string Properties(OrderReport report)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Write(json, "presentmentCurrency", report.PresentmentCurrency);
            if (report.PresentmentGross is { } presentment) { json.WriteNumber("presentmentGross", presentment); }
            Write(json, "cartToken", report.CartToken);
            Write(json, "checkoutToken", report.CheckoutToken);
            Write(json, "refundId", report.RefundId);
            Write(json, "firstTouch", report.FirstTouch);
            Write(json, "lastTouch", report.LastTouch);
            if (report.LineItemsJson is { } items)
            {
                json.WritePropertyName("lineItems");
                json.WriteRawValue(items);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Cart attributes and tokens are the shop's free text (a first-touch URL may carry <c>?email=</c>): hashed like any value.</summary>
    private static void Write(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null) { json.WriteString(name, Privacy.PiiText.Scrub(value)); }
    }
}
