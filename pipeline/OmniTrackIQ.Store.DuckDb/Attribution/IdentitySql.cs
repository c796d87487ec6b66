using System.Text;
using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>The identity rules of <see cref="IdentityKeys"/> in DuckDB SQL, generated from that one definition.</summary>
internal static class IdentitySql
{
    /// <summary>An event's first identity key (<see cref="IdentityKeys.EventKeyOrder"/>); NULL when it has none.</summary>
    public static string EventKey { get; } = FirstKey(IdentityKeys.EventKeyOrder);

    /// <summary>
    /// Events whose key is in <c>attribution_scope</c>, written per id column so DuckDB filters with plain semi-joins instead
    /// of building every event's key string (an incremental tick reads a few people out of millions).
    /// </summary>
    public static string ScopeFilter { get; } = BuildScopeFilter();

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

    private static string BuildScopeFilter()
    {
        var sql = new StringBuilder("AND (");
        var earlier = new List<string>();
        foreach (var key in IdentityKeys.EventKeyOrder)
        {
            if (earlier.Count > 0) { sql.Append("\n     OR ("); }
            foreach (var column in earlier) { sql.Append($"nullif({column}, '') IS NULL AND "); }
            sql.Append($"{key.Column} IN (SELECT substr(k, {key.Prefix.Length + 1}) FROM attribution_scope WHERE k LIKE '{key.Prefix}%')");
            if (earlier.Count > 0) { sql.Append(')'); }
            earlier.Add(key.Column);
        }

        return sql.Append(')').ToString();
    }
}
