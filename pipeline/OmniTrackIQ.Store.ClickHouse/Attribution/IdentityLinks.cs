using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// <c>identity_links</c> on ClickHouse (added by <see cref="IdentitySql.InsertLinksSince"/>), read back grouped: rows of
/// one link that several runs added count once.
/// </summary>
internal static class IdentityLinks
{
    private const string SeedsTable = "identity_seeds";

    /// <summary>Every link of the workspace, one row per (key, key, source) whatever run added it.</summary>
    public static async Task<List<IdentityLink>> ReadAsync(ClickHouseDatabase database, string ws, CancellationToken cancellationToken)
    {
        var links = new List<IdentityLink>();
        await database.ReadRowsAsync($"""
            SELECT id_key, person_key, source, min(first_seen) AS first_ms FROM {database.Name}.identity_links
            WHERE workspace = {ws} GROUP BY id_key, person_key, source
            """,
            row => links.Add(Link(row)), cancellationToken);
        return links;
    }

    /// <summary>
    /// The links that name one of <paramref name="keys"/> (sent as external data), one row per (key, key, source): ClickHouse
    /// keeps no people between runs, so <see cref="IdentityClosure"/> follows the links from there hop by hop. Each half
    /// is read by a primary index: the <c>id_key</c> half in <c>identity_links</c>, the <c>person_key</c> half in its copy
    /// sorted by that key (<see cref="LinksByPerson"/>); a link naming keys on both sides comes from both, grouped once.
    /// </summary>
    public static async Task<List<IdentityLink>> ReadNamingAsync(ClickHouseDatabase database, string ws, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var links = new List<IdentityLink>();
        var seeds = ExternalTable.Streamed(SeedsTable, "k String", keys.Select(k => new[] { k }));
        await database.ReadRowsWithTableAsync($"""
            SELECT id_key, person_key, source, min(first_seen) AS first_ms FROM (
                SELECT id_key, person_key, source, first_seen FROM {database.Name}.identity_links
                WHERE workspace = {ws} AND id_key IN (SELECT k FROM {SeedsTable})
                UNION ALL
                SELECT id_key, person_key, source, first_seen FROM {database.Name}.{LinksByPerson.Table}
                WHERE workspace = {ws} AND person_key IN (SELECT k FROM {SeedsTable}))
            GROUP BY id_key, person_key, source
            """, seeds, row => links.Add(Link(row)), cancellationToken);
        return links;
    }

    public static async Task<(PersonResolver People, Dictionary<string, long> LeadMs)> LoadAsync(ClickHouseDatabase database, string ws, CancellationToken cancellationToken)
    {
        var people = PersonResolver.FromLinks(await ReadAsync(database, ws, cancellationToken), out var leadMs);
        return (people, leadMs);
    }

    private static IdentityLink Link(System.Text.Json.JsonElement row) =>
        new(row.GetProperty("id_key").GetString()!, row.GetProperty("person_key").GetString()!, row.GetProperty("source").GetString()!,
            ClickHouseDatabase.Number(row.GetProperty("first_ms")));
}
