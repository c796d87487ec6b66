using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// A half-open [from, to) filter every analyst query shares; null bounds are open. <see cref="Where"/> gives
/// the SQL for one column (bound as <c>$from</c> / <c>$to</c>, never as text) and <see cref="Bind"/> adds
/// those parameters once, however many columns the query filters.
/// </summary>
internal readonly record struct TimeRange(DateTime? From, DateTime? To)
{
    public string Where(string column) =>
        (From.HasValue ? $"AND {column} >= $from " : "") + (To.HasValue ? $"AND {column} < $to" : "");

    /// <summary>
    /// Whether a conversion at this epoch millisecond is in the range, compared as SQL compares it with a TIMESTAMP: in
    /// microseconds (an on-the-fly answer's conversions are filtered in memory, as the stored ones are in SQL).
    /// </summary>
    public bool Contains(long epochMs)
    {
        var micros = epochMs * 1000;
        return (From is not { } from || micros >= Micros(from)) && (To is not { } to || micros < Micros(to));
    }

    private static long Micros(DateTime bound) => (bound.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    public void Bind(DuckDBCommand command)
    {
        if (From is { } from) { command.Parameters.Add(new DuckDBParameter("from", from)); }
        if (To is { } to) { command.Parameters.Add(new DuckDBParameter("to", to)); }
    }
}
