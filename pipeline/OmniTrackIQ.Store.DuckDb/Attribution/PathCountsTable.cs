using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// <c>path_counts</c>: the workspace's <c>person_paths</c> summed per distinct path — what Markov and Shapley are fitted
/// on. Kept by delta in the same transaction as every change to <c>person_paths</c> (a tick takes its people's old paths
/// out and puts their new ones in, an erasure takes the person's out; <see cref="PathTotals.Merge"/>), so a tick's refit
/// reads the distinct paths instead of summing every person's. Counts are whole numbers and stay exact; a path's value
/// may differ from a fresh sum in the last bits of the double (the additions come in another order).
/// </summary>
internal static class PathCountsTable
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS path_counts (
            workspace VARCHAR NOT NULL,
            path VARCHAR NOT NULL,
            conversions DOUBLE NOT NULL,
            conversion_value DOUBLE NOT NULL,
            nulls DOUBLE NOT NULL);
        """;

    /// <summary>
    /// Fills the counts of every workspace that has paths but no counts yet: a database from before the table, upgraded
    /// on its first start. Idempotent (a workspace with counts is left alone), so it runs on every start.
    /// </summary>
    public const string Backfill = """
        INSERT INTO path_counts
        SELECT workspace, path, sum(conversions), sum(conversion_value), sum(nulls) FROM person_paths
        WHERE workspace NOT IN (SELECT DISTINCT workspace FROM path_counts)
        GROUP BY workspace, path
        """;

    /// <summary>The <c>person_paths</c> of the people in <paramref name="personIn"/> (an SQL <c>IN</c> subquery), summed per path.</summary>
    public static Dictionary<string, PathTotals> ReadPeople(DuckDBConnection connection, DuckDBTransaction? transaction, string workspace, string personIn) =>
        Read(connection, transaction, workspace, $"""
            SELECT path, sum(conversions), sum(conversion_value), sum(nulls) FROM person_paths
            WHERE workspace = $ws AND person IN {personIn} GROUP BY path
            """);

    /// <summary>Takes <paramref name="removed"/> out of the workspace's counts and puts <paramref name="added"/> in, rewriting only the paths they name.</summary>
    public static void Apply(DuckDBConnection connection, DuckDBTransaction? transaction, string workspace,
        IReadOnlyDictionary<string, PathTotals> removed, IReadOnlyDictionary<string, PathTotals> added)
    {
        if (removed.Count == 0 && added.Count == 0) { return; }
        JourneyReader.Fill(connection, "path_counts_changed", "path VARCHAR", removed.Keys.Union(added.Keys, StringComparer.Ordinal), static (row, path) => row.AppendValue(path));
        var changed = $"workspace = $ws AND path IN {KeySet.In("path_counts_changed", "path")}";
        var current = Read(connection, transaction, workspace, $"SELECT path, conversions, conversion_value, nulls FROM path_counts WHERE {changed}");
        var merged = PathTotals.Merge(current, removed, added);
        Execute(connection, transaction, workspace, $"DELETE FROM path_counts WHERE {changed}");
        using var appender = connection.CreateAppender("path_counts");
        foreach (var (path, total) in merged)
        {
            appender.CreateRow().AppendValue(workspace).AppendValue(path).AppendValue(total.Conversions).AppendValue(total.Value).AppendValue(total.Nulls).EndRow();
        }
    }

    /// <summary>Replaces the workspace's counts with the sums of all its <c>person_paths</c> (a full run).</summary>
    public static void Rebuild(DuckDBConnection connection, DuckDBTransaction transaction, string workspace)
    {
        Execute(connection, transaction, workspace, "DELETE FROM path_counts WHERE workspace = $ws");
        Execute(connection, transaction, workspace, """
            INSERT INTO path_counts
            SELECT workspace, path, sum(conversions), sum(conversion_value), sum(nulls) FROM person_paths WHERE workspace = $ws GROUP BY workspace, path
            """);
    }

    private static Dictionary<string, PathTotals> Read(DuckDBConnection connection, DuckDBTransaction? transaction, string workspace, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        var totals = new Dictionary<string, PathTotals>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read()) { totals[reader.GetString(0)] = new(reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)); }
        return totals;
    }

    private static void Execute(DuckDBConnection connection, DuckDBTransaction? transaction, string workspace, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.ExecuteNonQuery();
    }
}
