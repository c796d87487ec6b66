namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// A tick's keys (or ids) kept in a temp table and read as the small side of a semi join over a stored table. DuckDB 1.5
/// pushes a Bloom filter of a hash join's build side into the probe side's scan only when the build side has a filter of
/// its own; without one the scan hands every row of the stored table to the join (a returning-people tick at 1M: every one
/// of 4.77M journey rows with all their columns, to keep 9,022). So each set is read with a filter every value passes
/// (any string is &gt;= ''), and the stored table's scan emits only the rows the Bloom filter lets through.
/// </summary>
internal static class KeySet
{
    /// <summary>An <c>IN</c> operand: the (non-null) <paramref name="column"/> values of <paramref name="table"/>.</summary>
    public static string In(string table, string column = "k") => $"(SELECT {column} FROM {table} WHERE {column} >= '')";
}
