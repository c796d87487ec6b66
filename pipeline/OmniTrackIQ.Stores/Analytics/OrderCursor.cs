using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace OmniTrackIQ.Pipeline.Analytics;

/// <summary>
/// The keyset position of <c>GET /v1/orders</c>: the last listed order's time (epoch milliseconds) and id. Keyset, not
/// offset: a page stays right while new orders arrive, and every page costs the same. Opaque to clients as
/// base64url of <c>ms:id</c>.
/// </summary>
public readonly record struct OrderCursor(long TsMs, string OrderId)
{
    /// <summary>Order ids are at most this long (the ingest limit is far below); a longer cursor is not one of ours.</summary>
    private const int MaxTextLength = 1024;

    public static OrderCursor After(OrderListRow row) => new(EpochMs(row.Ts), row.OrderId);

    public static long EpochMs(DateTime ts) => (long)(DateTime.SpecifyKind(ts, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(TsMs.ToString(CultureInfo.InvariantCulture) + ":" + OrderId));

    public static bool TryDecode(string? text, out OrderCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxTextLength || !Base64Url.IsValid(text)) { return false; }
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(text));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == decoded.Length - 1) { return false; }
        if (!long.TryParse(decoded.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)) { return false; }
        cursor = new OrderCursor(ms, decoded[(colon + 1)..]);
        return true;
    }
}
