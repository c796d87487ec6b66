using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>
/// <c>POST /v1/conversions</c> bodies (README "Server-to-server orders"): one order object, a JSON array of orders,
/// or <c>{"orders": [...]}</c>, up to 500. Each order is read on its own: a bad one is rejected with its index and
/// field, its neighbours are accepted. The message id of an order report is a hash of its JSON, so a retry of the
/// same report is stored once and a changed one (a new total, a refund) is a new report of the same order.
/// </summary>
public static class ConversionApiParser
{
    public const int MaxOrders = 500;

    /// <summary>Whole-request refusal (not JSON, no orders), else the reports with their message ids and the rejections.</summary>
    public static IngestError? TryParse(ReadOnlySpan<byte> body, out List<(OrderReport Report, string MessageId)> orders, out List<RejectedEvent> rejected)
    {
        orders = [];
        rejected = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = WireLimits.MaxDepth });
        }
        catch (JsonException ex)
        {
            return IngestError.BadRequest("$", "malformed JSON: " + ex.Message, "invalid_json");
        }

        using (document)
        {
            var root = document.RootElement;
            var list = root.ValueKind switch
            {
                JsonValueKind.Array => root,
                JsonValueKind.Object when root.TryGetProperty("orders", out var many) => many,
                JsonValueKind.Object => default,
                _ => default,
            };
            if (root.ValueKind == JsonValueKind.Object && list.ValueKind == JsonValueKind.Undefined)
            {
                Add(root, -1, orders, rejected);
                return null;
            }

            if (list.ValueKind != JsonValueKind.Array) { return IngestError.BadRequest("orders", "send one order object, an array of orders, or {\"orders\": [...]}", "invalid_type"); }
            if (list.GetArrayLength() == 0) { return IngestError.BadRequest("orders", "no orders: send 1 to 500", "empty_batch"); }
            var index = 0;
            foreach (var order in list.EnumerateArray())
            {
                if (index == MaxOrders) { break; }
                Add(order, index++, orders, rejected);
            }

            // Past the limit, one rejection stands for the rest: the answer never grows with what a body adds.
            var overflow = list.GetArrayLength() - MaxOrders;
            if (overflow > 0)
            {
                rejected.Add(Reject(MaxOrders, list[MaxOrders], "", $"{overflow} orders from index {MaxOrders} on were not read: send at most {MaxOrders} orders in one request", "too_many_events"));
            }

            return null;
        }
    }

    private static void Add(JsonElement order, int index, List<(OrderReport, string)> orders, List<RejectedEvent> rejected)
    {
        var (report, field, error) = Read(order);
        if (report is null)
        {
            rejected.Add(Reject(index, order, field!, error!, field == "" ? "invalid_type" : "invalid_field"));
            return;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(order.GetRawText())))[..16];
        orders.Add((report, $"s2s:{report.OrderId}:{hash}"));
    }

    private static RejectedEvent Reject(int index, JsonElement order, string field, string detail, string reason)
    {
        var path = new FieldPath(Math.Max(index, -1), field).ToString().Replace("batch[", "orders[", StringComparison.Ordinal);
        return new RejectedEvent(Math.Max(index, 0), path, reason, detail, Privacy.PiiRedactor.Redact(System.Text.Encoding.UTF8.GetBytes(order.GetRawText())));
    }

    private static (OrderReport? Report, string? Field, string? Error) Read(JsonElement order)
    {
        if (order.ValueKind != JsonValueKind.Object) { return (null, "", "an order must be a JSON object"); }
        if (Id(order, "orderId") is not { } orderId) { return (null, "orderId", "required: the shop's order id (string or integer)"); }
        if (!order.TryGetProperty("timestamp", out var ts) || ts.ValueKind != JsonValueKind.String || !ts.TryGetDateTimeOffset(out var timestamp))
        {
            return (null, "timestamp", "required: when the order was placed, ISO-8601 (e.g. 2026-11-23T12:00:00Z)");
        }

        DateTimeOffset? updatedAt = null;
        if (order.TryGetProperty("updatedAt", out var updated) && updated.ValueKind != JsonValueKind.Null)
        {
            if (updated.ValueKind != JsonValueKind.String || !updated.TryGetDateTimeOffset(out var at))
            {
                return (null, "updatedAt", "must be an ISO-8601 time: when the state this report describes became current");
            }

            updatedAt = at;
        }

        if (!Money(order, "revenue", out var revenue)) { return (null, "revenue", "must be a number (or a decimal string) ≥ 0 and below 10^14"); }
        var currency = Text(order, "currency");
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetter))) { return (null, "currency", "must be an ISO 4217 code of 3 letters"); }
        var status = Text(order, "status") ?? "paid";
        if (status is not ("paid" or "pending" or "cancelled" or "refunded" or "partially_refunded")) { return (null, "status", "must be paid, pending, cancelled, refunded or partially_refunded"); }

        decimal refunded = 0;
        if (order.TryGetProperty("refunds", out var refunds) && refunds.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var refund in refunds.EnumerateArray())
            {
                if (refund.ValueKind != JsonValueKind.Object || !Money(refund, "amount", out var amount) || amount is null)
                {
                    return (null, $"refunds[{i}].amount", "each refund needs an amount ≥ 0");
                }

                refunded += amount.Value;
                i++;
            }
        }

        string? clickType = null, clickId = null;
        if (order.TryGetProperty("clickIds", out var clicks) && clicks.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in ContextParser.ClickIdNames)
            {
                if (Text(clicks, name) is { } value) { (clickType, clickId) = (name, value); break; }
            }
        }

        return (new OrderReport
        {
            OrderId = orderId,
            Timestamp = timestamp,
            UpdatedAt = updatedAt,
            Gross = revenue,
            Refunded = refunded,
            Net = status == "cancelled" ? 0 : null,
            Currency = currency?.ToUpperInvariant(),
            Status = status,
            AnonymousId = Id(order, "anonymousId"),
            UserId = Id(order, "userId"),
            EmailClearText = Text(order, "email"),
            EmailSha256 = Text(order, "emailSha256"),
            PhoneClearText = Text(order, "phone"),
            LandingUrl = Text(order, "landingUrl"),
            Referrer = Text(order, "referrer"),
            ClickIdType = clickType,
            ClickId = clickId,
            SourceName = Text(order, "sourceName"),
            LineItemsJson = order.TryGetProperty("lineItems", out var items) && items.ValueKind == JsonValueKind.Array ? Privacy.PiiRedactor.Redact(System.Text.Encoding.UTF8.GetBytes(items.GetRawText())) : null,
        }, null, null);
    }

    /// <summary>Ids as exact text: strings as they are, integers by their digits (never through a double).</summary>
    private static string? Id(JsonElement obj, string name) =>
        !obj.TryGetProperty(name, out var value) ? null : value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is { Length: > 0 and <= WireLimits.MaxIdLength } text => text,
            JsonValueKind.Number when value.GetRawText() is { Length: <= 40 } digits && digits.All(char.IsAsciiDigit) => digits,
            _ => null,
        };

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? (text.Length > WireLimits.MaxUrlLength ? text[..WireLimits.MaxUrlLength] : text)
            : null;

    /// <summary>False when present but not money; a missing field is a null amount.</summary>
    private static bool Money(JsonElement obj, string name, out decimal? amount)
    {
        amount = null;
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) { return true; }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)) { amount = number; }
        else if (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed)) { amount = parsed; }
        else { return false; }
        return amount >= 0 && Events.MoneyLimits.Fits(amount.Value);
    }
}
