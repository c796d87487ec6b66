using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>The identity keys whose people a partial run must recompute (the orchestrator stitches them into people).</summary>
internal static class ScopeReader
{
    /// <summary>
    /// The key of every event loaded in (<paramref name="afterSeq"/>, <paramref name="throughSeq"/>], plus the stored
    /// owner of any order those events re-post (its conversion may move to the new event's person). The stored conversions
    /// are probed with the new events' orders (a semi-join: the few new orders are the hash table, not the stored
    /// conversions).
    /// </summary>
    public static IEnumerable<string> KeysChangedSince(DuckDBConnection connection, string workspace, long afterSeq, long throughSeq)
    {
        foreach (var key in Keys(connection, workspace, $"SELECT DISTINCT {IdentitySql.EventKey} FROM events WHERE workspace = $ws AND {LoadedSince.Where("load_seq", afterSeq)}", afterSeq, throughSeq, null))
        {
            yield return key;
        }

        foreach (var key in Keys(connection, workspace, $"""
            SELECT DISTINCT person FROM conversions
            WHERE workspace = $ws AND conversion_id IN (
                SELECT order_id FROM events
                WHERE workspace = $ws AND type = 'conversion' AND order_id IS NOT NULL AND {LoadedSince.Where("load_seq", afterSeq)})
            """, afterSeq, throughSeq, null))
        {
            yield return key;
        }
    }

    /// <summary>The key of every conversion event at from ≤ ts &lt; to (null bounds are open).</summary>
    public static IEnumerable<string> KeysConvertingIn(DuckDBConnection connection, string workspace, DateTime? from, DateTime? to)
    {
        var range = new TimeRange(from, to);
        return Keys(connection, workspace, $"""
            SELECT DISTINCT {IdentitySql.EventKey} FROM events
            WHERE workspace = $ws AND type = 'conversion' AND order_id IS NOT NULL
              {range.Where("ts")}
            """, 0, 0, range);
    }

    private static IEnumerable<string> Keys(DuckDBConnection connection, string workspace, string sql, long afterSeq, long throughSeq, TimeRange? range)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        if (range is { } r) { r.Bind(command); }
        else
        {
            command.Parameters.Add(new DuckDBParameter("after", afterSeq));
            command.Parameters.Add(new DuckDBParameter("through", throughSeq));
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!reader.IsDBNull(0)) { yield return reader.GetString(0); }
        }
    }
}
