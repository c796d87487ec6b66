using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Heuristics;

/// <summary>The per-query touch filters: lookback window, then "paid clicks first".</summary>
internal static class TouchpointFilter
{
    /// <summary>True when no option can drop a touch of this path, so the models may read it as is.</summary>
    public static bool KeepsAll(ReadOnlySpan<Touchpoint> touches, long conversionTimestampMs, AttributionOptions options) =>
        options.Lookback is null && !options.PaidClicksFirst && touches.Length > 0
        && touches[^1].TimestampMs <= conversionTimestampMs;

    /// <summary>Writes the indices of the touches that count into <paramref name="selected"/>; returns how many.</summary>
    public static int Select(ReadOnlySpan<Touchpoint> touches, long conversionTimestampMs, AttributionOptions options, Span<int> selected)
    {
        var maxAgeMs = options.Lookback is { } lookback ? (long)lookback.TotalMilliseconds : long.MaxValue;
        var count = 0;
        var anyPaid = false;
        for (var i = 0; i < touches.Length; i++)
        {
            // Subtract in the order that cannot overflow for the epoch-ms range we store.
            var age = conversionTimestampMs - touches[i].TimestampMs;
            if (age >= 0 && age <= maxAgeMs)
            {
                selected[count++] = i;
                anyPaid |= touches[i].IsPaid;
            }
        }

        if (!options.PaidClicksFirst || !anyPaid)
        {
            return count;
        }

        var kept = 0;
        for (var k = 0; k < count; k++)
        {
            ref readonly var touch = ref touches[selected[k]];
            if (touch.IsPaid || !touch.IsUnpaidOwned)
            {
                selected[kept++] = selected[k];
            }
        }

        return kept;
    }
}
