namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// The events loaded in (<c>$after</c>, <c>$through</c>] of <c>load_seq</c>. Rows from before <c>load_seq</c> existed
/// (NULL, read as 0) count only on the first run (after = -1). Otherwise the filter is on the bare column, so DuckDB
/// skips the row groups below the mark by their min/max instead of scanning every event as it must for coalesce().
/// </summary>
internal static class LoadedSince
{
    public static string Where(string column, long afterSeq) =>
        afterSeq < 0
            ? $"coalesce({column}, 0) > $after AND coalesce({column}, 0) <= $through"
            : $"{column} > $after AND {column} <= $through";
}
