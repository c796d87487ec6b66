using DuckDB.NET.Data;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Reads every row of a DuckDB table as text, to prove what is not stored anywhere (clear e-mails, phones).</summary>
internal static class TableScan
{
    public static long RowsMatching(DuckDBConnection connection, string table, string pattern)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\" t WHERE regexp_matches(lower(CAST(t AS VARCHAR)), '{pattern}')";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
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
