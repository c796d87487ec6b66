using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// <c>identity_links</c> on ClickHouse: the same links as the DuckDB store's IdentityGraph (an event's first key to each
/// of its other identifiers: user id, <c>e:</c>/<c>p:</c> hashes, an alias's previous id read both as anonymous and
/// user id), added by one INSERT … SELECT on the server for the events loaded after a mark, and read back grouped.
/// </summary>
internal static class IdentityLinks
{
    public static string InsertSince(string db, string ws, ulong afterLoadMs, ulong loadMs) => $"""
        INSERT INTO {db}.identity_links (workspace, id_key, person_key, source, first_seen, last_seen, load_ms)
        SELECT workspace, id_key, person_key, type, min(ts), max(ts), {loadMs}
        FROM (
            SELECT workspace, type, ts, id_key,
                   arrayJoin(arrayFilter(x -> x != '' AND x != id_key, [
                       if(anon != '' AND uid != '', concat('u:', uid), ''),
                       if(email != '', concat('e:', email), ''),
                       if(phone != '', concat('p:', phone), ''),
                       if(prev != '', concat('a:', prev), ''),
                       if(prev != '', concat('u:', prev), '')])) AS person_key
            FROM (
                SELECT workspace, type, ts, ifNull(anonymous_id, '') AS anon, ifNull(user_id, '') AS uid, ifNull(email_sha256, '') AS email,
                       ifNull(phone_sha256, '') AS phone, ifNull(previous_id, '') AS prev, if(anon != '', concat('a:', anon), concat('u:', uid)) AS id_key
                FROM {db}.events
                WHERE workspace = {ws} AND load_ms > {afterLoadMs})
            WHERE (anon != '' OR uid != '') AND (uid != '' OR email != '' OR phone != '' OR prev != ''))
        GROUP BY workspace, id_key, person_key, type
        """;

    public static async Task<(PersonResolver People, Dictionary<string, long> LeadMs)> LoadAsync(ClickHouseDatabase database, string ws, CancellationToken cancellationToken)
    {
        var links = new List<IdentityLink>();
        await database.ReadRowsAsync($"""
            SELECT id_key, person_key, source, min(first_seen) AS first_ms FROM {database.Name}.identity_links
            WHERE workspace = {ws} GROUP BY id_key, person_key, source
            """,
            row => links.Add(new IdentityLink(row.GetProperty("id_key").GetString()!, row.GetProperty("person_key").GetString()!,
                row.GetProperty("source").GetString()!, ClickHouseDatabase.Number(row.GetProperty("first_ms")))),
            cancellationToken);
        var people = PersonResolver.FromLinks(links, out var leadMs);
        return (people, leadMs);
    }
}
