using System.Globalization;
using System.Text.Json;

namespace OmniTrackIQ.Store.ClickHouse.Orders;

/// <summary>Values of JSONEachRow rows (also inside arrays and tuples, which arrive as JSON arrays).</summary>
internal static class Json
{
    public static string? Text(JsonElement row, string column) => row.GetProperty(column).GetString();

    /// <summary>
    /// A Decimal as exact text: ClickHouse writes it as a JSON number (or a string where a server quotes decimals),
    /// and System.Text.Json reads the digits straight into a decimal, never through a double.
    /// </summary>
    public static decimal? Money(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => decimal.Parse(value.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
        _ => value.GetDecimal(),
    };

    /// <summary>Epoch milliseconds (the store's time columns) as a UTC DateTime.</summary>
    public static DateTime Utc(JsonElement value) =>
        DateTime.SpecifyKind(DateTime.UnixEpoch.AddMilliseconds(ClickHouseDatabase.Number(value)), DateTimeKind.Utc);
}
