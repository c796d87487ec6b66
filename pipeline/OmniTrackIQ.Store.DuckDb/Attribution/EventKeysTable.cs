using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// <c>event_keys</c>: every identity key an event names (its first key and every key it links), with the load sequence of
/// the first event naming it; one row per key and run that saw it (a key's first is the least of its rows). A tick looks its
/// scope's keys up here, a scan of one row per key and run instead of one per event (<see cref="Look"/>), and learns:
/// <list type="bullet">
/// <item>where the scope's journey rows begin: <c>journey_events</c>' <c>load_seq</c> grows with the table, so its read from
/// there on skips every row group below it by their min/max (a journey row's key is its event's first key);</item>
/// <item>whether the scope is new: every key first named after the last run's mark. No stored result, person map row or
/// order can then be under one of its keys (a stored person is named by a key of the events that run covered, and the owner
/// of a re-posted order is in the scope as that stored name), so the deletes are skipped.</item>
/// <item>where the ledger of a new scope's orders begins: each order id a conversion event reports is kept too, as the key
/// <c>o:&lt;order id&gt;</c> (<see cref="OrderPrefix"/>; no identity key has that prefix), so the reports of orders first
/// named since the mark are read from the newest row groups of <c>events</c> (<see cref="KeysNamedSinceMark.OrdersFirstSeq"/>).</item>
/// </list>
/// Kept with <c>journey_events</c>, in the same places and transactions.
/// </summary>
internal static class EventKeysTable
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS event_keys (
            workspace VARCHAR NOT NULL,
            k VARCHAR NOT NULL,
            first_seq BIGINT NOT NULL);
        """;

    /// <summary>Every key column an event has: its first key's and the linked ones (<see cref="IdentityKeys"/>).</summary>
    private static readonly IReadOnlyList<KeyColumn> KeyColumns =
        [.. IdentityKeys.EventKeyOrder.Concat(IdentityKeys.LinkKeyOrder).Concat(IdentityKeys.LinkedColumns).Distinct()];

    /// <summary>The prefix of an order's key: the order id of every conversion event the ledger folds (<c>OrdersSchema.Ledger</c>).</summary>
    public const string OrderPrefix = "o:";

    /// <summary>The rows (workspace, k, first_seq) of the events matching <paramref name="eventsWhere"/>: their identity keys and order keys.</summary>
    public static string Select(string eventsWhere)
    {
        var keys = string.Join(", ", KeyColumns.Select(c => $"CASE WHEN nullif({c.Column}, '') IS NOT NULL THEN '{c.Prefix}' || {c.Column} END")
            .Append($"CASE WHEN {OrderReport} THEN '{OrderPrefix}' || order_id END"));
        return $"""
            SELECT workspace, k, min(seq) FROM (
                SELECT workspace, coalesce(load_seq, 0) AS seq, unnest([{keys}]) AS k FROM events WHERE {eventsWhere})
            WHERE k IS NOT NULL GROUP BY workspace, k
            """;
    }

    /// <summary>
    /// Fills the table for every workspace with a stored run and no keys (a database from before the table, upgraded on its
    /// first start) from all of its events; the next run replaces the keys above its mark. Idempotent, so it runs on every start.
    /// </summary>
    public static readonly string Backfill = $"""
        INSERT INTO event_keys
        {Select("workspace IN (SELECT workspace FROM attribution_state WHERE workspace NOT IN (SELECT DISTINCT workspace FROM event_keys))")}
        """;

    /// <summary>An event the order ledger reads as a report of its order (the ledger's own filter).</summary>
    private const string OrderReport = "type = 'conversion' AND order_id IS NOT NULL";

    /// <summary>
    /// Adds the order keys of every workspace whose keys were kept before order keys were (a database from before them,
    /// upgraded on its first start): each order's first report. Without them a tick would take an old order first reported
    /// again since the mark for a new one and miss its old reports. Idempotent (a workspace with an order key is left alone;
    /// one with no order has nothing to add), so it runs on every start.
    /// </summary>
    public static readonly string OrdersBackfill = $"""
        INSERT INTO event_keys
        SELECT workspace, '{OrderPrefix}' || order_id, min(coalesce(load_seq, 0)) FROM events
        WHERE {OrderReport} AND workspace IN (SELECT DISTINCT workspace FROM event_keys)
          AND workspace NOT IN (SELECT DISTINCT workspace FROM event_keys WHERE starts_with(k, '{OrderPrefix}'))
        GROUP BY workspace, order_id
        """;

    /// <summary>
    /// Replaces the keys first named above <c>$after</c> by those of the events loaded in (<c>$after</c>, <c>$through</c>]
    /// (in <see cref="JourneyEventsTable.AddSince"/>'s transaction): a crashed run's keys are replaced, not doubled.
    /// </summary>
    public static IReadOnlyList<string> ReplaceSince(long afterSeq) =>
    [
        "DELETE FROM event_keys WHERE workspace = $ws AND first_seq > $after",
        $"INSERT INTO event_keys {Select($"workspace = $ws AND {LoadedSince.Where("load_seq", afterSeq)}")}",
    ];

    /// <summary>What <see cref="Look"/> found of the scope's keys.</summary>
    /// <param name="FirstSeq">The first load sequence naming any of them (none of their journey rows is below it); null when none is named.</param>
    /// <param name="IsNew">Every key is first named after the last run's mark: nothing is stored under any of them.</param>
    public readonly record struct ScopeKeys(long? FirstSeq, bool IsNew);

    /// <summary>The keys in the connection's <c>attribution_scope</c>, looked up against the last run's mark <paramref name="previousSeq"/>.</summary>
    public static ScopeKeys Look(DuckDBConnection connection, string workspace, long previousSeq)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT min(first_seq), count(DISTINCT k), count(*) FILTER (WHERE first_seq <= $previous), (SELECT count(DISTINCT k) FROM attribution_scope)
            FROM event_keys WHERE workspace = $ws {JourneyReader.ScopeFilter}
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("previous", previousSeq));
        using var reader = command.ExecuteReader();
        reader.Read();
        long? first = reader.IsDBNull(0) ? null : reader.GetInt64(0);
        // A key no event names (an erased owner's "erased:<order>") may still name stored rows: the scope is new only when every key is named.
        var isNew = reader.GetInt64(1) == reader.GetInt64(3) && reader.GetInt64(2) == 0;
        return new ScopeKeys(first, isNew);
    }
}
