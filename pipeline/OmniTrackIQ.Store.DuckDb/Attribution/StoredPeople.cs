using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// The people of the last committed run, for a read that assembles journeys without a run (the on-the-fly summary): the
/// stored identity graph (<c>identity_people</c>, <see cref="PersonMapTable"/>) copied into the connection's
/// <c>attribution_people</c> in SQL, and each person's first identify from the links — what
/// <see cref="IdentityGraph.Load"/> gives over the same links, without a union-find over every link of the workspace.
/// </summary>
internal static class StoredPeople
{
    /// <summary>Fills <c>attribution_people</c> on <paramref name="connection"/>; returns each person's lead time (epoch ms).</summary>
    public static Dictionary<string, long> Map(DuckDBConnection connection, string workspace)
    {
        using (var fill = connection.CreateCommand())
        {
            fill.CommandText = """
                CREATE TEMP TABLE IF NOT EXISTS attribution_people (k VARCHAR, person VARCHAR); DELETE FROM attribution_people;
                INSERT INTO attribution_people SELECT k, person FROM identity_people WHERE workspace = $ws;
                """;
            fill.Parameters.Add(new DuckDBParameter("ws", workspace));
            fill.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT coalesce(p.person, l.id_key), min(epoch_ms(l.first_seen)) FROM identity_links l
            LEFT JOIN attribution_people p ON p.k = l.id_key
            WHERE l.workspace = $ws AND l.source = 'identify'
            GROUP BY 1
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        var leadMs = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read()) { leadMs[reader.GetString(0)] = reader.GetInt64(1); }
        return leadMs;
    }
}
