using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// Cuts an insert into <c>events</c> so that none spans more partitions (months of <c>ts</c>, see
/// <see cref="EventsSchema.CreateEvents"/>) than the server takes: current ClickHouse refuses an insert block over
/// <c>max_partitions_per_insert_block</c> (100 by default) with code 252 however often it is retried, so one client
/// replaying years of history would otherwise hold every workspace's events behind it.
/// </summary>
internal static class InsertPartitions
{
    /// <summary>The last second a ClickHouse DateTime (UInt32) holds: times past it have no calendar month there.</summary>
    private const long LastDateTimeMs = uint.MaxValue * 1000L;

    /// <summary>
    /// <paramref name="rows"/> as one part when they span at most <paramref name="maxPartitions"/> months (the normal
    /// case, no copy); else grouped by month, each part holding whole months and at most <paramref name="maxPartitions"/>
    /// of them, in the order the months first appear.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<TrackedEvent>> Split(IReadOnlyList<TrackedEvent> rows, int maxPartitions)
    {
        var max = Math.Max(1, maxPartitions);
        HashSet<int>? months = null; // made only when a second month shows up
        var first = 0;
        long from = 0, to = 0; // the month of the previous row, as [from, to) in ms: the common case is one compare
        for (var i = 0; i < rows.Count; i++)
        {
            var ms = Ms(rows[i].Ts);
            if (ms >= from && ms < to) { continue; }
            var month = MonthOf(ms, out from, out to);
            if (i == 0) { first = month; continue; }
            if (months is null)
            {
                if (month == first) { continue; }
                months = [first];
            }

            if (months.Add(month) && months.Count > max) { return Group(rows, max); }
        }

        return [rows];
    }

    /// <summary>
    /// The partition of a time as the table computes it, <c>toYYYYMM(toDateTime(intDiv(ts, 1000), 'UTC'))</c>, for
    /// every time a DateTime holds; times outside it (none pass ingest's window) are put in the range's first or
    /// last month, so they are never spread over more inserts than the months there are.
    /// </summary>
    public static int Month(DateTimeOffset ts) => MonthOf(Ms(ts), out _, out _);

    private static long Ms(DateTimeOffset ts) => Math.Clamp(ts.ToUnixTimeMilliseconds(), 0, LastDateTimeMs);

    /// <summary>The month (yyyyMM) of <paramref name="ms"/>, and its first and the next month's first millisecond.</summary>
    private static int MonthOf(long ms, out long from, out long to)
    {
        var utc = DateTime.UnixEpoch.AddMilliseconds(ms);
        var start = new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        from = (long)(start - DateTime.UnixEpoch).TotalMilliseconds;
        to = (long)(start.AddMonths(1) - DateTime.UnixEpoch).TotalMilliseconds;
        return utc.Year * 100 + utc.Month;
    }

    private static List<IReadOnlyList<TrackedEvent>> Group(IReadOnlyList<TrackedEvent> rows, int max)
    {
        var byMonth = new Dictionary<int, List<TrackedEvent>>();
        var order = new List<int>();
        foreach (var row in rows)
        {
            var month = Month(row.Ts);
            if (!byMonth.TryGetValue(month, out var list))
            {
                byMonth[month] = list = [];
                order.Add(month);
            }

            list.Add(row);
        }

        var parts = new List<IReadOnlyList<TrackedEvent>>((order.Count + max - 1) / max);
        for (var start = 0; start < order.Count; start += max)
        {
            var part = new List<TrackedEvent>();
            for (var m = start; m < Math.Min(order.Count, start + max); m++) { part.AddRange(byMonth[order[m]]); }
            parts.Add(part);
        }

        return parts;
    }
}
