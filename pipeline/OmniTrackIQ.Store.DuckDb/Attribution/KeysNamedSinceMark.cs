using System.Globalization;
using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// A tick's keys looked up once in <c>event_keys</c>, for the identity closure and the journey read together: the keys
/// named since the last run's mark (the run's own rows of the table) and the tick's seeds, each with the first load
/// sequence naming it and whether an event at or before the mark named it. One scan of the table's keys answers both:
/// <list type="bullet">
/// <item>the closure: a key first named after the mark is <em>new</em>, so every link naming it was shown by an event since
/// the mark (links come from events, and an erasure takes an erased key's links with its rows here) and no stored person
/// map row is under it; its links are read from those events, the newest row groups, instead of from every stored link
/// and map row (<see cref="IdentityGraph.LinksSince"/>);</item>
/// <item>the journey read and the deletes: when every key of the scope is known here, its first sequence and whether it is
/// new (<see cref="EventKeysTable.Look"/>'s answer) need no second look-up.</item>
/// </list>
/// </summary>
internal sealed class KeysNamedSinceMark
{
    /// <summary>Above this many keys (a catch-up after a long stop, a backfill's range) the run looks its keys up as before, so memory stays a tick's.</summary>
    public const int MaxKeys = 100_000;

    private readonly Dictionary<string, (long FirstSeq, bool Old)> _keys;

    private KeysNamedSinceMark(Dictionary<string, (long FirstSeq, bool Old)> keys) => _keys = keys;

    /// <summary>The keys named since <paramref name="previousSeq"/> and <paramref name="seeds"/>, looked up; null when there are more than <see cref="MaxKeys"/>.</summary>
    public static KeysNamedSinceMark? Look(DuckDBConnection connection, string workspace, long previousSeq, IReadOnlyCollection<string> seeds)
    {
        if (seeds.Count > MaxKeys) { return null; }
        JourneyReader.Fill(connection, "attribution_seed_keys", "k VARCHAR", seeds, static (row, key) => row.AppendValue(key));
        using var command = connection.CreateCommand();
        // The mark is a literal on the bare column: the run's own rows are found in the newest row groups by their min/max.
        // The keys' set is filtered (a filter every key passes) so DuckDB probes the outer scan with its Bloom filter (KeySet).
        var previous = previousSeq.ToString(CultureInfo.InvariantCulture);
        command.CommandText = $"""
            SELECT k, min(first_seq), bool_or(first_seq <= {previous}) FROM event_keys
            WHERE workspace = $ws AND k IN (SELECT k FROM (
                SELECT k FROM attribution_seed_keys
                UNION SELECT k FROM event_keys WHERE workspace = $ws AND first_seq > {previous}) WHERE k >= '')
            GROUP BY k LIMIT {MaxKeys + 1}
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        var keys = new Dictionary<string, (long, bool)>(StringComparer.Ordinal);
        while (reader.Read())
        {
            if (keys.Count == MaxKeys) { return null; }
            keys[reader.GetString(0)] = (reader.GetInt64(1), reader.GetBoolean(2));
        }

        return new KeysNamedSinceMark(keys);
    }

    /// <summary>
    /// The first load sequence of any report of an order named since the mark (each order key's least, old reports
    /// included); null when none. A scope of new keys has all its journey rows since the mark, so every order it reports is
    /// among these: none of their reports lies below this, and the ledger's read of <c>events</c> starts here.
    /// </summary>
    public long? OrdersFirstSeq()
    {
        long? first = null;
        foreach (var (key, found) in _keys)
        {
            if (key.StartsWith(EventKeysTable.OrderPrefix, StringComparison.Ordinal)) { first = Math.Min(first ?? long.MaxValue, found.FirstSeq); }
        }

        return first;
    }

    /// <summary>Named by events, none at or before the mark.</summary>
    public bool IsNew(string key) => _keys.TryGetValue(key, out var found) && !found.Old;

    /// <summary><see cref="EventKeysTable.Look"/>'s answer for <paramref name="scopeKeys"/>, or null when a key is not known here (it must be looked up).</summary>
    public EventKeysTable.ScopeKeys? Scope(IEnumerable<string> scopeKeys)
    {
        long? first = null;
        var isNew = true;
        foreach (var key in scopeKeys)
        {
            if (!_keys.TryGetValue(key, out var found)) { return null; }
            first = first is { } f ? Math.Min(f, found.FirstSeq) : found.FirstSeq;
            isNew &= !found.Old;
        }

        return new EventKeysTable.ScopeKeys(first, isNew);
    }
}
