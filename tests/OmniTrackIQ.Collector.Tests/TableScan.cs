using DuckDB.NET.Data;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Reads a DuckDB file the way the tests check it: every row of a table as text (to prove what is not stored anywhere), the stored message ids.</summary>
internal static class TableScan
{
    public static long RowsMatching(DuckDBConnection connection, string table, string pattern)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\" t WHERE regexp_matches(lower(CAST(t AS VARCHAR)), '{pattern}')";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The message ids a workspace's events hold in the DuckDB file under <paramref name="dataDirectory"/>, one per row (copies would show twice).</summary>
    public static List<string> MessageIds(string dataDirectory, string workspace)
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(dataDirectory, "omnitrack.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id FROM events WHERE workspace = $workspace";
        command.Parameters.Add(new DuckDBParameter("workspace", workspace));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) { ids.Add(reader.GetString(0)); }
        return ids;
    }

    public static List<string> Tables(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) { tables.Add(reader.GetString(0)); }
        return tables;
    }
}
