using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>The times of a Shopify payload: when the order was placed, and when the state it describes became current.</summary>
public static partial class ShopifyOrderMapper
{
    /// <summary>created_at, else processed_at (orders imported through the API may carry only the latter).</summary>
    private static bool TryPlacedAt(JsonElement obj, out DateTimeOffset at, [NotNullWhen(false)] out ShopifyMapResult? failure)
    {
        at = default;
        failure = null;
        if (!ShopifyJson.TryTimestamp(obj, "created_at", out var created))
        {
            failure = Fail("created_at", "not an ISO 8601 time");
            return false;
        }

        if (created is { } placed)
        {
            at = placed;
            return true;
        }

        if (!ShopifyJson.TryTimestamp(obj, "processed_at", out var processed))
        {
            failure = Fail("processed_at", "not an ISO 8601 time");
            return false;
        }

        if (processed is null)
        {
            failure = Fail("created_at", "missing");
            return false;
        }

        at = processed.Value;
        return true;
    }

    /// <summary>
    /// When the state an order payload describes became current: <c>updated_at</c>, which Shopify moves on every change
    /// (payment, cancellation, refund, edit). A payload without it (an import, an API client's own body) falls back to
    /// the latest of the times it does carry: placed, <c>processed_at</c>, <c>cancelled_at</c>.
    /// </summary>
    private static bool TryStateAt(JsonElement order, DateTimeOffset placedAt, out DateTimeOffset stateAt, [NotNullWhen(false)] out ShopifyMapResult? failure)
    {
        stateAt = placedAt;
        failure = null;
        foreach (var name in (ReadOnlySpan<string>)["updated_at", "processed_at", "cancelled_at"])
        {
            if (!ShopifyJson.TryTimestamp(order, name, out var at))
            {
                failure = Fail(name, "not an ISO 8601 time");
                return false;
            }

            if (name == "updated_at" && at is { } updated)
            {
                stateAt = updated;
                return true;
            }

            if (at > stateAt) { stateAt = at.Value; }
        }

        return true;
    }
}
