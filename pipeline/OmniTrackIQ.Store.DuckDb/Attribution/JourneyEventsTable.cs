using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// <c>journey_events</c>: the events a journey is made of (non-bot page views, conversions with an order id) with their
/// first identity key <c>k</c> (<see cref="IdentitySql.EventKey"/>) and only the columns the journey read uses. The run
/// keeps it from the events loaded since its mark (<see cref="AddSince"/>, before it reads anything), so the journey read
/// (<see cref="JourneyReader"/>) and a tick's deletes find a key's events by one plain column instead of scanning every
/// event of the workspace with a semi-join per id column and the key built for each. The events table and its write path
/// are not touched: the cost of keeping it is the run's, not ingest's.
/// </summary>
internal static class JourneyEventsTable
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS journey_events (
            workspace VARCHAR NOT NULL,
            k VARCHAR NOT NULL,
            type VARCHAR NOT NULL,
            ts TIMESTAMP NOT NULL,
            message_id VARCHAR NOT NULL,
            channel VARCHAR,
            utm_source VARCHAR,
            utm_medium VARCHAR,
            utm_campaign VARCHAR,
            order_id VARCHAR,
            revenue DECIMAL(18,4),
            currency VARCHAR,
            load_seq BIGINT NOT NULL);
        """;

    /// <summary>
    /// Fills the table for every workspace with a stored run but no rows yet (a database from before the table, upgraded on
    /// its first start): the events that run covered; the next run adds those since its mark. Idempotent (a workspace with
    /// rows is left alone; one whose events make no journey row gets none again), so it runs on every start.
    /// </summary>
    public static readonly string Backfill = $"""
        INSERT INTO journey_events
        {Select("""
            workspace IN (SELECT workspace FROM attribution_state WHERE workspace NOT IN (SELECT DISTINCT workspace FROM journey_events))
            AND coalesce(load_seq, 0) <= (SELECT loaded_through FROM attribution_state s WHERE s.workspace = events.workspace)
            """)}
        """;

    /// <summary>
    /// Replaces the rows of the events loaded in (<paramref name="afterSeq"/>, <paramref name="throughSeq"/>] with those
    /// events' rows, and their keys in <see cref="EventKeysTable"/>: a run that crashed after adding them and before its commit left rows above its mark, which the next run
    /// (reading from the same mark) replaces rather than doubles.
    /// </summary>
    public static void AddSince(DuckDBConnection connection, string workspace, long afterSeq, long throughSeq)
    {
        using var transaction = connection.BeginTransaction();
        using (var delete = Command(connection, transaction, workspace, afterSeq, null, "DELETE FROM journey_events WHERE workspace = $ws AND load_seq > $after"))
        {
            delete.ExecuteNonQuery();
        }

        using (var insert = Command(connection, transaction, workspace, afterSeq, throughSeq,
                   $"INSERT INTO journey_events {Select($"workspace = $ws AND {LoadedSince.Where("load_seq", afterSeq)}")}"))
        {
            insert.ExecuteNonQuery();
        }

        foreach (var statement in EventKeysTable.ReplaceSince(afterSeq))
        {
            using var keys = Command(connection, transaction, workspace, afterSeq, throughSeq, statement);
            keys.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The journey rows of the events matching <paramref name="eventsWhere"/>, in the table's column order.</summary>
    public static string Select(string eventsWhere) => $"""
        SELECT * FROM (
            SELECT workspace, {IdentitySql.EventKey} AS k, type, ts, message_id, channel, utm_source, utm_medium, utm_campaign, order_id,
                   revenue, currency, coalesce(load_seq, 0) AS load_seq
            FROM events
            WHERE ({eventsWhere}) AND ((type = 'page' AND NOT is_bot) OR (type = 'conversion' AND order_id IS NOT NULL)))
        WHERE k IS NOT NULL
        """;

    private static DuckDBCommand Command(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, long afterSeq, long? throughSeq, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("after", afterSeq));
        if (throughSeq is { } through) { command.Parameters.Add(new DuckDBParameter("through", through)); }
        return command;
    }
}
