using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>The identity keys whose people a partial run must recompute (the orchestrator stitches them into people).</summary>
internal static class ScopeReader
{
    /// <summary>
    /// The key of every event loaded in (<paramref name="afterSeq"/>, <paramref name="throughSeq"/>], plus the stored
    /// owner of any order those events re-post (its conversion may move to the new event's person). The new events' orders
    /// are collected first (a few row groups above the mark) and the stored conversions probed with them from a temp
    /// table: given the events filter instead, DuckDB estimated a million new orders and hashed every stored conversion
    /// to probe them. Only the orders <paramref name="reportedBefore"/> may have been stored (an order no event at or before
    /// the mark reported has no stored conversion): with none of those, nothing is probed at all.
    /// </summary>
    public static IEnumerable<string> KeysChangedSince(DuckDBConnection connection, string workspace, long afterSeq, long throughSeq,
        Func<string, bool> reportedBefore)
    {
        foreach (var key in Keys(connection, workspace, $"SELECT DISTINCT {IdentitySql.EventKey} FROM events WHERE workspace = $ws AND {LoadedSince.Where("load_seq", afterSeq)}", Since(afterSeq, throughSeq)))
        {
            yield return key;
        }

        var orders = Keys(connection, workspace, $"""
            SELECT DISTINCT order_id FROM events
            WHERE workspace = $ws AND type = 'conversion' AND order_id IS NOT NULL AND {LoadedSince.Where("load_seq", afterSeq)}
            """, Since(afterSeq, throughSeq)).Where(reportedBefore).ToList();
        if (orders.Count == 0) { yield break; }

        JourneyReader.Fill(connection, "attribution_new_orders", "id VARCHAR", orders, static (row, id) => row.AppendValue(id));
        foreach (var key in Keys(connection, workspace, $"""
            SELECT DISTINCT person FROM conversions
            WHERE workspace = $ws AND conversion_id IN {KeySet.In("attribution_new_orders", "id")}
            """, null))
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
            """, range.Bind);
    }

    /// <summary>The load-mark bounds of <see cref="LoadedSince"/>.</summary>
    private static Action<DuckDBCommand> Since(long afterSeq, long throughSeq) => command =>
    {
        command.Parameters.Add(new DuckDBParameter("after", afterSeq));
        command.Parameters.Add(new DuckDBParameter("through", throughSeq));
    };

    private static IEnumerable<string> Keys(DuckDBConnection connection, string workspace, string sql, Action<DuckDBCommand>? bind)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        bind?.Invoke(command);

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!reader.IsDBNull(0)) { yield return reader.GetString(0); }
        }
    }
}
