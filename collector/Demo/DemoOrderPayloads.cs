using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Demo;

/// <summary>The demo's order reports as the shop's backend (<c>POST /v1/conversions</c>) and Shopify (order and refund webhooks) send them.</summary>
internal static class DemoOrderPayloads
{
    public static byte[] S2sOrder(string orderId, string anonymousId, DateTimeOffset at, DateTimeOffset updatedAt, decimal revenue, decimal refunded)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("orderId", orderId);
            writer.WriteString("timestamp", DemoHistory.Time(at));
            writer.WriteString("updatedAt", DemoHistory.Time(updatedAt));
            writer.WriteNumber("revenue", revenue);
            writer.WriteString("currency", "USD");
            writer.WriteString("anonymousId", anonymousId);
            writer.WriteString("sourceName", "demo-backend");
            writer.WriteString("status", refunded > 0 ? "partially_refunded" : "paid");
            if (refunded > 0)
            {
                writer.WriteStartArray("refunds");
                writer.WriteStartObject();
                writer.WriteNumber("amount", refunded);
                writer.WriteEndObject();
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] OrdersBody(List<byte[]> orders)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("orders");
            foreach (var order in orders) { writer.WriteRawValue(order, skipInputValidation: true); }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An orders/create payload with the fields the mapper reads; the cart's _otq_id links it to the browser.</summary>
    public static byte[] ShopifyOrder(string orderId, int visitor, string anonymousId, DateTimeOffset at, decimal revenue)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var price = revenue.ToString("F2", CultureInfo.InvariantCulture);
            writer.WriteStartObject();
            writer.WriteNumber("id", long.Parse(orderId, CultureInfo.InvariantCulture));
            writer.WriteString("name", "#" + (1001 + visitor).ToString(CultureInfo.InvariantCulture));
            writer.WriteString("created_at", DemoHistory.Time(at));
            writer.WriteString("updated_at", DemoHistory.Time(at));
            writer.WriteString("processed_at", DemoHistory.Time(at));
            writer.WriteString("currency", "USD");
            writer.WriteString("presentment_currency", "USD");
            writer.WriteString("total_price", price);
            writer.WriteString("current_total_price", price);
            writer.WriteString("financial_status", "paid");
            writer.WriteString("source_name", "web");
            writer.WriteString("cart_token", $"demo-cart-{visitor:D5}");
            writer.WriteStartArray("note_attributes");
            writer.WriteStartObject();
            writer.WriteString("name", "_otq_id");
            writer.WriteString("value", anonymousId);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartObject("customer");
            writer.WriteNumber("id", 6_000_000_000L + visitor);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] ShopifyRefund(string orderId, int visitor, DateTimeOffset at, decimal amount)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", 8_000_000_000L + visitor);
            writer.WriteNumber("order_id", long.Parse(orderId, CultureInfo.InvariantCulture));
            writer.WriteString("created_at", DemoHistory.Time(at));
            writer.WriteString("processed_at", DemoHistory.Time(at));
            writer.WriteStartArray("transactions");
            writer.WriteStartObject();
            writer.WriteNumber("id", 9_000_000_000L + visitor);
            writer.WriteNumber("order_id", long.Parse(orderId, CultureInfo.InvariantCulture));
            writer.WriteString("kind", "refund");
            writer.WriteString("status", "success");
            writer.WriteString("amount", amount.ToString("F2", CultureInfo.InvariantCulture));
            writer.WriteString("currency", "USD");
            writer.WriteString("created_at", DemoHistory.Time(at));
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
