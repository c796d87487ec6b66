using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary>The embedded default event store: DuckDB file under the data directory.</summary>
public sealed class DuckDbEventStore(DuckDbDatabase database) : IEventStore
{
    public Task<int> WriteEventsAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => Write(connection, events), cancellationToken);

    public Task WriteBadEventsAsync(IReadOnlyList<BadEvent> badEvents, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            using var appender = connection.CreateAppender("bad_events");
            foreach (var bad in badEvents)
            {
                appender.CreateRow().AppendValue(bad.Workspace).AppendValue(bad.Payload).AppendValue(bad.Reason)
                    .AppendValue(bad.ReceivedAt.UtcDateTime).AppendValue(bad.Index).AppendValue(bad.Field).EndRow();
            }

            return 0;
        }, cancellationToken);

    public Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        return Task.FromResult(Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1);
    }

    public Task<EventStats> GetStatsAsync(string workspace, CancellationToken cancellationToken)
    {
        using var connection = database.OpenReader();
        var byType = GroupCount(connection, "type", workspace);
        var byChannel = GroupCount(connection, "coalesce(channel, 'Unassigned')", workspace);
        long total = 0;
        foreach (var count in byType.Values) { total += count; }
        return Task.FromResult(new EventStats(workspace, total, byType, byChannel));
    }

    private static Dictionary<string, long> GroupCount(DuckDBConnection connection, string expression, string workspace)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {expression} AS k, count(*) FROM events WHERE workspace = $ws GROUP BY k ORDER BY k";
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read()) { result[reader.GetString(0)] = reader.GetInt64(1); }
        return result;
    }

    private static int Write(DuckDBConnection connection, IReadOnlyList<TrackedEvent> events)
    {
        using var transaction = connection.BeginTransaction();
        // A batch may hold the same event twice (a client retry spooled twice): keep the first.
        var seen = new HashSet<(string, string)>(events.Count);
        using (var appender = connection.CreateAppender("events_staging"))
        {
            foreach (var e in events)
            {
                if (seen.Add((e.Workspace, e.MessageId))) { EventRow.Append(appender, e); }
            }
        }

        var inserted = Execute(connection, EventsSchema.MoveStaged);
        Execute(connection, "DELETE FROM events_staging");
        transaction.Commit();
        return inserted;
    }

    internal static int Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}
