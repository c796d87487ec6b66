using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Store.DuckDb.Erasure;

/// <summary>
/// Erasure on the embedded store, through the single writer: the person's identifiers go into a temporary table
/// (<c>erasure_keys</c>: kind a/u/e/p/o and their identity-link form, kind l) that every statement joins, and one
/// transaction anonymises their orders, then deletes their events, links, kept people, paths and bad events.
/// </summary>
public sealed class DuckDbErasureStore(DuckDbDatabase database) : IErasureStore
{
    public Task<IReadOnlyCollection<PersonKey>> LinkedKeysAsync(string workspace, IReadOnlyCollection<PersonKey> keys, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyCollection<PersonKey>>(connection =>
        {
            FillKeys(connection, keys);
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                WITH hit AS (SELECT anonymous_id, user_id, email_sha256, phone_sha256, previous_id FROM events e WHERE {ErasureSql.FindPredicate})
                SELECT 'a', anonymous_id FROM hit WHERE anonymous_id <> ''
                UNION SELECT 'u', user_id FROM hit WHERE user_id <> ''
                UNION SELECT 'e', email_sha256 FROM hit WHERE email_sha256 <> ''
                UNION SELECT 'p', phone_sha256 FROM hit WHERE phone_sha256 <> ''
                UNION SELECT 'a', previous_id FROM hit WHERE previous_id <> ''
                UNION SELECT 'u', previous_id FROM hit WHERE previous_id <> ''
                UNION SELECT 'l', id_key FROM identity_links WHERE workspace = $ws AND (id_key IN {ErasureSql.LinkKeys} OR person_key IN {ErasureSql.LinkKeys})
                UNION SELECT 'l', person_key FROM identity_links WHERE workspace = $ws AND (id_key IN {ErasureSql.LinkKeys} OR person_key IN {ErasureSql.LinkKeys})
                """;
            command.Parameters.Add(new DuckDBParameter("ws", workspace));
            var found = new HashSet<PersonKey>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var kind = reader.GetString(0);
                var value = reader.GetString(1);
                PersonKey? key = kind switch
                {
                    "a" => PersonKey.Anonymous(value),
                    "u" => PersonKey.User(value),
                    "e" => PersonKey.Email(value),
                    "p" => PersonKey.Phone(value),
                    _ => PersonKeyPrefixes.FromLinkKey(value),
                };
                if (key is { } k) { found.Add(k); }
            }

            return found;
        }, cancellationToken);

    public Task<IReadOnlyList<ExportedRow>> ExportAsync(string workspace, IReadOnlyCollection<PersonKey> keys, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<ExportedRow>>(connection =>
        {
            FillKeys(connection, keys);
            var rows = new List<ExportedRow>();
            Read(connection, workspace, "events", $"SELECT to_json(e)::VARCHAR FROM events e WHERE {ErasureSql.PersonPredicate} ORDER BY ts, message_id", rows);
            Read(connection, workspace, "identity_links",
                $"SELECT to_json(l)::VARCHAR FROM identity_links l WHERE workspace = $ws AND (id_key IN {ErasureSql.LinkKeys} OR person_key IN {ErasureSql.LinkKeys}) ORDER BY id_key, person_key, source",
                rows);

            return rows;
        }, cancellationToken);

    public Task<ErasureCounts> ErasePersonAsync(string workspace, IReadOnlyCollection<PersonKey> keys, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            FillKeys(connection, keys);
            using var transaction = connection.BeginTransaction();
            // The journey rows of every event erased or anonymised go; the anonymised orders come back under their new key.
            Execute(connection, workspace, $"DELETE FROM journey_events WHERE workspace = $ws AND message_id IN (SELECT message_id FROM events e WHERE {ErasureSql.PersonPredicate})");
            var orders = Execute(connection, workspace, $"UPDATE events e SET {ErasureSql.AnonymiseOrder} WHERE {ErasureSql.PersonPredicate} AND {ErasureSql.IsOrder}");
            // event_keys follows: the person's keys go, the orders' own keys come (found before their rows are in journey_events).
            Execute(connection, workspace, $"DELETE FROM event_keys WHERE workspace = $ws AND k IN {ErasureSql.LinkKeys}");
            Execute(connection, workspace, $"INSERT INTO event_keys {EventKeysTable.Select(ErasureSql.AnonymisedOrderNotInJourneys)}");
            Execute(connection, workspace, $"INSERT INTO journey_events {JourneyEventsTable.Select(ErasureSql.AnonymisedOrderNotInJourneys)}");
            var events = Execute(connection, workspace, $"DELETE FROM events e WHERE {ErasureSql.PersonPredicate}");
            var links = Execute(connection, workspace, $"DELETE FROM identity_links WHERE workspace = $ws AND (id_key IN {ErasureSql.LinkKeys} OR person_key IN {ErasureSql.LinkKeys})");
            // The kept identity graph forgets them too: their keys, and any key stored under one of them as its person.
            Execute(connection, workspace, $"DELETE FROM identity_people WHERE workspace = $ws AND (k IN {ErasureSql.LinkKeys} OR person IN {ErasureSql.LinkKeys})");
            // Their stored journey (their touches' times and sources) goes; their orders stay as journeys of the order alone, under
            // the order's own key as journey_events now has them, so answers under other options count them as a recompute would.
            JourneysTable.ReplaceByOrders(connection, workspace, ErasureSql.LinkKeys);
            // Attribution results keep their credit but no longer name the person.
            Execute(connection, workspace, $"UPDATE conversions SET person = 'erased:' || conversion_id WHERE workspace = $ws AND person IN {ErasureSql.LinkKeys}");
            // The fitted models' path counts (and the sums over them) lose the person's paths, as a recompute would (they name no one).
            var erasedPaths = PathCountsTable.ReadPeople(connection, transaction, workspace, ErasureSql.LinkKeys);
            PathCountsTable.Apply(connection, transaction, workspace, erasedPaths, new Dictionary<string, PathTotals>());
            ChannelModelCountsTable.TakeOut(connection, transaction, workspace, erasedPaths);
            Execute(connection, workspace, $"DELETE FROM person_paths WHERE workspace = $ws AND person IN {ErasureSql.LinkKeys}");
            Execute(connection, workspace, $"DELETE FROM bad_events b WHERE workspace = $ws AND EXISTS (SELECT 1 FROM erasure_keys k WHERE {ErasureSql.PayloadNames})");

            transaction.Commit();
            return new ErasureCounts(events, orders, links);
        }, cancellationToken);

    public Task<ErasureCounts> EraseWorkspaceAsync(string workspace, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = """
                    SELECT t.table_name FROM information_schema.tables t JOIN information_schema.columns c ON c.table_name = t.table_name AND c.table_schema = t.table_schema
                    WHERE t.table_type = 'BASE TABLE' AND t.table_schema = 'main' AND c.column_name = 'workspace' ORDER BY t.table_name
                    """;
                using var reader = list.ExecuteReader();
                while (reader.Read()) { tables.Add(reader.GetString(0)); }
            }

            using var transaction = connection.BeginTransaction();
            long events = 0, links = 0;
            foreach (var table in tables)
            {
                // Names come from the catalogue, not from a caller.
                var deleted = Execute(connection, workspace, $"DELETE FROM \"{table}\" WHERE workspace = $ws");
                if (table == "events") { events = deleted; }
                if (table == "identity_links") { links = deleted; }
            }

            transaction.Commit();
            return new ErasureCounts(events, 0, links);
        }, cancellationToken);

    private static void FillKeys(DuckDBConnection connection, IReadOnlyCollection<PersonKey> keys)
    {
        DuckDbEventStore.Execute(connection, "CREATE TEMP TABLE IF NOT EXISTS erasure_keys (kind VARCHAR NOT NULL, v VARCHAR NOT NULL); DELETE FROM erasure_keys;");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO erasure_keys VALUES ($kind, $v)";
        var kind = new DuckDBParameter("kind", "");
        var value = new DuckDBParameter("v", "");
        insert.Parameters.Add(kind);
        insert.Parameters.Add(value);
        foreach (var key in keys)
        {
            kind.Value = ErasureSql.Kind(key.Kind);
            value.Value = key.Value;
            insert.ExecuteNonQuery();
            if (PersonKeyPrefixes.LinkKey(key) is { } link)
            {
                kind.Value = "l";
                value.Value = link;
                insert.ExecuteNonQuery();
            }
        }
    }

    private static long Execute(DuckDBConnection connection, string workspace, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        return Convert.ToInt64(command.ExecuteNonQuery(), CultureInfo.InvariantCulture);
    }

    private static void Read(DuckDBConnection connection, string workspace, string table, string sql, List<ExportedRow> rows)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        while (reader.Read()) { rows.Add(new ExportedRow(table, reader.GetString(0))); }
    }
}
