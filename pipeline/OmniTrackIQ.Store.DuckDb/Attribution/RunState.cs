using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// A workspace's row of <c>attribution_state</c>: the event load sequence the stored results cover and the
/// settings they were computed with, plus the newest load sequence now. <see cref="Previous"/> is -1 before the
/// first run, so rows loaded before <c>load_seq</c> existed (NULL, read as 0) are included then.
/// </summary>
internal readonly record struct RunState(long Previous, long Through, string? Settings)
{
    public static RunState Read(DuckDBConnection connection, string workspace)
    {
        long previous = -1;
        string? settings = null;
        using (var command = Command(connection, null, workspace, "SELECT loaded_through, settings FROM attribution_state WHERE workspace = $ws"))
        using (var reader = command.ExecuteReader())
        {
            if (reader.Read())
            {
                previous = reader.GetInt64(0);
                settings = reader.GetString(1);
            }
        }

        // Only the events above the stored mark can be newer than it: on the bare column, DuckDB skips the row groups
        // below it by their min/max, so a tick reads the newest load sequence without scanning every event.
        long through;
        using (var command = Command(connection, null, workspace, "SELECT coalesce(max(load_seq), 0) FROM events WHERE workspace = $ws AND load_seq > $previous"))
        {
            command.Parameters.Add(new DuckDBParameter("previous", previous));
            through = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return new RunState(previous, Math.Max(through, previous), settings);
    }

    public static void Save(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, long through, string settings, DateTime computedAt)
    {
        using var command = Command(connection, transaction, workspace, """
            INSERT OR REPLACE INTO attribution_state VALUES ($ws, $through, $settings, $at)
            """);
        command.Parameters.Add(new DuckDBParameter("through", through));
        command.Parameters.Add(new DuckDBParameter("settings", settings));
        command.Parameters.Add(new DuckDBParameter("at", computedAt));
        command.ExecuteNonQuery();
    }

    private static DuckDBCommand Command(DuckDBConnection connection, DuckDBTransaction? transaction, string workspace, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        return command;
    }
}
