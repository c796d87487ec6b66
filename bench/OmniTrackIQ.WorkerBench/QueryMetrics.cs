using System.Globalization;
using DuckDB.NET.Data;

namespace OmniTrackIQ.WorkerBench;

/// <summary>
/// <c>OTQ_BENCH_QUERY_METRICS=1</c>: every statement of a tick, on every connection, with DuckDB's own CPU time and rows
/// scanned (its profiler's metrics, kept by its <c>Metrics</c> log), printed after the tick in the order they ran, so a
/// tick's cost is named statement by statement (which scans grow with the history).
/// </summary>
internal static class QueryMetrics
{
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("OTQ_BENCH_QUERY_METRICS") == "1";

    /// <summary>Turns the profiler on for the writer and logs its metrics (the run's reader is profiled by <see cref="ProfileReader"/>).</summary>
    public static void Start(DuckDBConnection connection)
    {
        Execute(connection, "SET enable_profiling = 'no_output'");
        Execute(connection, "CALL enable_logging('Metrics')");
        Execute(connection, "CALL truncate_duckdb_logs()");
    }

    /// <summary>The statements logged since the last call, one line each (CPU s, rows scanned, text), then the log emptied.</summary>
    public static IReadOnlyList<string> Take(DuckDBConnection connection)
    {
        var lines = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT context_id, any_value(connection_id),
                       max(CASE WHEN metric = 'CPU_TIME' THEN TRY_CAST(value AS DOUBLE) END) AS cpu,
                       max(CASE WHEN metric = 'LATENCY' THEN TRY_CAST(value AS DOUBLE) END) AS wall,
                       max(CASE WHEN metric = 'CUMULATIVE_ROWS_SCANNED' THEN TRY_CAST(value AS BIGINT) END) AS scanned,
                       max(CASE WHEN metric = 'QUERY_NAME' THEN CAST(value AS VARCHAR) END) AS query
                FROM duckdb_logs_parsed('Metrics') GROUP BY context_id ORDER BY min(timestamp), context_id
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var query = reader.IsDBNull(5) ? "" : System.Text.RegularExpressions.Regex.Replace(reader.GetString(5), @"\s+", " ");
                if (query.Contains("duckdb_logs", StringComparison.Ordinal)) { continue; }
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"|     sql c{reader.GetValue(1)} | CPU {(reader.IsDBNull(2) ? 0 : reader.GetDouble(2)):F3} s | wall {(reader.IsDBNull(3) ? 0 : reader.GetDouble(3)):F3} s | scanned {(reader.IsDBNull(4) ? 0 : reader.GetInt64(4)):N0} | {query[..Math.Min(220, query.Length)]}"));
            }
        }

        Execute(connection, "CALL truncate_duckdb_logs()");
        return lines;
    }

    /// <summary>
    /// Turns the profiler on for a DuckDB run session's own reader connection (a setting of each connection, which DuckDB
    /// refuses globally): the session opens it on first use, so taking it here (after the links are added) opens it as the run would.
    /// </summary>
    public static void ProfileReader(object session)
    {
        if (session.GetType().GetProperty("Reader", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(session) is DuckDBConnection reader)
        {
            Execute(reader, "SET enable_profiling = 'no_output'");
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
