using System.Globalization;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>The half-open [from, to) filter of the analyst queries over an epoch-ms column; null bounds are open.</summary>
internal static class EpochRange
{
    public static string Where(string column, DateTime? from, DateTime? to) =>
        (from is { } f ? $"AND {column} >= {Ms(f)} " : "") + (to is { } t ? $"AND {column} < {Ms(t)}" : "");

    public static bool Contains(long epochMs, DateTime? from, DateTime? to) =>
        (from is not { } f || epochMs >= Ms(f)) && (to is not { } t || epochMs < Ms(t));

    private static long Ms(DateTime value) =>
        new DateTimeOffset(DateTime.SpecifyKind(value, value.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : value.Kind)).ToUnixTimeMilliseconds();

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);
}
