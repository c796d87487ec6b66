using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>A mapped report, or the JSON field that stopped the mapping and why.</summary>
public sealed record ShopifyMapResult(OrderReport? Report, string? Field, string? Error);

/// <summary>Maps a Shopify webhook body (REST Admin API JSON) onto an <see cref="OrderReport"/>; pure, no I/O, no clock.</summary>
public static partial class ShopifyOrderMapper
{
    private const string Refund = "refund";
    private const string Success = "success";

    /// <summary>Maps the body of one webhook delivery, chosen by its X-Shopify-Topic header.</summary>
    public static ShopifyMapResult Map(string topic, ReadOnlySpan<byte> body)
    {
        bool isRefund;
        switch (topic)
        {
            case "orders/create" or "orders/paid" or "orders/updated" or "orders/cancelled":
                isRefund = false;
                break;
            case "refunds/create":
                isRefund = true;
                break;
            default:
                return Fail("X-Shopify-Topic", $"unsupported topic '{topic}'");
        }

        JsonDocument? document = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
            // ParseValue stops after the first value; reading on throws on anything but trailing whitespace.
            _ = reader.Read();
        }
        catch (JsonException e)
        {
            document?.Dispose();
            return Fail("$", "the body is not JSON: " + e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail("$", "the body is not a JSON object");
            }

            return isRefund ? MapRefund(root) : MapOrder(root);
        }
    }

    private static ShopifyMapResult MapOrder(JsonElement order)
    {
        if (!TryRequiredId(order, "id", out var orderId, out var failure)
            || !TryPlacedAt(order, out var placedAt, out failure)
            || !TryStateAt(order, placedAt, out var stateAt, out failure)
            || !TryMoney(order, "total_price", out var gross, out failure)
            || !TryMoney(order, "current_total_price", out var net, out failure))
        {
            return failure;
        }

        ShopifyJson.TryGet(order, "total_price_set", out var priceSet);
        ShopifyJson.TryGet(priceSet, "presentment_money", out var presentment);
        if (!ShopifyJson.TryMoney(presentment, "amount", out var presentmentGross))
        {
            return BadMoney("total_price_set.presentment_money.amount");
        }

        var refunded = 0m;
        if (ShopifyJson.TryGet(order, "refunds", out var refunds) && refunds.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var refund in refunds.EnumerateArray())
            {
                ShopifyJson.TryGet(refund, "transactions", out var transactions);
                if (!TrySumRefunded(transactions, string.Create(CultureInfo.InvariantCulture, $"refunds[{i}].transactions"), ref refunded, out failure))
                {
                    return failure;
                }

                i++;
            }
        }

        ShopifyJson.TryGet(order, "customer", out var customer);
        if (!ShopifyJson.TryId(customer, "id", out var userId))
        {
            return Fail("customer.id", "not an integer id");
        }

        if (!TryLineItems(order, out var lineItems, out failure))
        {
            return failure;
        }

        ShopifyJson.TryGet(order, "billing_address", out var billing);
        var (anonymousId, firstTouch, lastTouch) = ReadNoteAttributes(order);
        return new ShopifyMapResult(
            new OrderReport
            {
                OrderId = orderId,
                Timestamp = placedAt,
                UpdatedAt = stateAt,
                Gross = gross,
                Refunded = refunded,
                Net = net,
                Currency = ShopifyJson.String(order, "currency")?.ToUpperInvariant(),
                PresentmentCurrency = (ShopifyJson.String(presentment, "currency_code") ?? ShopifyJson.String(order, "presentment_currency"))?.ToUpperInvariant(),
                PresentmentGross = presentmentGross,
                Status = StatusOf(order),
                AnonymousId = anonymousId,
                UserId = userId,
                EmailClearText = ShopifyJson.String(order, "email") ?? ShopifyJson.String(order, "contact_email") ?? ShopifyJson.String(customer, "email"),
                PhoneClearText = ShopifyJson.String(order, "phone") ?? ShopifyJson.String(customer, "phone") ?? ShopifyJson.String(billing, "phone"),
                LandingUrl = ShopifyJson.String(order, "landing_site"),
                Referrer = ShopifyJson.String(order, "referring_site"),
                CartToken = ShopifyJson.String(order, "cart_token"),
                CheckoutToken = ShopifyJson.String(order, "checkout_token"),
                SourceName = ShopifyJson.String(order, "source_name"),
                FirstTouch = firstTouch,
                LastTouch = lastTouch,
                LineItemsJson = lineItems,
            },
            null,
            null);
    }

    private static ShopifyMapResult MapRefund(JsonElement refund)
    {
        if (!TryRequiredId(refund, "order_id", out var orderId, out var failure)
            || !TryRequiredId(refund, "id", out var refundId, out failure)
            || !TryPlacedAt(refund, out var at, out failure))
        {
            return failure;
        }

        var refunded = 0m;
        ShopifyJson.TryGet(refund, "transactions", out var transactions);
        if (!TrySumRefunded(transactions, "transactions", ref refunded, out failure))
        {
            return failure;
        }

        var first = transactions.ValueKind == JsonValueKind.Array && transactions.GetArrayLength() > 0 ? transactions[0] : default;
        return new ShopifyMapResult(
            new OrderReport
            {
                OrderId = orderId,
                RefundId = refundId,
                Timestamp = at,
                // A refund never changes once made: its own creation is its state's time.
                UpdatedAt = at,
                Refunded = refunded,
                Currency = ShopifyJson.String(first, "currency")?.ToUpperInvariant(),
                // A refund alone cannot tell partial from full; the ledger settles that against the order's gross.
                Status = "partially_refunded",
            },
            null,
            null);
    }

    /// <summary>
    /// Our status from cancelled_at and financial_status. Cancellation wins over any payment state. Money not yet
    /// captured (pending, authorized, partially_paid) stays "pending": orders/paid follows once it is, and until then the
    /// sale can still fall through. voided (authorization released) and expired (authorization lapsed) captured nothing,
    /// so they are "cancelled". A missing or future status is "pending", so it never counts as revenue by accident.
    /// </summary>
    private static string StatusOf(JsonElement order)
    {
        if (ShopifyJson.TryGet(order, "cancelled_at", out _))
        {
            return "cancelled";
        }

        return ShopifyJson.String(order, "financial_status") switch
        {
            "paid" => "paid",
            "refunded" => "refunded",
            "partially_refunded" => "partially_refunded",
            "voided" or "expired" => "cancelled",
            _ => "pending",
        };
    }

    /// <summary>Adds the amounts of transactions that actually returned money: kind "refund" with status "success".</summary>
    private static bool TrySumRefunded(JsonElement transactions, string path, ref decimal sum, [NotNullWhen(false)] out ShopifyMapResult? failure)
    {
        failure = null;
        if (transactions.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var i = 0;
        foreach (var transaction in transactions.EnumerateArray())
        {
            if (string.Equals(ShopifyJson.String(transaction, "kind"), Refund, StringComparison.Ordinal)
                && string.Equals(ShopifyJson.String(transaction, "status"), Success, StringComparison.Ordinal))
            {
                if (!ShopifyJson.TryMoney(transaction, "amount", out var amount))
                {
                    failure = BadMoney(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}].amount"));
                    return false;
                }

                sum += amount ?? 0m;
            }

            i++;
        }

        return true;
    }

    /// <summary>The _otq_* cart attributes our storefront script writes; the first non-blank value of each wins.</summary>
    private static (string? AnonymousId, string? FirstTouch, string? LastTouch) ReadNoteAttributes(JsonElement order)
    {
        string? anonymousId = null, firstTouch = null, lastTouch = null;
        if (ShopifyJson.TryGet(order, "note_attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Array)
        {
            foreach (var attribute in attributes.EnumerateArray())
            {
                var value = ShopifyJson.String(attribute, "value");
                switch (ShopifyJson.String(attribute, "name"))
                {
                    case "_otq_id":
                        anonymousId ??= value;
                        break;
                    case "_otq_first_touch":
                        firstTouch ??= value;
                        break;
                    case "_otq_last_touch":
                        lastTouch ??= value;
                        break;
                }
            }
        }

        return (anonymousId, firstTouch, lastTouch);
    }

    /// <summary>
    /// line_items reduced to id, product_id, variant_id, sku, title, quantity, price. Ids are written as strings and
    /// price as its decimal text, so a reader that parses JSON numbers as doubles (JavaScript, DuckDB's JSON) cannot alter them.
    /// </summary>
    private static bool TryLineItems(JsonElement order, out string? json, [NotNullWhen(false)] out ShopifyMapResult? failure)
    {
        json = null;
        failure = null;
        if (!ShopifyJson.TryGet(order, "line_items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            var i = 0;
            foreach (var item in items.EnumerateArray())
            {
                writer.WriteStartObject();
                foreach (var name in (ReadOnlySpan<string>)["id", "product_id", "variant_id"])
                {
                    if (!ShopifyJson.TryId(item, name, out var id))
                    {
                        failure = Fail(string.Create(CultureInfo.InvariantCulture, $"line_items[{i}].{name}"), "not an integer id");
                        return false;
                    }

                    WriteStringOrNull(writer, name, id);
                }

                WriteStringOrNull(writer, "sku", ShopifyJson.String(item, "sku"));
                WriteStringOrNull(writer, "title", ShopifyJson.String(item, "title"));
                if (ShopifyJson.TryGet(item, "quantity", out var quantity) && quantity.ValueKind == JsonValueKind.Number && quantity.TryGetInt32(out var count))
                {
                    writer.WriteNumber("quantity", count);
                }
                else
                {
                    writer.WriteNull("quantity");
                }

                if (!ShopifyJson.TryMoney(item, "price", out var price))
                {
                    failure = BadMoney(string.Create(CultureInfo.InvariantCulture, $"line_items[{i}].price"));
                    return false;
                }

                WriteStringOrNull(writer, "price", price?.ToString(CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                i++;
            }

            writer.WriteEndArray();
        }

        json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return true;
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static bool TryRequiredId(JsonElement obj, string name, out string id, [NotNullWhen(false)] out ShopifyMapResult? failure)
    {
        id = "";
        failure = null;
        if (!ShopifyJson.TryId(obj, name, out var read))
        {
            failure = Fail(name, "not an integer id");
            return false;
        }

        if (read is null)
        {
            failure = Fail(name, "missing");
            return false;
        }

        id = read;
        return true;
    }

    private static bool TryMoney(JsonElement obj, string name, out decimal? amount, [NotNullWhen(false)] out ShopifyMapResult? failure)
    {
        failure = ShopifyJson.TryMoney(obj, name, out amount) ? null : BadMoney(name);
        return failure is null;
    }

    private static ShopifyMapResult BadMoney(string field) => Fail(field, "not a decimal amount");

    private static ShopifyMapResult Fail(string field, string error) => new(null, field, error);
}
