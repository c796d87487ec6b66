using System.Text;
using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>The identity rules of <see cref="IdentityKeys"/> in DuckDB SQL, generated from that one definition.</summary>
internal static class IdentitySql
{
    /// <summary>An event's first identity key (<see cref="IdentityKeys.EventKeyOrder"/>); NULL when it has none.</summary>
    public static string EventKey { get; } = FirstKey(IdentityKeys.EventKeyOrder);

    /// <summary>
    /// The rows (workspace, id_key, person_key, source, first_seen, last_seen) of <c>identity_links</c> shown by the
    /// events of <paramref name="eventsWhere"/> (<see cref="IdentityKeys.LinksOf"/>).
    /// </summary>
    public static string Links(string eventsWhere)
    {
        var linked = string.Join(",\n", IdentityKeys.LinkedColumns.Select(c => $"CASE WHEN {Present(c.Column)} THEN '{c.Prefix}' || {c.Column} END"));
        var anyKey = string.Join(" OR ", IdentityKeys.LinkKeyOrder.Select(c => Present(c.Column)));
        var anyLinked = string.Join(" OR ", IdentityKeys.LinkedColumns.Select(c => c.Column).Distinct().Select(Present));
        return $"""
            SELECT workspace, id_key, person_key, type, min(ts), max(ts)
            FROM (
                SELECT workspace, type, ts, {FirstKey(IdentityKeys.LinkKeyOrder)} AS id_key, unnest([{linked}]) AS person_key
                FROM events
                WHERE {eventsWhere} AND ({anyKey}) AND ({anyLinked}))
            WHERE person_key IS NOT NULL AND person_key <> id_key
            GROUP BY ALL
            """;
    }

    private static string Present(string column) => $"nullif({column}, '') IS NOT NULL";

    private static string FirstKey(IReadOnlyList<KeyColumn> order)
    {
        var sql = new StringBuilder("CASE");
        foreach (var key in order) { sql.Append($" WHEN {Present(key.Column)} THEN '{key.Prefix}' || {key.Column}"); }
        return sql.Append(" END").ToString();
    }
}
