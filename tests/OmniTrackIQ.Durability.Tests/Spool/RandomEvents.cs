using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>
/// Random enriched events for the spool record's round-trip tests: every spooled property set or null at random, with
/// the values that break encoders (empty strings, lone surrogates' neighbours, 4-byte UTF-8, NUL, huge properties,
/// decimal and time extremes, every time offset), and the comparison of two events on every spooled property.
/// </summary>
internal static class RandomEvents
{
    /// <summary>The properties the spool carries: all of <see cref="TrackedEvent"/>'s but the [JsonIgnore] ones (clear text, request-only facts).</summary>
    public static readonly PropertyInfo[] Spooled = [.. typeof(TrackedEvent).GetProperties()
        .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)];

    private static readonly string[] Pieces = ["", "a", "ß", "☃", "🛒", "\0", "\"", "\\", "\u2028", "日本語", "\uFEFF", "e\u0301", " ", "\n"];
    private static readonly decimal[] Decimals = [decimal.MaxValue, decimal.MinValue, 0m, -0.0000000000000000000000000001m, 0.0000000000000000000000000001m, 1.10m, -12.50m, 79228162514264337593543950.335m];
    private static readonly DateTimeOffset[] Times = [DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch,
        new(1, 1, 1, 14, 0, 0, TimeSpan.FromHours(14)), new DateTimeOffset(9999, 12, 31, 9, 59, 59, TimeSpan.FromHours(-14)).AddTicks(9_999_999)];

    public static TrackedEvent Next(Random random)
    {
        var e = new TrackedEvent();
        foreach (var property in Spooled)
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var nullable = !property.PropertyType.IsValueType ? property.Name is not ("Workspace" or "MessageId") : Nullable.GetUnderlyingType(property.PropertyType) is not null;
            if (nullable && random.Next(3) == 0)
            {
                property.SetValue(e, null);
                continue;
            }

            property.SetValue(e, type switch
            {
                _ when type == typeof(string) => Text(random, property.Name == "PropertiesJson" && random.Next(8) == 0 ? 200_000 : 60),
                _ when type == typeof(EventType) => (EventType)random.Next(1, 8),
                _ when type == typeof(DateTimeOffset) => Time(random),
                _ when type == typeof(decimal) => random.Next(2) == 0 ? Decimals[random.Next(Decimals.Length)] : new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, (byte)random.Next(29)),
                _ when type == typeof(uint) => random.Next(3) == 0 ? uint.MaxValue : (uint)random.Next(),
                _ when type == typeof(bool) => random.Next(2) == 0,
                _ => throw new InvalidOperationException($"RandomEvents does not know how to fill {property.Name} ({type}): teach it, and the spool record"),
            });
        }

        return e;
    }

    /// <summary>The names of the spooled properties whose values differ (empty when the events are equal).</summary>
    public static List<string> Differences(TrackedEvent expected, TrackedEvent actual) =>
        [.. Spooled.Where(p => !Same(p.GetValue(expected), p.GetValue(actual))).Select(p => $"{p.Name}: {p.GetValue(expected)} != {p.GetValue(actual)}")];

    // DateTimeOffset.Equals compares instants only: the record keeps the offset too, so compare both.
    private static bool Same(object? a, object? b) => a is DateTimeOffset x && b is DateTimeOffset y ? x.EqualsExact(y) : Equals(a, b);

    private static string Text(Random random, int maxPieces)
    {
        var text = new StringBuilder();
        var pieces = random.Next(maxPieces);
        for (var i = 0; i < pieces; i++) { text.Append(random.Next(4) == 0 ? ((char)random.Next(0x20, 0xD7FF)).ToString() : Pieces[random.Next(Pieces.Length)]); }
        return text.ToString();
    }

    private static DateTimeOffset Time(Random random)
    {
        if (random.Next(4) == 0) { return Times[random.Next(Times.Length)]; }
        var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, (14 * 60) + 1));
        var utc = DateTime.MinValue.Ticks + (long)(random.NextDouble() * (DateTime.MaxValue.Ticks - DateTime.MinValue.Ticks));
        var clock = Math.Clamp(utc + offset.Ticks, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
        return new DateTimeOffset(clock, offset);
    }
}
