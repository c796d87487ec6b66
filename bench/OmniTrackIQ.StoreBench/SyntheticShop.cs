using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.StoreBench;

/// <summary>
/// The WorkerBench's synthetic shop (SyntheticEvents.cs) as TrackedEvent objects, so both stores load it through
/// IEventStore.WriteEventsAsync: per person p 1–4 page views a day apart over 8 channels, a conversion for the
/// first <c>converting</c> people, an identify with user id u(p/10) for every p % 10 in {0, 1} (stitching).
/// The hash is SplitMix64 (DuckDB's hash() is not reproducible here), so the mix differs slightly from the SQL version.
/// </summary>
internal static class SyntheticShop
{
    private static readonly string[] Channels = ["Paid Search", "Paid Social", "Organic Search", "Email", "Direct", "Referral", "Organic Social", "Display"];
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<List<TrackedEvent>> Batches(string workspace, long firstPerson, long people, long convertingBelow, string tag, int batchSize)
    {
        var batch = new List<TrackedEvent>(batchSize + 8);
        var now = DateTimeOffset.UtcNow;
        for (var p = firstPerson; p < firstPerson + people; p++)
        {
            var day = Start.AddDays(p % 200);
            var anon = "a" + p;
            var visits = (int)(H(p) % 4);
            for (var k = 0; k <= visits; k++)
            {
                batch.Add(new TrackedEvent
                {
                    Workspace = workspace, MessageId = $"{tag}p{p}-{k}", Type = EventType.Page, AnonymousId = anon,
                    Ts = day.AddDays(k), ReceivedAt = now, Channel = Channels[H(p * 7 + k) % 8],
                    UtmSource = "src" + (H(p + k) % 5), UtmCampaign = "camp" + (H(p * 3 + k) % 40),
                });
            }

            if (p < convertingBelow)
            {
                batch.Add(new TrackedEvent
                {
                    Workspace = workspace, MessageId = $"{tag}c{p}", Type = EventType.Conversion, AnonymousId = anon,
                    Ts = day.AddDays((double)(H(p) % 4)).AddHours(1), ReceivedAt = now,
                    OrderId = "o" + p, Revenue = 10 + (decimal)(H(p) % 200), Currency = "EUR",
                });
            }

            if (p % 10 is 0 or 1)
            {
                batch.Add(new TrackedEvent
                {
                    Workspace = workspace, MessageId = $"{tag}i{p}", Type = EventType.Identify, AnonymousId = anon, UserId = "u" + (p / 10),
                    Ts = day, ReceivedAt = now,
                });
            }

            if (batch.Count >= batchSize)
            {
                yield return batch;
                batch = new List<TrackedEvent>(batchSize + 8);
            }
        }

        if (batch.Count > 0) { yield return batch; }
    }

    private static ulong H(long x)
    {
        var z = unchecked((ulong)x + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
