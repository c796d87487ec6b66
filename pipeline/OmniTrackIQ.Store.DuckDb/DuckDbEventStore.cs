using DuckDB.NET.Data;
using DuckDB.NET.Native;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary>The embedded default event store: DuckDB file under the data directory.</summary>
public sealed class DuckDbEventStore(DuckDbDatabase database) : IEventStore
{
    /// <summary>Whether <c>events</c> has its columns in the appender's order; read at the first write (under the write lock).</summary>
    private bool? _appendsInTableOrder;

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

    /// <summary>
    /// Appends the batch straight into <c>events</c> when its ids are new, which they nearly always are (a duplicate is a
    /// client's retry or a spool replay): the primary key refuses the whole batch otherwise, and it is written again
    /// through staging with <c>INSERT OR IGNORE</c>. Issue 16: the move from staging cost 85–90 ms a 10k batch, more than
    /// the appender and the commit together. Files whose <c>events</c> columns are in another order (upgraded from
    /// before the later columns) always go through staging, which moves rows by name.
    /// </summary>
    private int Write(DuckDBConnection connection, IReadOnlyList<TrackedEvent> events)
    {
        var batch = FirstOfEachId(events);
        _appendsInTableOrder ??= EventsSchema.AppendsInTableOrder(connection);
        if (_appendsInTableOrder.Value)
        {
            try
            {
                return AppendNew(connection, batch);
            }
            catch (DuckDBException ex) when (ex.ErrorType == DuckDBErrorType.Constraint)
            {
                // An id already stored: the transaction rolled back, nothing of the batch is in; the staging path below.
            }
        }

        return MoveStaged(connection, batch);
    }

    /// <summary>A batch may hold the same event twice (a client retry spooled twice): the first is kept.</summary>
    private static List<TrackedEvent> FirstOfEachId(IReadOnlyList<TrackedEvent> events)
    {
        var seen = new HashSet<(string, string)>(events.Count);
        var first = new List<TrackedEvent>(events.Count);
        foreach (var e in events)
        {
            if (seen.Add((e.Workspace, e.MessageId))) { first.Add(e); }
        }

        return first;
    }

    private static int AppendNew(DuckDBConnection connection, List<TrackedEvent> batch)
    {
        using var transaction = connection.BeginTransaction();
        var loadSeq = ReserveLoadSeq(connection, batch.Count);
        using (var appender = connection.CreateAppender("events"))
        {
            foreach (var e in batch) { EventRow.Values(appender, e).AppendValue(loadSeq++).EndRow(); }
        }

        transaction.Commit();
        return batch.Count;
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive <c>load_seq</c> values, drawn from the sequence as the move's
    /// <c>nextval</c> draws them: the writer connection is the only one that draws, so the values drawn are consecutive.
    /// </summary>
    private static long ReserveLoadSeq(DuckDBConnection connection, int count)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(nextval('events_load_seq')) FROM range($n)";
        command.Parameters.Add(new DuckDBParameter("n", count));
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) - count + 1;
    }

    private static int MoveStaged(DuckDBConnection connection, List<TrackedEvent> batch)
    {
        using var transaction = connection.BeginTransaction();
        using (var appender = connection.CreateAppender("events_staging"))
        {
            foreach (var e in batch) { EventRow.Values(appender, e).EndRow(); }
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
