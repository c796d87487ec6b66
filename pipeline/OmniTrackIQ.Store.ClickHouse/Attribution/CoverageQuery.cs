using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Checkout coverage on ClickHouse: the facts of each current conversion in range read in one query (its reports'
/// sources and sales channels, the <c>_otq_id</c> they carried, whether a page view carried it), the consent refusals
/// from <c>bad_events</c>, and the shared rule (<see cref="CoverageRules"/>) on top.
/// </summary>
internal static class CoverageQuery
{
    public static async Task<CoverageReport> ReadAsync(ClickHouseDatabase database, string ws, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        var db = database.Name;
        var state = await RunState.ReadAsync(database, ws, cancellationToken);
        if (!state.Exists) { return CoverageRules.Report([]); }
        var reports = JourneySql.Distinct(db, ws,
            "assumeNotNull(order_id) AS conversion_id, ifNull(order_source, 'pixel') AS src, ifNull(source_name, '') AS sn, ifNull(anonymous_id, '') AS anon",
            "type = 'conversion' AND isNotNull(order_id)");
        var facts = $"""
            SELECT conversion_id, max(src IN {Orders.OrderSourceSql.ShopReported}) AS shop_reported,
                   max(sn != '' AND sn != 'web') AND NOT max(sn = 'web') AS non_web,
                   maxIf(anon, anon != '' AND NOT startsWith(anon, 'order:')) AS otq_id
            FROM ({reports}) GROUP BY conversion_id
            """;
        var rows = new List<(string? Miss, double Revenue, bool Shop, bool NonWeb, string? OtqId, bool Seen)>();
        await database.ReadRowsAsync($"""
            SELECT miss_reason, revenue, shop_reported, non_web, otq_id,
                   otq_id != '' AND otq_id IN (
                       SELECT assumeNotNull(anonymous_id) FROM {db}.events WHERE workspace = {ws} AND type = 'page' AND isNotNull(anonymous_id)) AS seen
            FROM (
                SELECT conversion_id, miss_reason, revenue FROM {db}.attribution_conversions
                WHERE workspace = {ws} AND (conversion_id, run) IN ({state.CurrentConversions(db, ws)}) {EpochRange.Where("conversion_ts", from, to)})
            ANY LEFT JOIN ({facts}) USING conversion_id
            """,
            row =>
            {
                var miss = row.GetProperty("miss_reason");
                var otq = row.GetProperty("otq_id").GetString();
                rows.Add((miss.ValueKind == System.Text.Json.JsonValueKind.Null ? null : miss.GetString(), row.GetProperty("revenue").GetDouble(),
                    Flag(row, "shop_reported"), Flag(row, "non_web"), string.IsNullOrEmpty(otq) ? null : otq, Flag(row, "seen")));
            },
            cancellationToken);

        var refused = await RefusedIdsAsync(database, ws, rows.Where(r => r.OtqId is not null && r.Miss is not null).Select(r => r.OtqId!).ToHashSet(StringComparer.Ordinal),
            cancellationToken);
        return CoverageRules.Report(rows.Select(r => new CoverageFacts(r.Miss, r.Revenue, r.Shop, r.NonWeb, r.OtqId, r.OtqId is not null && refused.Contains(r.OtqId), r.Seen)));
    }

    /// <summary>The ids among <paramref name="ids"/> that a page view refused for missing consent carried (its payload names the id in quotes).</summary>
    private static async Task<HashSet<string>> RefusedIdsAsync(ClickHouseDatabase database, string ws, HashSet<string> ids, CancellationToken cancellationToken)
    {
        var refused = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0) { return refused; }
        await database.ReadRowsAsync($"""
            SELECT payload FROM {database.Name}.bad_events WHERE workspace = {ws} AND ifNull(field, '') LIKE '%consent.analytics'
            """,
            row =>
            {
                var payload = row.GetProperty("payload").GetString() ?? "";
                foreach (var id in ids)
                {
                    if (payload.Contains('"' + id + '"', StringComparison.Ordinal)) { refused.Add(id); }
                }
            },
            cancellationToken);
        return refused;
    }

    private static bool Flag(System.Text.Json.JsonElement row, string name) => ClickHouseDatabase.Number(row.GetProperty(name)) != 0;
}
