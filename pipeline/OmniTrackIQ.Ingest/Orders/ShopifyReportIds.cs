using System.Security.Cryptography;

namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>
/// The message id (the store's dedup key) of a Shopify webhook's report, made only of what the HMAC covers. Shopify's
/// delivery headers (<c>X-Shopify-Event-Id</c>, <c>X-Shopify-Webhook-Id</c>) are not signed: keyed by them, an old
/// signed body re-sent under a new id was a new report. Keyed by the payload, the same body is the same report,
/// however it is labelled, and is stored once.
/// </summary>
public static class ShopifyReportIds
{
    /// <summary>
    /// An order payload: its topic and the SHA-256 of its raw bytes (128 bits). A refund: its own id, which Shopify never
    /// reuses and a refund never changes, so one refund counts once even when two subscriptions deliver it in different
    /// bytes (another API version); refunds are summed, so a second copy would count twice.
    /// </summary>
    public static string For(string topic, ReadOnlySpan<byte> body, OrderReport report)
    {
        if (report.RefundId is { } refundId) { return $"shopify:refund:{report.OrderId}:{refundId}"; }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return $"shopify:{topic}:{Convert.ToHexStringLower(hash[..16])}";
    }
}
