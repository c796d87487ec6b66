using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Maintains <c>identity_links</c> from events and reads it back for <see cref="PersonResolver"/>. An event
/// carrying several identifiers links its first key (anonymous id, else user id) to each of the others
/// (user id, <c>e:</c> e-mail and <c>p:</c> phone SHA-256, an alias's previous id);
/// <c>source</c> is the event type that showed the link (identify, conversion, page…), so the first
/// identify of a person — the W-shaped lead-creation moment — can be read back. Orders and Shopify webhooks
/// feed the same table later.
/// </summary>
internal static class IdentityGraph
{
    /// <summary>Adds the links shown by events loaded in (<paramref name="afterSeq"/>, <paramref name="throughSeq"/>].</summary>
    public static void UpsertLinks(DuckDBConnection connection, string workspace, long afterSeq, long throughSeq)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO identity_links
            SELECT workspace, id_key, person_key, type, min(ts), max(ts)
            FROM (
                SELECT workspace, type, ts,
                       CASE WHEN anon IS NOT NULL THEN 'a:' || anon ELSE 'u:' || uid END AS id_key,
                       unnest([CASE WHEN anon IS NOT NULL AND uid IS NOT NULL THEN 'u:' || uid END,
                               CASE WHEN email IS NOT NULL THEN 'e:' || email END,
                               CASE WHEN phone IS NOT NULL THEN 'p:' || phone END,
                               -- alias: previousId is an anonymous id or an earlier user id; link both readings
                               CASE WHEN prev IS NOT NULL THEN 'a:' || prev END,
                               CASE WHEN prev IS NOT NULL THEN 'u:' || prev END]) AS person_key
                FROM (SELECT workspace, type, ts, nullif(anonymous_id, '') AS anon, nullif(user_id, '') AS uid,
                             nullif(email_sha256, '') AS email, nullif(phone_sha256, '') AS phone, nullif(previous_id, '') AS prev
                      FROM events
                      WHERE workspace = $ws AND coalesce(load_seq, 0) > $after AND coalesce(load_seq, 0) <= $through)
                WHERE (anon IS NOT NULL OR uid IS NOT NULL) AND (uid IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL OR prev IS NOT NULL))
            WHERE person_key IS NOT NULL AND person_key <> id_key
            GROUP BY ALL
            ON CONFLICT (workspace, id_key, person_key, source) DO UPDATE SET
                first_seen = least(identity_links.first_seen, excluded.first_seen),
                last_seen = greatest(identity_links.last_seen, excluded.last_seen)
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("after", afterSeq));
        command.Parameters.Add(new DuckDBParameter("through", throughSeq));
        command.ExecuteNonQuery();
    }

    /// <summary>Every link of the workspace, unioned (<see cref="PersonResolver.FromLinks"/>), with each person's first identify time.</summary>
    public static PersonResolver Load(DuckDBConnection connection, string workspace, out Dictionary<string, long> leadMs) =>
        PersonResolver.FromLinks(ReadLinks(connection, workspace), out leadMs);

    private static IEnumerable<IdentityLink> ReadLinks(DuckDBConnection connection, string workspace)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id_key, person_key, source, epoch_ms(first_seen) FROM identity_links WHERE workspace = $ws";
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        while (reader.Read()) { yield return new IdentityLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)); }
    }
}
