using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// <c>identity_people</c>: the identity graph kept between runs (<see cref="PersonMap"/>: one row per key whose person is
/// another key), so a tick reads the components of its own people (<see cref="LinksOfPeople"/>) instead of every link
/// of the workspace. Replaced in the run's transaction with its results — a person's rows by a tick, the workspace's by
/// a full run — so it always matches <see cref="PersonResolver.FromLinks"/> over the links the stored results used; links
/// a crashed run added are unioned again by the next run, which reads the same events since the same mark.
/// </summary>
internal static class PersonMapTable
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS identity_people (
            workspace VARCHAR NOT NULL,
            k VARCHAR NOT NULL,
            person VARCHAR NOT NULL);
        """;

    /// <summary>The people of the keys in <c>identity_seeds</c>: each key's stored person, or the key itself without a row.</summary>
    private static readonly string SeedPeople = $"""
        SELECT coalesce(m.person, s.k) AS person FROM identity_seeds s
        LEFT JOIN (SELECT k, person FROM identity_people WHERE workspace = $ws AND k IN {KeySet.In("identity_seeds")}) m ON m.k = s.k
        """;

    /// <summary>
    /// Every identity link that names a key of the stored people of <paramref name="keys"/> (their names, the keys stored
    /// under them, and the keys themselves), on the session's reader: the links of whole components, plus any new link
    /// out of them, whose other end <see cref="IdentityClosure"/> asks for next.
    /// </summary>
    public static IEnumerable<IdentityLink> LinksOfPeople(DuckDBConnection connection, string workspace, IReadOnlyCollection<string> keys)
    {
        JourneyReader.Fill(connection, "identity_seeds", "k VARCHAR", keys, static (row, key) => row.AppendValue(key));
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            WITH people AS ({SeedPeople}),
            component AS (
                SELECT k FROM identity_seeds
                UNION SELECT person FROM people
                UNION SELECT k FROM identity_people WHERE workspace = $ws AND person IN {KeySet.In("people", "person")})
            SELECT id_key, person_key, source, epoch_ms(first_seen) FROM identity_links
            WHERE workspace = $ws AND id_key IN {KeySet.In("component")}
            UNION
            SELECT id_key, person_key, source, epoch_ms(first_seen) FROM identity_links
            WHERE workspace = $ws AND person_key IN {KeySet.In("component")}
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        while (reader.Read()) { yield return new IdentityLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)); }
    }

    /// <summary>
    /// Replaces the rows of the keys in the connection's <c>attribution_scope</c> (a tick), or of the whole workspace when
    /// <paramref name="scoped"/> is false (a full run), with <paramref name="rows"/>; only appends them when there are none
    /// to delete (<paramref name="deleteOld"/> false: a scope of keys first named since the last run).
    /// </summary>
    public static void Replace(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, bool scoped, bool deleteOld,
        IEnumerable<(string Key, string Person)> rows)
    {
        if (deleteOld)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = scoped
                ? $"DELETE FROM identity_people WHERE workspace = $ws AND k IN {KeySet.In("attribution_scope")}"
                : "DELETE FROM identity_people WHERE workspace = $ws";
            command.Parameters.Add(new DuckDBParameter("ws", workspace));
            command.ExecuteNonQuery();
        }

        Append(connection, workspace, rows);
    }

    /// <summary>
    /// Fills the map of every workspace that has links but no map yet: a database from before the table, upgraded on its
    /// first start, from all of its links. Idempotent (every link joins two keys, so a workspace with links has rows once
    /// filled), so it runs on every start.
    /// </summary>
    public static void Backfill(DuckDBConnection connection)
    {
        var workspaces = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT DISTINCT workspace FROM identity_links
                WHERE workspace NOT IN (SELECT DISTINCT workspace FROM identity_people) ORDER BY workspace
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read()) { workspaces.Add(reader.GetString(0)); }
        }

        foreach (var workspace in workspaces)
        {
            var people = IdentityGraph.Load(connection, workspace, out _);
            using var transaction = connection.BeginTransaction();
            Append(connection, workspace, PersonMap.Rows(people, [.. people.Keys]));
            transaction.Commit();
        }
    }

    private static void Append(DuckDBConnection connection, string workspace, IEnumerable<(string Key, string Person)> rows)
    {
        using var appender = connection.CreateAppender("identity_people");
        foreach (var (key, person) in rows) { appender.CreateRow().AppendValue(workspace).AppendValue(key).AppendValue(person).EndRow(); }
    }
}
