using System.Globalization;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>
/// The instant every collector a test starts reads as "now": <see cref="Payloads.SentAt"/>, moved on by
/// <c>OTQ_CLOCK_OFFSET_DAYS</c> when set (<c>OTQ_CLOCK_OFFSET_DAYS=365 ./test.sh</c> runs the suite as a year later).
/// </summary>
internal static class TestClock
{
    public static readonly int OffsetDays = int.TryParse(Environment.GetEnvironmentVariable("OTQ_CLOCK_OFFSET_DAYS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) ? days : 0;

    public static DateTimeOffset Now => DateTimeOffset.Parse(Payloads.SentAt, CultureInfo.InvariantCulture).AddDays(OffsetDays);

    /// <summary>As <c>OmniTrack:Clock:StartAt</c> wants it.</summary>
    public static string StartAt => Now.ToString("O", CultureInfo.InvariantCulture);
}
