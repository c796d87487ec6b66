using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// <c>identity_links</c> on ClickHouse (added by <see cref="IdentitySql.InsertLinksSince"/>), read back grouped: rows of
/// one link that several runs added count once.
/// </summary>
internal static class IdentityLinks
{
    /// <summary>Every link of the workspace, one row per (key, key, source) whatever run added it.</summary>
    public static async Task<List<IdentityLink>> ReadAsync(ClickHouseDatabase database, string ws, CancellationToken cancellationToken)
    {
        var links = new List<IdentityLink>();
        await database.ReadRowsAsync($"""
            SELECT id_key, person_key, source, min(first_seen) AS first_ms FROM {database.Name}.identity_links
            WHERE workspace = {ws} GROUP BY id_key, person_key, source
            """,
            row => links.Add(new IdentityLink(row.GetProperty("id_key").GetString()!, row.GetProperty("person_key").GetString()!,
                row.GetProperty("source").GetString()!, ClickHouseDatabase.Number(row.GetProperty("first_ms")))),
            cancellationToken);
        return links;
    }

    public static async Task<(PersonResolver People, Dictionary<string, long> LeadMs)> LoadAsync(ClickHouseDatabase database, string ws, CancellationToken cancellationToken)
    {
        var people = PersonResolver.FromLinks(await ReadAsync(database, ws, cancellationToken), out var leadMs);
        return (people, leadMs);
    }
}
