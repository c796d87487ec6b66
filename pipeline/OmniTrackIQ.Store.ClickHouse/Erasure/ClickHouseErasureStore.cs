using System.Text.Json;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Store.ClickHouse.Erasure;

/// <summary>
/// Erasure on ClickHouse, 18.16 as current servers: <c>ALTER TABLE … DELETE WHERE</c> and <c>… UPDATE</c> mutations,
/// which the server applies in the background (poll <c>system.mutations</c> to know they are done). An order row
/// cannot be rewritten in place (its anonymous id is in the sorting key), so its anonymous copy is inserted first and
/// the delete then removes the original with the person's other rows. Values are literals (no query parameters on
/// 18.16); single server (a cluster needs the statements ON CLUSTER against the local tables, CLUSTER.md).
/// </summary>
public sealed class ClickHouseErasureStore(ClickHouseDatabase database, StoreReadiness readiness) : IErasureStore
{
    public async Task<IReadOnlyCollection<PersonKey>> LinkedKeysAsync(string workspace, IReadOnlyCollection<PersonKey> keys, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var sql = new ErasureLiterals(workspace, keys);
        var found = new HashSet<PersonKey>();
        await database.ReadRowsAsync(
            $"SELECT anonymous_id, user_id, email_sha256, phone_sha256, previous_id FROM {database.Table("events")} WHERE {sql.FindPredicate}",
            row =>
            {
                Add(found, row, "anonymous_id", PersonKey.Anonymous);
                Add(found, row, "user_id", PersonKey.User);
                Add(found, row, "email_sha256", PersonKey.Email);
                Add(found, row, "phone_sha256", PersonKey.Phone);
                Add(found, row, "previous_id", PersonKey.Anonymous);
                Add(found, row, "previous_id", PersonKey.User);
            },
            cancellationToken);
        await database.ReadRowsAsync(
            $"SELECT id_key, person_key FROM {database.Table("identity_links")} WHERE {sql.LinkPredicate("id_key", "person_key")}",
            row =>
            {
                foreach (var column in (string[])["id_key", "person_key"])
                {
                    if (PersonKeyPrefixes.FromLinkKey(row.GetProperty(column).GetString()!) is { } key) { found.Add(key); }
                }
            },
            cancellationToken);
        return found;
    }

    public async Task<IReadOnlyList<ExportedRow>> ExportAsync(string workspace, IReadOnlyCollection<PersonKey> keys, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var sql = new ErasureLiterals(workspace, keys);
        var rows = new List<ExportedRow>();
        // One row per message id (unmerged copies of a racing write show once, as in the event browser).
        await database.ReadRowsAsync(
            $"SELECT * FROM {database.Table("events")} WHERE {sql.PersonPredicate} ORDER BY ts, message_id, load_ms DESC LIMIT 1 BY message_id",
            row => rows.Add(new ExportedRow("events", row.GetRawText())), cancellationToken);
        await database.ReadRowsAsync(
            $"SELECT workspace, id_key, person_key, source, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM {database.Table("identity_links")} " +
            $"WHERE {sql.LinkPredicate("id_key", "person_key")} GROUP BY workspace, id_key, person_key, source ORDER BY id_key, person_key, source",
            row => rows.Add(new ExportedRow("identity_links", row.GetRawText())), cancellationToken);
        return rows;
    }

    public async Task<ErasureCounts> ErasePersonAsync(string workspace, IReadOnlyCollection<PersonKey> keys, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var sql = new ErasureLiterals(workspace, keys);
        var table = database.Table("events");
        long orders = 0, all = 0, links = 0;
        await database.ReadRowsAsync(
            $"""
            SELECT (SELECT uniqExact(message_id) FROM {table} WHERE {sql.PersonPredicate}) AS events,
                   (SELECT uniqExact(message_id) FROM {table} WHERE {sql.PersonPredicate} AND {ErasureLiterals.IsOrder}) AS orders,
                   (SELECT uniqExact(workspace, id_key, person_key, source) FROM {database.Table("identity_links")} WHERE {sql.LinkPredicate("id_key", "person_key")}) AS links

            """,
            row =>
            {
                all = ClickHouseDatabase.Number(row.GetProperty("events"));
                orders = ClickHouseDatabase.Number(row.GetProperty("orders"));
                links = ClickHouseDatabase.Number(row.GetProperty("links"));
            },
            cancellationToken);

        if (orders > 0)
        {
            var columns = string.Join(", ", EventsColumns.Names);
            var values = string.Join(", ", EventsColumns.Names.Select(ErasureLiterals.AnonymisedOrderColumn));
            await database.InsertSelectAsync(
                $"INSERT INTO {table} ({columns}) SELECT {values} FROM {table} WHERE {sql.PersonPredicate} AND {ErasureLiterals.IsOrder}", cancellationToken);
        }

        // The rows the delete takes out leave the workspace's count of loaded rows too, so that the next run sees a change.
        await database.InsertSelectAsync(Attribution.EventLoads.Subtract(database.Name, sql.PersonPredicate), cancellationToken);
        await database.ExecuteAsync($"ALTER TABLE {table} DELETE WHERE {sql.PersonPredicate}", cancellationToken);
        await database.ExecuteAsync($"ALTER TABLE {database.Table(Attribution.EventsByLoad.Table)} DELETE WHERE {sql.PersonPredicate}", cancellationToken);
        // The copies of the person's order reports (the anonymous copies above reached it through its view).
        await database.ExecuteAsync($"ALTER TABLE {database.Table(Orders.OrderReports.Table)} DELETE WHERE {sql.PersonPredicate}", cancellationToken);
        await database.ExecuteAsync(
            $"ALTER TABLE {database.Table("identity_links")} DELETE WHERE {sql.LinkPredicate("id_key", "person_key")}", cancellationToken);
        await database.ExecuteAsync(
            $"ALTER TABLE {database.Table(Attribution.LinksByPerson.Table)} DELETE WHERE {sql.LinkPredicate("id_key", "person_key")}", cancellationToken);
        // Attribution results keep their credit but no longer name the person (person is not in the sorting key).
        await database.ExecuteAsync(
            $"ALTER TABLE {database.Table("attribution_conversions")} UPDATE person = concat('erased:', conversion_id) WHERE {sql.LinkPredicate("person")}",
            cancellationToken);
        await database.ExecuteAsync($"ALTER TABLE {database.Table("person_paths")} DELETE WHERE {sql.LinkPredicate("person")}", cancellationToken);
        // The workspace's model counts still hold the person's paths: without them its next run builds them from person_paths
        // afresh. Path counts an upgraded database kept before them hold the paths too.
        await database.ExecuteAsync($"ALTER TABLE {database.Table(Attribution.ModelCounts.Table)} DELETE WHERE workspace = {ClickHouseLiteral(workspace)}", cancellationToken);
        await database.ExecuteAsync($"ALTER TABLE {database.Table(Attribution.PathCounts.Table)} DELETE WHERE workspace = {ClickHouseLiteral(workspace)}", cancellationToken);
        await database.ExecuteAsync($"ALTER TABLE {database.Table("attribution_people")} DELETE WHERE {sql.LinkPredicate("k", "person")}", cancellationToken);
        await database.ExecuteAsync($"ALTER TABLE {database.Table("bad_events")} DELETE WHERE {sql.BadEventPredicate}", cancellationToken);
        return new ErasureCounts(all - orders, orders, links);
    }

    public async Task<ErasureCounts> EraseWorkspaceAsync(string workspace, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var name = ClickHouseLiteral(database.Name);
        var tables = new List<string>();
        await database.ReadRowsAsync(
            $"""
            SELECT table FROM system.columns WHERE database = {name} AND name = 'workspace'
              AND table IN (SELECT name FROM system.tables WHERE database = {name} AND engine LIKE '%MergeTree')
            ORDER BY table
            """,
            row => tables.Add(row.GetProperty("table").GetString()!), cancellationToken);
        long all = 0, links = 0;
        var ws = ClickHouseLiteral(workspace);
        await database.ReadRowsAsync(
            $"""
            SELECT (SELECT uniqExact(message_id) FROM {database.Table("events")} WHERE workspace = {ws}) AS events,
                   (SELECT uniqExact(workspace, id_key, person_key, source) FROM {database.Table("identity_links")} WHERE workspace = {ws}) AS links

            """,
            row =>
            {
                all = ClickHouseDatabase.Number(row.GetProperty("events"));
                links = ClickHouseDatabase.Number(row.GetProperty("links"));
            },
            cancellationToken);
        foreach (var table in tables)
        {
            await database.ExecuteAsync($"ALTER TABLE {database.Table(SqlLiteral.Identifier(table))} DELETE WHERE workspace = {ws}", cancellationToken);
        }

        return new ErasureCounts(all, 0, links);
    }

    private static string ClickHouseLiteral(string value) => SqlLiteral.String(value);

    private static void Add(HashSet<PersonKey> found, JsonElement row, string column, Func<string, PersonKey> key)
    {
        if (row.GetProperty(column).ValueKind == JsonValueKind.String && row.GetProperty(column).GetString() is { Length: > 0 } value) { found.Add(key(value)); }
    }
}
