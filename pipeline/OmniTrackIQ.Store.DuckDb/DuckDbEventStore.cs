using DuckDB.NET.Data;
using DuckDB.NET.Native;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary>The embedded default event store: DuckDB file under the data directory.</summary>
/// <param name="recentIdCapacity">How many stored (workspace, message id) pairs the writer remembers (<see cref="RecentEventIds"/>).</param>
public sealed class DuckDbEventStore(DuckDbDatabase database, int recentIdCapacity = DuckDbStoreOptions.DefaultRecentIdCapacity) : IEventStore
{
    /// <summary>Ids this process committed lately: a retry or replay of one is dropped before the append, which it would make fail.</summary>
    private readonly RecentEventIds _recent = new(recentIdCapacity);

    /// <summary>Batches the primary key refused and that went through staging; tests read it (the filter should spare most).</summary>
    internal long StagedBatches => Interlocked.Read(ref _stagedBatches);

    private long _stagedBatches;

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
    /// Appends the batch straight into <c>events</c> when its ids are new, which they nearly always are: ids this process
    /// committed lately (<see cref="RecentEventIds"/>: a client's retry of a request the collector had accepted, spooled
    /// again and read in a later batch) are dropped first; a write that failed committed nothing and taught the filter
    /// nothing. The primary key still decides: it refuses the whole batch when an id the filter does not hold is
    /// stored (a spool replayed after a restart, a retry older than the filter), and the batch is written again through
    /// staging with <c>INSERT OR IGNORE</c>. Issue 16: the move from staging cost 85–90 ms a 10k batch, more than the
    /// appender and the commit together. Files whose <c>events</c> columns are in another order (upgraded from before the
    /// later columns) always go through staging, which moves rows by name.
    /// </summary>
    private int Write(DuckDBConnection connection, IReadOnlyList<TrackedEvent> events)
    {
        var batch = _recent.NewOfEachId(events);
        if (batch.Count == 0) { return 0; }
        var written = AppendOrMove(connection, batch);
        // Committed: every id of the batch is stored now (written here, or found stored by INSERT OR IGNORE).
        foreach (var e in batch) { _recent.Add(e.Workspace, e.MessageId); }
        return written;
    }

    private int AppendOrMove(DuckDBConnection connection, List<TrackedEvent> batch)
    {
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
                Interlocked.Increment(ref _stagedBatches);
            }
        }

        return MoveStaged(connection, batch);
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
