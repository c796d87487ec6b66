using System.Text;
using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>The identity rules of <see cref="IdentityKeys"/> in ClickHouse SQL, generated from that one definition.</summary>
internal static class IdentitySql
{
    /// <summary>An event's first identity key (<see cref="IdentityKeys.EventKeyOrder"/>); '' for none.</summary>
    public static string EventKey { get; } = FirstKey(IdentityKeys.EventKeyOrder);

    /// <summary>
    /// Adds to <c>identity_links</c>, stamped <paramref name="loadMs"/>, the links (<see cref="IdentityKeys.LinksOf"/>) of
    /// the events loaded after <paramref name="afterLoadMs"/>: one INSERT … SELECT on the server, over the new rows of
    /// <see cref="EventsByLoad"/> (by its primary index).
    /// </summary>
    public static string InsertLinksSince(string db, string ws, ulong afterLoadMs, ulong loadMs)
    {
        var linked = string.Join(",\n", IdentityKeys.LinkedColumns.Select(c => $"if({Value(c.Column)} != '', concat('{c.Prefix}', {Value(c.Column)}), '')"));
        var anyKey = string.Join(" OR ", IdentityKeys.LinkKeyOrder.Select(c => $"{Value(c.Column)} != ''"));
        var columns = string.Join(", ", IdentityKeys.LinkKeyOrder.Concat(IdentityKeys.LinkedColumns).Select(c => c.Column).Distinct());
        var anyLinked = string.Join(" OR ", IdentityKeys.LinkedColumns.Select(c => c.Column).Distinct().Select(c => $"{Value(c)} != ''"));
        return $"""
            INSERT INTO {db}.identity_links (workspace, id_key, person_key, source, first_seen, last_seen, load_ms)
            SELECT workspace, id_key, person_key, type, min(ts), max(ts), {loadMs}
            FROM (
                SELECT workspace, type, ts, id_key, arrayJoin(arrayFilter(x -> x != '' AND x != id_key, [{linked}])) AS person_key
                FROM (
                    SELECT workspace, type, ts, {columns}, {FirstKey(IdentityKeys.LinkKeyOrder)} AS id_key
                    FROM {db}.{EventsByLoad.Table}
                    WHERE workspace = {ws} AND load_ms > {afterLoadMs})
                WHERE ({anyKey}) AND ({anyLinked}))
            GROUP BY workspace, id_key, person_key, type
            """;
    }

    private static string Value(string column) => $"ifNull({column}, '')";

    private static string FirstKey(IReadOnlyList<KeyColumn> order)
    {
        var sql = new StringBuilder("multiIf(");
        foreach (var key in order) { sql.Append($"{Value(key.Column)} != '', concat('{key.Prefix}', {Value(key.Column)}), "); }
        return sql.Append("'')").ToString();
    }
}
